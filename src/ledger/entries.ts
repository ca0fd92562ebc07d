import { ledgerMessages } from './messages';
import { createHash } from 'node:crypto';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { amountMaxMinor, euros, toApiAmount } from '../money';

/**
 * Posting journal entries: the only writer of `journal_entries` and `postings`.
 * Every invariant is checked here first (a typed error the user can read) and
 * again by the database (src/../migrations/…_ledger.ts), which has the last word.
 */
export const entryLinesMax = 500;
/** An entry's label, as the database and the FEC take it. */
export const entryLabelLengthMax = 200;

export type EntryLine = {
  accountCode: string;
  /** Debit positive, credit negative, in cents. */
  amountMinor: bigint;
  label?: string | undefined;
};

/**
 * The lines of an entry that details a register (a line per investor, per
 * subscription…): as they are while they fit in one entry; beyond
 * `entryLinesMax`, one line per account with its total, labelled `summary` —
 * the register keeps the detail, and the entry still books every cent.
 */
export function linesWithinLimit(lines: readonly EntryLine[], summary: string): EntryLine[] {
  if (lines.length <= entryLinesMax) return [...lines];
  const totals = new Map<string, bigint>();
  for (const line of lines) totals.set(line.accountCode, (totals.get(line.accountCode) ?? 0n) + line.amountMinor);
  return [...totals]
    .filter(([, amountMinor]) => amountMinor !== 0n)
    .map(([accountCode, amountMinor]) => ({ accountCode, amountMinor, label: summary }));
}

export type NewEntry = {
  fundId: string;
  journalCode: string;
  accountingDate: string;
  label: string;
  reason?: string | undefined;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
  idempotencyKey?: string | undefined;
  lines: readonly EntryLine[];
  isOpening?: boolean;
  reversesEntryId?: number | undefined;
};

export type Posting = {
  id: number;
  accountId: number;
  accountCode: string;
  accountLabel: string;
  amountMinor: bigint;
  label: string | null;
};

export type Entry = {
  id: number;
  fundId: string;
  journalCode: string;
  accountingDate: string;
  /**
   * Given by the database as the transaction commits (the number: then, or soon after when
   * another transaction held the fund-year's counter — src/ledger/housekeeping.ts); null until then.
   */
  fiscalYear: number | null;
  entryNumber: number | null;
  reference: string | null;
  label: string;
  reason: string | null;
  sourceType: string | null;
  sourceId: string | null;
  idempotencyKey: string | null;
  reversesEntryId: number | null;
  reversedByEntryId: number | null;
  isOpening: boolean;
  createdBy: string | null;
  createdAt: Date;
  postings: Posting[];
};

export type Actor = { userId: string | null };

type Reader = Database | Transaction;

/** "2026-000042": the entry's number within its fund and fiscal year, as shown and exported. */
export function entryReference(fiscalYear: number, entryNumber: number): string {
  return `${fiscalYear}-${String(entryNumber).padStart(6, '0')}`;
}

export function assertBalanced(lines: readonly EntryLine[]): void {
  if (lines.length < 2) {
    throw new RuleViolationError('ledger/too-few-lines', ledgerMessages.tooFewLines);
  }
  if (lines.length > entryLinesMax) {
    throw new ValidationError([{ path: ['lines'], message: ledgerMessages.tooManyLines(entryLinesMax) }]);
  }
  lines.forEach((line, index) => {
    if (line.amountMinor === 0n) {
      throw new ValidationError([{ path: ['lines', index], message: ledgerMessages.zeroLine }]);
    }
    if (line.amountMinor > amountMaxMinor || line.amountMinor < -amountMaxMinor) {
      throw new ValidationError([{ path: ['lines', index], message: ledgerMessages.amountOutOfBounds }]);
    }
  });
  const totalMinor = lines.reduce((total, line) => total + line.amountMinor, 0n);
  if (totalMinor !== 0n) {
    throw new RuleViolationError('ledger/unbalanced', ledgerMessages.unbalanced, {
      // In euros, like every amount of the API; positive when the debits exceed the credits.
      difference: toApiAmount(euros(totalMinor < 0n ? -totalMinor : totalMinor)),
      side: totalMinor > 0n ? 'debit' : 'credit',
    });
  }
}

/** The entry's own fields, in the order of the insert in `postEntry`. */
function entryFields(entry: NewEntry) {
  return [
    entry.fundId,
    entry.journalCode,
    entry.accountingDate,
    entry.label,
    entry.reason ?? null,
    entry.sourceType ?? null,
    entry.sourceId ?? null,
    entry.isOpening ?? false,
    entry.reversesEntryId ?? null,
  ];
}

const lineFields = (entry: NewEntry) =>
  entry.lines.map((line) => ({
    code: line.accountCode,
    amount_minor: line.amountMinor.toString(),
    line_label: line.label ?? null,
  }));

/** What an idempotency key stands for: everything the caller asked, but the key itself. */
function requestDigest(entry: NewEntry): string {
  return createHash('sha256')
    .update(JSON.stringify([entryFields(entry), lineFields(entry)]))
    .digest('hex');
}

/**
 * Posts one balanced entry inside the caller's transaction, so that it commits
 * or rolls back with the business change that caused it. With an idempotency
 * key, a repeat of the same request returns the first entry (`created: false`)
 * and a different request under the same key is refused.
 */
export async function postEntry(
  trx: Transaction,
  entry: NewEntry,
  actor: Actor,
): Promise<{ entry: Entry; created: boolean }> {
  assertBalanced(entry.lines);
  const digest = requestDigest(entry);
  if (entry.idempotencyKey !== undefined) {
    // Serialises requests sharing a key, so that 50 identical retries make one entry and no error.
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `ledger:${entry.fundId}:${entry.idempotencyKey}`,
    ]);
    const existing = await trx('journal_entries')
      .where({ fund_id: entry.fundId, idempotency_key: entry.idempotencyKey })
      .first('id', 'request_sha256');
    if (existing) {
      if (existing.request_sha256 !== digest) {
        throw new ConflictError(ledgerMessages.idempotencyKeyReused, {
          entryId: Number(existing.id),
        });
      }
      return { entry: await getEntry(trx, entry.fundId, Number(existing.id)), created: false };
    }
  }
  // One call resolves the accounts, checks the journal and inserts the entry with its lines
  // (or nothing, when a code is unknown): a single round trip, planned once per connection
  // (migrations/…_017_ledger_post_function.ts).
  const { rows } = await trx.raw(
    'select * from ledger_post_entry(?::json, ?, ?, ?::date, ?, ?, ?, ?, ?, ?::bigint, ?, ?, ?::uuid)',
    [JSON.stringify(lineFields(entry)), ...entryFields(entry), entry.idempotencyKey ?? null, digest, actor.userId],
  );
  const row = rows[0] as EntryRow & {
    unknown_codes: string[];
    unknown_journal: boolean;
    posting_ids: bigint[] | null;
    accounts: [number, string][];
  };
  const issues = [
    ...(row.unknown_journal
      ? [{ path: ['journalCode'], message: ledgerMessages.journalMissing(entry.journalCode) }]
      : []),
    ...unknownAccountIssues(
      entry.lines.map((line) => line.accountCode),
      new Set(row.unknown_codes),
    ),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  const postings = entry.lines.map((line, index) => {
    const [accountId, accountLabel] = row.accounts[index]!;
    return {
      id: Number(row.posting_ids![index]),
      accountId,
      accountCode: line.accountCode,
      accountLabel,
      amountMinor: line.amountMinor,
      label: line.label ?? null,
    };
  });
  return { entry: toEntry(row, postings), created: true };
}

function unknownAccountIssues(codes: readonly string[], unknown: ReadonlySet<string>) {
  return codes.flatMap((code, index) =>
    unknown.has(code) ? [{ path: ['lines', index, 'accountCode'], message: ledgerMessages.accountMissing(code) }] : [],
  );
}

/** The accounts of a fund named by code; an unknown code is refused with its line. */
export async function resolveAccounts(
  trx: Transaction,
  fundId: string,
  codes: readonly string[],
): Promise<Map<string, { id: number; label: string }>> {
  const unique = [...new Set(codes)];
  const rows: { id: bigint; code: string; label: string }[] = await trx('accounts')
    .where('fund_id', fundId)
    .whereIn('code', unique)
    .select('id', 'code', 'label');
  const byCode = new Map(rows.map((row) => [row.code, { id: Number(row.id), label: row.label }]));
  const issues = unknownAccountIssues(codes, new Set(codes.filter((code) => !byCode.has(code))));
  if (issues.length > 0) throw new ValidationError(issues);
  return byCode;
}

/**
 * Reverses an entry with its mirror image, linked to it. The database's unique
 * link makes a second reversal impossible even when two arrive at once.
 */
export async function reverseEntry(
  trx: Transaction,
  fundId: string,
  entryId: number,
  options: { accountingDate: string; reason: string },
  actor: Actor,
): Promise<Entry> {
  // Two reversals of one entry take turns here (a lock on the entry's row would also hold up its numbering).
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`ledger-reversal:${entryId}`]);
  const original = await trx('journal_entries').where({ id: entryId, fund_id: fundId }).first();
  if (!original) throw new NotFoundError(ledgerMessages.entryMissing);
  if (original.is_opening) {
    throw new RuleViolationError('ledger/opening-entry', ledgerMessages.openingNotReversible);
  }
  const existingReversal = await trx('journal_entries').where('reverses_entry_id', entryId).first('id');
  if (existingReversal) {
    throw new ConflictError(ledgerMessages.alreadyReversed, {
      reversalEntryId: Number(existingReversal.id),
    });
  }
  const postings = await postingsOf(trx, [entryId]);
  // An entry awaiting its number is named by its id.
  const reference =
    original.entry_number === null
      ? `n° interne ${entryId}`
      : entryReference(original.fiscal_year, original.entry_number);
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: original.journal_code,
      accountingDate: options.accountingDate,
      label: `Contre-passation de l'écriture ${reference}`.slice(0, entryLabelLengthMax),
      reason: options.reason,
      sourceType: 'reversal',
      sourceId: String(entryId),
      reversesEntryId: entryId,
      lines: (postings.get(entryId) ?? []).map((posting) => ({
        accountCode: posting.accountCode,
        amountMinor: -posting.amountMinor,
        label: posting.label ?? undefined,
      })),
    },
    actor,
  );
  return entry;
}

type EntryRow = {
  id: bigint;
  fund_id: string;
  journal_code: string;
  accounting_date: string;
  fiscal_year: number | null;
  entry_number: number | null;
  label: string;
  reason: string | null;
  source_type: string | null;
  source_id: string | null;
  idempotency_key: string | null;
  reverses_entry_id: bigint | null;
  reversed_by_entry_id: bigint | null;
  is_opening: boolean;
  created_by: string | null;
  created_at: Date;
};

export function entriesQuery(trx: Reader) {
  return trx('journal_entries as e').select(
    'e.*',
    trx.raw('(select r.id from journal_entries r where r.reverses_entry_id = e.id) as reversed_by_entry_id'),
  );
}

export async function getEntry(trx: Reader, fundId: string, entryId: number): Promise<Entry> {
  const row: EntryRow | undefined = await entriesQuery(trx).where({ 'e.id': entryId, 'e.fund_id': fundId }).first();
  if (!row) throw new NotFoundError(ledgerMessages.entryMissing);
  const postings = await postingsOf(trx, [entryId]);
  return toEntry(row, postings.get(entryId) ?? []);
}

export async function postingsOf(trx: Reader, entryIds: readonly number[]): Promise<Map<number, Posting[]>> {
  const rows = await trx('postings as p')
    .join('accounts as a', 'a.id', 'p.account_id')
    .whereIn('p.entry_id', entryIds)
    .orderBy('p.id')
    .select(
      'p.id',
      'p.entry_id',
      'p.account_id',
      'a.code',
      'a.label as account_label',
      'p.amount_minor',
      'p.line_label',
    );
  const byEntry = new Map<number, Posting[]>();
  for (const row of rows) {
    const list = byEntry.get(Number(row.entry_id)) ?? [];
    list.push({
      id: Number(row.id),
      accountId: Number(row.account_id),
      accountCode: row.code,
      accountLabel: row.account_label,
      amountMinor: row.amount_minor,
      label: row.line_label,
    });
    byEntry.set(Number(row.entry_id), list);
  }
  return byEntry;
}

export function toEntry(row: EntryRow, postings: Posting[]): Entry {
  return {
    id: Number(row.id),
    fundId: row.fund_id,
    journalCode: row.journal_code,
    accountingDate: row.accounting_date,
    fiscalYear: row.fiscal_year,
    entryNumber: row.entry_number,
    reference:
      row.fiscal_year === null || row.entry_number === null ? null : entryReference(row.fiscal_year, row.entry_number),
    label: row.label,
    reason: row.reason,
    sourceType: row.source_type,
    sourceId: row.source_id,
    idempotencyKey: row.idempotency_key,
    reversesEntryId: row.reverses_entry_id === null ? null : Number(row.reverses_entry_id),
    reversedByEntryId: row.reversed_by_entry_id === null ? null : Number(row.reversed_by_entry_id),
    isOpening: row.is_opening,
    createdBy: row.created_by,
    createdAt: row.created_at,
    postings,
  };
}
