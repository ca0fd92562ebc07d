import type { Database, Transaction } from '../db/database';
import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { postEntry } from '../ledger/entries';
import { amount } from '../ledger/views';
import { euros, formatFrench } from '../money';
import { openAuxiliaryAccount } from '../ledger/auxiliary-accounts';
import { getOrganisation } from '../organisations/service';
import { todayInParis } from '../time';
import { openDisbursementRequest, paymentsOfDrawdowns } from '../treasury/requests';
import { sendWorkflowEvent } from '../workflow-runtime';
import { investmentWorkflow } from '../../workflows/investment.machine';
import { lockedInvestment } from './investments';
import { portfolioMessages } from './messages';
import { investedMinor, termsFromStorage } from './terms';

/**
 * The money going out to an investment: drawdowns, numbered, each booked in
 * the transaction that requests it — the instrument at cost against what the
 * fund owes the organisation (its own account under 404) — and paid by the treasury (four eyes,
 * pain.001, settled 404/512 from the bank statement). Never more than its terms
 * invest; the last one makes the investment held. A request again under the
 * same number gives the same drawdown.
 */
export const instrumentAccounts: Record<string, string> = {
  shares: '2611',
  'cooperative-shares': '2612',
  bonds: '2721',
  'participating-securities': '2722',
  'associative-securities': '2723',
  'participating-loan': '2741',
};

type DrawdownRow = { id: string; number: number; amount_minor: bigint; requested_on: string; requested_at: Date };

const drawdownsOf = (db: Database | Transaction, investmentId: string) =>
  db('investment_drawdowns')
    .where('investment_id', investmentId)
    .orderBy('number')
    .select<DrawdownRow[]>('id', 'number', 'amount_minor', 'requested_on', 'requested_at');

export async function requestDrawdown(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  input: { number: number; amount: bigint },
  principal: Principal,
): Promise<{ created: boolean }> {
  const { row, instance } = await lockedInvestment(trx, fundId, investmentId, principal);
  const drawn = await drawdownsOf(trx, investmentId);
  const same = drawn.find((one) => one.number === input.number);
  if (same) {
    if (same.amount_minor !== input.amount) throw new ConflictError(portfolioMessages.drawdownTwice);
    return { created: false };
  }
  if (instance.state !== 'disbursing' || row.terms === null)
    throw new RuleViolationError('portfolio/not-disbursing', portfolioMessages.notDisbursing(instance.state));
  if (input.number !== drawn.length + 1)
    throw new ValidationError([{ path: ['number'], message: portfolioMessages.drawdownNumber(drawn.length + 1) }]);
  const leftMinor =
    investedMinor(termsFromStorage(row.terms)) - drawn.reduce((total, one) => total + one.amount_minor, 0n);
  if (input.amount > leftMinor)
    throw new ValidationError([
      { path: ['amount'], message: portfolioMessages.drawdownAboveTerms(formatFrench(euros(leftMinor))) },
    ]);
  await bookDrawdown(trx, fundId, row, input, principal);
  if (input.amount === leftMinor)
    await sendWorkflowEvent(
      trx,
      investmentWorkflow,
      instance,
      { type: 'FULLY_DRAWN' },
      { userId: null, relations: ['system'] },
    );
  return { created: true };
}

/** The drawdown booked (the instrument at cost against the organisation's account under 404) and sent to the treasury. */
async function bookDrawdown(
  trx: Transaction,
  fundId: string,
  row: Awaited<ReturnType<typeof lockedInvestment>>['row'],
  input: { number: number; amount: bigint },
  principal: Principal,
) {
  const investmentId = row.id;
  const organisation = await getOrganisation(trx, row.organisation_id);
  // What the fund owes the organisation for its investments, on the organisation's own account.
  const payableCode = await openAuxiliaryAccount(trx, {
    fundId,
    rootCode: '404',
    holder: { type: 'organisation', id: organisation.id, name: organisation.name },
    label: `Investissements à décaisser — ${organisation.name}`,
    type: 'liability',
    mayGoNegative: false,
  });
  const today = todayInParis();
  const label = `${organisation.name} — ${row.name} : tirage n° ${input.number}`;
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'INV',
      accountingDate: today,
      label,
      sourceType: 'investment-drawdown',
      sourceId: investmentId,
      idempotencyKey: `investment-drawdown:${investmentId}:${input.number}`,
      lines: [
        { accountCode: instrumentAccounts[row.instrument]!, amountMinor: input.amount, label },
        { accountCode: payableCode, amountMinor: -input.amount, label },
      ],
    },
    { userId: principal.userId },
  );
  const [drawdown] = await trx('investment_drawdowns')
    .insert({
      investment_id: investmentId,
      number: input.number,
      amount_minor: input.amount,
      requested_on: today,
      entry_id: entry.id,
      requested_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  await openDisbursementRequest(trx, {
    fundId,
    payee: { organisationId: row.organisation_id, drawdownId: drawdown!.id },
    amountMinor: input.amount,
    payableAccountCode: payableCode,
    label: `Tirage ${input.number} — ${row.name}`,
  });
}

/** The investment's drawdowns, each with where its transfer stands, and their total. */
export async function drawdownsView(db: Database, investmentId: string) {
  const drawn = await drawdownsOf(db, investmentId);
  const payments = await paymentsOfDrawdowns(
    db,
    drawn.map((one) => one.id),
  );
  const drawnMinor = drawn.reduce((total, one) => total + one.amount_minor, 0n);
  return {
    drawnMinor,
    drawn: amount(drawnMinor),
    firstDrawnOn: drawn[0]?.requested_on ?? null,
    drawdowns: drawn.map((one) => ({
      number: one.number,
      amount: amount(one.amount_minor),
      requestedOn: one.requested_on,
      requestedAt: one.requested_at,
      payment: payments.get(one.id) ?? null,
    })),
  };
}
