import type { Database, Transaction } from '../db/database';

/**
 * The ledger's housekeeping (migration 019): entries committed while another
 * transaction held their fund-year's counter wait for their number, and balance
 * movements wait to be folded into the accounts' balances. Both are done by the
 * database, asked through `ledger_housekeeping`; these are the ways to ask.
 */
type Writer = Database | Transaction;

/** Numbers the fund's committed entries still without a number (before reading or exporting numbers). */
export async function numberPendingEntries(db: Writer, fundId: string): Promise<void> {
  await db('ledger_housekeeping').insert({ fund_id: fundId });
}

/** Numbers pending entries and folds pending balance movements, for every fund that has some. */
export async function runLedgerHousekeeping(db: Database): Promise<string[]> {
  const { rows } = await db.raw(`
    select f.id from funds f
    where exists (select 1 from ledger_entries_awaiting_number w where w.fund_id = f.id)
       or exists (select 1 from account_balance_movements m join accounts a on a.id = m.account_id where a.fund_id = f.id)
    order by f.id`);
  const fundIds = rows.map((row: { id: string }) => row.id);
  // One transaction per fund: a fund's housekeeping never waits for another's.
  for (const fundId of fundIds) await db('ledger_housekeeping').insert({ fund_id: fundId, fold_balances: true });
  return fundIds;
}
