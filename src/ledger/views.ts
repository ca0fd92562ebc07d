import type { Database } from '../db/database';
import { euros, toApiAmount } from '../money';
import { getEntry, type Entry } from './entries';
import { numberPendingEntries } from './housekeeping';
import { balancesAt, listEntries, type AccountBalance, type JournalFilter } from './queries';

/** The books as the API and the pages show them: amounts as euro strings, debit and credit apart. */
export const amount = (amountMinor: bigint) => toApiAmount(euros(amountMinor));

/** An entry as shown: one committed while its counter was busy is numbered first. */
export async function numberedEntry(db: Database, fundId: string, entryId: number): Promise<Entry> {
  const entry = await getEntry(db, fundId, entryId);
  if (entry.entryNumber !== null) return entry;
  await numberPendingEntries(db, fundId);
  return getEntry(db, fundId, entryId);
}

export function entryView(entry: Entry) {
  return {
    ...entry,
    postings: entry.postings.map((posting) => ({
      accountCode: posting.accountCode,
      accountLabel: posting.accountLabel,
      debit: amount(posting.amountMinor > 0n ? posting.amountMinor : 0n),
      credit: amount(posting.amountMinor < 0n ? -posting.amountMinor : 0n),
      label: posting.label,
    })),
  };
}

export function balanceView(account: AccountBalance) {
  const debitNormal = account.type === 'asset' || account.type === 'expense';
  return {
    code: account.code,
    label: account.label,
    type: account.type,
    mayGoNegative: account.mayGoNegative,
    debit: amount(account.balanceMinor > 0n ? account.balanceMinor : 0n),
    credit: amount(account.balanceMinor < 0n ? -account.balanceMinor : 0n),
    /** On the account's natural side: positive is normal, negative is unusual. */
    balance: amount(debitNormal ? account.balanceMinor : -account.balanceMinor),
  };
}

/** The trial balance at a date: every account, debit and credit, and their total (zero when the books balance). */
export async function trialBalanceAt(db: Database, fundId: string, date: string) {
  const balances = await balancesAt(db, fundId, date);
  const trialBalanceMinor = balances.reduce((total, account) => total + account.balanceMinor, 0n);
  return { date, accounts: balances.map(balanceView), trialBalance: amount(trialBalanceMinor) };
}

/** A page of the journal, entries numbered first (one committed while its counter was busy gets its number). */
export async function journalPage(db: Database, filter: JournalFilter & { page: number; pageSize: number }) {
  await numberPendingEntries(db, filter.fundId);
  const { entries, total } = await listEntries(db, filter);
  return { entries: entries.map(entryView), page: filter.page, pageSize: filter.pageSize, total };
}
