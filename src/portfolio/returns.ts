import type { Database, Transaction } from '../db/database';
import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { bankAccountCode } from '../ledger/charts';
import { postEntry, type EntryLine } from '../ledger/entries';
import { euros, formatFrench } from '../money';
import { todayInParis } from '../time';
import { sendWorkflowEvent } from '../workflow-runtime';
import { investmentWorkflow } from '../../workflows/investment.machine';
import { instrumentAccounts } from './drawdowns';
import { lockedInvestment } from './investments';
import { portfolioMessages } from './messages';
import { postRevaluation, revaluationLines, revaluedMinor } from './valuations';
import type { ReceiptKind } from './schema';

/**
 * What comes back from an investment, and how it ends. Interest (762) and
 * dividends (761) are income; a repayment of principal reduces the
 * instrument's carrying value (never below nothing); each is booked against
 * the bank (512) in the transaction that records it, once per key. Sold, the
 * price is the fund's (775) and the carrying value leaves the books (675);
 * written off, the carrying value is lost (675). The carrying value is what
 * was drawn less what was repaid: the cost, until valuations come.
 */

const incomeAccounts: Record<Exclude<ReceiptKind, 'repayment'>, string> = { interest: '762', dividend: '761' };

/** What was drawn, less what was repaid: the instrument at cost in the books. */
async function carryingValueMinor(db: Database | Transaction, investmentId: string): Promise<bigint> {
  const [drawn, repaid] = await Promise.all([
    db('investment_drawdowns')
      .where('investment_id', investmentId)
      .sum<{ total: string | null }>('amount_minor as total')
      .first(),
    db('investment_receipts')
      .where({ investment_id: investmentId, kind: 'repayment' })
      .sum<{ total: string | null }>('amount_minor as total')
      .first(),
  ]);
  return BigInt(drawn?.total ?? 0) - BigInt(repaid?.total ?? 0);
}

export async function recordReceipt(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  receipt: { kind: ReceiptKind; amount: bigint; receivedOn: string; idempotencyKey: string },
  principal: Principal,
): Promise<{ created: boolean }> {
  const { row, instance } = await lockedInvestment(trx, fundId, investmentId, principal);
  const already = await trx('investment_receipts')
    .where({ investment_id: investmentId, idempotency_key: receipt.idempotencyKey })
    .first<{ kind: string; amount_minor: bigint } | undefined>('kind', 'amount_minor');
  if (already) {
    if (already.kind !== receipt.kind || already.amount_minor !== receipt.amount)
      throw new ConflictError(portfolioMessages.receiptKeyReused);
    return { created: false };
  }
  if (instance.state !== 'disbursing' && instance.state !== 'held')
    throw new RuleViolationError('portfolio/nothing-held', portfolioMessages.nothingHeld(instance.state));
  if (receipt.receivedOn > todayInParis())
    throw new ValidationError([{ path: ['receivedOn'], message: portfolioMessages.receivedInFuture }]);
  const instrumentAccount = instrumentAccounts[row.instrument]!;
  if (receipt.kind === 'repayment') {
    const carryingMinor = await carryingValueMinor(trx, investmentId);
    if (receipt.amount > carryingMinor)
      throw new ValidationError([
        { path: ['amount'], message: portfolioMessages.repaymentAboveCarrying(formatFrench(euros(carryingMinor))) },
      ]);
  }
  const label = `${row.name} : ${portfolioMessages.receiptLabels[receipt.kind]}`;
  await bookAndKeep(trx, fundId, row.id, {
    kind: receipt.kind,
    amount: receipt.amount,
    on: receipt.receivedOn,
    idempotencyKey: receipt.idempotencyKey,
    label,
    lines: [
      { accountCode: bankAccountCode, amountMinor: receipt.amount, label },
      {
        accountCode: receipt.kind === 'repayment' ? instrumentAccount : incomeAccounts[receipt.kind],
        amountMinor: -receipt.amount,
        label,
      },
    ],
    userId: principal.userId,
  });
  return { created: true };
}

async function bookAndKeep(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  receipt: {
    kind: string;
    amount: bigint;
    on: string;
    idempotencyKey: string;
    label: string;
    lines: EntryLine[];
    userId: string;
  },
): Promise<number> {
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'INV',
      accountingDate: receipt.on,
      label: receipt.label,
      sourceType: `investment-${receipt.kind}`,
      sourceId: investmentId,
      idempotencyKey: `investment-${receipt.kind}:${investmentId}:${receipt.idempotencyKey}`,
      lines: receipt.lines,
    },
    { userId: receipt.userId },
  );
  if (receipt.kind !== 'write-off')
    await trx('investment_receipts').insert({
      investment_id: investmentId,
      kind: receipt.kind,
      amount_minor: receipt.amount,
      received_on: receipt.on,
      entry_id: entry.id,
      idempotency_key: receipt.idempotencyKey,
      recorded_by: receipt.userId,
    });
  return entry.id;
}

/** The investment ends: sold at a price (the carrying value leaves the books), or written off (lost). Once. */
export async function endInvestment(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  end: { how: 'exit'; price: bigint; soldOn: string } | { how: 'write-off'; reason: string },
  principal: Principal,
): Promise<void> {
  const { row, instance, actor } = await lockedInvestment(trx, fundId, investmentId, principal);
  const on = end.how === 'exit' ? end.soldOn : todayInParis();
  if (on > todayInParis())
    throw new ValidationError([{ path: ['soldOn'], message: portfolioMessages.receivedInFuture }]);
  const event = end.how === 'exit' ? 'EXIT' : 'WRITE_OFF';
  const reason = end.how === 'write-off' ? end.reason : undefined;
  await sendWorkflowEvent(trx, investmentWorkflow, instance, { type: event }, actor, reason);
  const carryingMinor = await carryingValueMinor(trx, investmentId);
  // Its differences of estimation leave with it: what is gained or lost is now realised, against cost.
  const revaluationMinor = await revaluedMinor(trx, investmentId);
  const label = `${row.name} : ${end.how === 'exit' ? portfolioMessages.receiptLabels.sale : portfolioMessages.writeOffLabel}`;
  const lines: EntryLine[] = [
    ...(end.how === 'exit'
      ? [
          { accountCode: bankAccountCode, amountMinor: end.price, label },
          { accountCode: '775', amountMinor: -end.price, label },
        ]
      : []),
    { accountCode: '675', amountMinor: carryingMinor, label },
    { accountCode: instrumentAccounts[row.instrument]!, amountMinor: -carryingMinor, label },
    ...revaluationLines(-revaluationMinor, label),
  ].filter((line) => line.amountMinor !== 0n);
  if (lines.length === 0) throw new RuleViolationError('portfolio/nothing-to-book', portfolioMessages.nothingToEnd);
  const entryId = await bookAndKeep(trx, fundId, row.id, {
    kind: end.how === 'exit' ? 'sale' : 'write-off',
    amount: end.how === 'exit' ? end.price : carryingMinor,
    on,
    idempotencyKey: event,
    label,
    lines,
    userId: principal.userId,
  });
  await trx('investments').where('id', row.id).update({ ended_on: on, end_entry_id: entryId });
  if (revaluationMinor !== 0n)
    await postRevaluation(
      trx,
      fundId,
      row.id,
      { valuationId: null, on, amountMinor: -revaluationMinor, label, entryId },
      principal.userId,
    );
}

/** What came back from an investment, by kind. */
export async function returnsOf(db: Database, investmentId: string) {
  const rows = await db('investment_receipts')
    .where('investment_id', investmentId)
    .orderBy(['received_on', 'recorded_at'])
    .select<{ kind: string; amount_minor: bigint; received_on: string }[]>('kind', 'amount_minor', 'received_on');
  return rows;
}
