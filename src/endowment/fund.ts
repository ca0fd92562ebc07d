import { findFund } from '../ledger/queries';
import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError } from '../errors';
import { endowmentMessages } from './messages';

export async function assertEndowmentFund(db: Database | Transaction, fundId: string): Promise<void> {
  const fund = await findFund(db, fundId);
  if (!fund) throw new NotFoundError(endowmentMessages.fundMissing);
  if (fund.kind !== 'endowment')
    throw new RuleViolationError('endowment/not-an-endowment-fund', endowmentMessages.notAnEndowmentFund);
}
