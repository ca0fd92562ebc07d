import type { Transaction } from '../db/database';
import { ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { bankAccountCode } from '../ledger/charts';
import { postEntry, type EntryLine } from '../ledger/entries';
import { todayInParis } from '../time';
import { actorOn } from './access';
import { fpciMessages } from './messages';
import { assertUnitFund } from './rules';

/**
 * What the fund pays for its running, each booked where the investors'
 * statements show it apart: the management company's fee (6281) and what
 * reduces it (offsets, rebates, waivers: 6282, a credit), the fund's own
 * expenses (6283: depositary, auditor, lawyers) and the management company's
 * internal chargebacks (6284) — paid from the bank or owed (4081). Once per key.
 */
export const expenseKinds = ['management-fee', 'management-fee-offset', 'fund-expense', 'internal-chargeback'] as const;
export type ExpenseKind = (typeof expenseKinds)[number];

const expenseAccounts: Record<ExpenseKind, string> = {
  'management-fee': '6281',
  'management-fee-offset': '6282',
  'fund-expense': '6283',
  'internal-chargeback': '6284',
};
const payableAccountCode = '4081';

export async function recordExpense(
  trx: Transaction,
  fundId: string,
  expense: {
    kind: ExpenseKind;
    amount: bigint;
    incurredOn: string;
    label: string;
    settlement: 'bank' | 'payable';
    idempotencyKey: string;
  },
  principal: Principal,
): Promise<{ entryId: number; created: boolean }> {
  actorOn(principal, fundId);
  await assertUnitFund(trx, fundId);
  if (expense.incurredOn > todayInParis())
    throw new ValidationError([{ path: ['incurredOn'], message: fpciMessages.expenseInFuture }]);
  // An offset reduces the fee: the other way round.
  const signed = expense.kind === 'management-fee-offset' ? -expense.amount : expense.amount;
  const label = `${fpciMessages.expenseLabels[expense.kind]} : ${expense.label}`;
  const lines: EntryLine[] = [
    { accountCode: expenseAccounts[expense.kind], amountMinor: signed, label },
    {
      accountCode: expense.settlement === 'bank' ? bankAccountCode : payableAccountCode,
      amountMinor: -signed,
      label,
    },
  ];
  const { entry, created } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'OD',
      accountingDate: expense.incurredOn,
      label,
      sourceType: 'fund-expense',
      sourceId: expense.kind,
      idempotencyKey: `fund-expense:${expense.idempotencyKey}`,
      lines,
    },
    { userId: principal.userId },
  );
  return { entryId: entry.id, created };
}
