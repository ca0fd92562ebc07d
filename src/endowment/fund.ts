import { findFund } from '../ledger/queries';
import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError } from '../errors';

export async function assertEndowmentFund(db: Database | Transaction, fundId: string): Promise<void> {
  const fund = await findFund(db, fundId);
  if (!fund) throw new NotFoundError('Ce fonds est introuvable.');
  if (fund.kind !== 'endowment')
    throw new RuleViolationError(
      'endowment/not-an-endowment-fund',
      'Seul un fonds de dotation reçoit des dons ouvrant droit à reçu fiscal.',
    );
}
