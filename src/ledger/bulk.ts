import { ledgerMessages } from './messages';
import type { Database } from '../db/database';
import { ValidationError } from '../errors';
import { assertBalanced, resolveAccounts, type Actor, type NewEntry } from './entries';

/**
 * The import path for many entries at once (migrations from another system,
 * CSV imports): the same invariants and the same database guards as `postEntry`,
 * but one round trip per batch instead of several per entry. Each batch is one
 * transaction: it lands whole or not at all.
 */
export const bulkBatchSizeMax = 5_000;

export async function postEntriesInBulk(
  db: Database,
  fundId: string,
  entries: readonly NewEntry[],
  actor: Actor,
): Promise<number[]> {
  if (entries.length > bulkBatchSizeMax) {
    throw new ValidationError([{ path: ['entries'], message: ledgerMessages.tooManyInBulk(bulkBatchSizeMax) }]);
  }
  entries.forEach((entry) => {
    if (entry.fundId !== fundId)
      throw new ValidationError([{ path: ['entries'], message: ledgerMessages.bulkOneFund }]);
    assertBalanced(entry.lines);
  });
  return db.transaction(async (trx) => {
    const accountIds = await resolveAccounts(
      trx,
      fundId,
      entries.flatMap((entry) => entry.lines.map((line) => line.accountCode)),
    );
    // Identities are drawn first so that each posting knows its entry without relying on RETURNING order.
    const ids: bigint[] = (
      await trx.raw(
        `select nextval(pg_get_serial_sequence('journal_entries', 'id')) as id from generate_series(1, ?)`,
        [entries.length],
      )
    ).rows.map((row: { id: bigint }) => row.id);
    // One JSON parameter per statement: node-postgres has no bulk protocol, and this keeps it to one round trip.
    await trx.raw(
      `insert into journal_entries (id, fund_id, journal_code, accounting_date, label, source_type, source_id, idempotency_key, created_by)
       overriding system value
       select id, fund_id, journal_code, accounting_date, label, source_type, source_id, idempotency_key, created_by
       from json_to_recordset(?::json) as x(id bigint, fund_id text, journal_code text, accounting_date date, label text,
                                            source_type text, source_id text, idempotency_key text, created_by uuid)
       order by id`,
      [
        JSON.stringify(
          entries.map((entry, index) => ({
            id: String(ids[index]),
            fund_id: fundId,
            journal_code: entry.journalCode,
            accounting_date: entry.accountingDate,
            label: entry.label,
            source_type: entry.sourceType ?? null,
            source_id: entry.sourceId ?? null,
            idempotency_key: entry.idempotencyKey ?? null,
            created_by: actor.userId,
          })),
        ),
      ],
    );
    await trx.raw(
      `insert into postings (entry_id, account_id, amount_minor, line_label)
       select entry_id, account_id, amount_minor, line_label
       from json_to_recordset(?::json) as x(entry_id bigint, account_id bigint, amount_minor bigint, line_label text)`,
      [
        JSON.stringify(
          entries.flatMap((entry, index) =>
            entry.lines.map((line) => ({
              entry_id: String(ids[index]),
              account_id: accountIds.get(line.accountCode)!.id,
              amount_minor: line.amountMinor.toString(),
              line_label: line.label ?? null,
            })),
          ),
        ),
      ],
    );
    return ids.map(Number);
  });
}
