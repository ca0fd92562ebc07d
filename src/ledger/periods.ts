import { ledgerMessages } from './messages';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors';
import { carriedForwardClasses, resultClasses, resultDeficitAccountCode, resultSurplusAccountCode } from './charts';
import { postEntry, type Actor, type Entry, type EntryLine } from './entries';
import { numberPendingEntries } from './housekeeping';
import { getFund } from './queries';

/**
 * Closing periods. A closed month refuses new entries until it is reopened; a
 * closed fiscal year refuses them for good, and its balance-sheet balances and
 * result open the next year in one "à nouveaux" entry (journal AN).
 */
export type PeriodClosure = {
  id: number;
  fundId: string;
  kind: 'month' | 'year';
  fiscalYear: number;
  startsOn: string;
  endsOn: string;
  reason: string;
  closedBy: string | null;
  closedAt: Date;
  reopenedBy: string | null;
  reopenedAt: Date | null;
  reopenReason: string | null;
};

/** Fiscal year N ends in calendar year N; with a start month m > 1 it starts in N-1. */
export function fiscalYearBounds(startMonth: number, fiscalYear: number): { startsOn: string; endsOn: string } {
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  const endMonth = startMonth === 1 ? 12 : startMonth - 1;
  return {
    startsOn: isoDate(startYear, startMonth, 1),
    endsOn: isoDate(fiscalYear, endMonth, daysInMonth(fiscalYear, endMonth)),
  };
}

export function fiscalYearOf(startMonth: number, date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return startMonth === 1 || month < startMonth ? year : year + 1;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Waits for every entry of the fund being committed to finish and holds new
 * ones until the closure commits, so that no entry slips into a period as it
 * closes; then numbers the entries still waiting for their number, so that a
 * closed period is numbered throughout. Closing is rare; the pause is short.
 */
async function holdNewEntries(trx: Transaction, fundId: string): Promise<void> {
  // Each posting's commit-time check holds this lock shared while it reads the closures (migration 019).
  await trx.raw('select pg_advisory_xact_lock(ledger_fund_lock_key(?))', [fundId]);
  await numberPendingEntries(trx, fundId);
}

export async function closeMonth(
  trx: Transaction,
  fundId: string,
  month: string,
  reason: string,
  actor: Actor,
): Promise<PeriodClosure> {
  const fund = await getFund(trx, fundId);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const startsOn = isoDate(year, monthNumber, 1);
  const endsOn = isoDate(year, monthNumber, daysInMonth(year, monthNumber));
  const fiscalYear = fiscalYearOf(fund.fiscalYearStartMonth, startsOn);
  await holdNewEntries(trx, fundId);
  await refuseIfClosed(trx, fundId, startsOn, endsOn);
  return insertClosure(trx, { fundId, kind: 'month', fiscalYear, startsOn, endsOn, reason }, actor);
}

/**
 * Closes every month of a span (a quarter) not closed yet: what a report froze
 * from the books cannot change under it.
 */
export async function closeMonthsOf(
  trx: Transaction,
  fundId: string,
  span: { startsOn: string; endsOn: string },
  reason: string,
  actor: Actor,
): Promise<void> {
  for (let month = span.startsOn.slice(0, 7); month <= span.endsOn.slice(0, 7); month = nextMonth(month)) {
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    const closed = await trx('period_closures')
      .where('fund_id', fundId)
      .whereNull('reopened_at')
      .andWhere('starts_on', '<=', isoDate(year, monthNumber, daysInMonth(year, monthNumber)))
      .andWhere('ends_on', '>=', isoDate(year, monthNumber, 1))
      .first('id');
    if (!closed) await closeMonth(trx, fundId, month, reason, actor);
  }
}

function nextMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 12 ? `${year + 1}-01` : `${year}-${String(monthNumber + 1).padStart(2, '0')}`;
}

export async function reopenMonth(
  trx: Transaction,
  fundId: string,
  closureId: number,
  reason: string,
  actor: Actor,
): Promise<PeriodClosure> {
  const closure = await trx('period_closures').where({ id: closureId, fund_id: fundId }).forUpdate().first();
  if (!closure) throw new NotFoundError(ledgerMessages.closureMissing);
  if (closure.reopened_at) throw new ConflictError(ledgerMessages.alreadyReopened);
  if (closure.kind === 'year')
    throw new RuleViolationError('ledger/year-closed', ledgerMessages.yearNotReopenable(closure.fiscal_year));
  const yearClosed = await trx('period_closures')
    .where({ fund_id: fundId, kind: 'year', fiscal_year: closure.fiscal_year })
    .whereNull('reopened_at')
    .first('id');
  if (yearClosed) {
    throw new RuleViolationError('ledger/year-closed', ledgerMessages.monthsOfClosedYear(closure.fiscal_year));
  }
  const [row] = await trx('period_closures')
    .where('id', closureId)
    .update({ reopened_at: trx.fn.now(), reopened_by: actor.userId, reopen_reason: reason })
    .returning('*');
  return toClosure(row);
}

/**
 * Closes fiscal year N and opens N+1 with the "à nouveaux": every class 1–5
 * balance of year N (its own opening included) and N's result (classes 6–7) on
 * 120 (excédent) or 129 (déficit). Years close in order, so that each opening
 * carries everything before it.
 */
export async function closeFiscalYear(
  trx: Transaction,
  fundId: string,
  fiscalYear: number,
  reason: string,
  actor: Actor,
): Promise<{ closure: PeriodClosure; openingEntry: Entry | null }> {
  const fund = await getFund(trx, fundId);
  await holdNewEntries(trx, fundId);
  const { startsOn, endsOn } = fiscalYearBounds(fund.fiscalYearStartMonth, fiscalYear);
  const alreadyClosed = await trx('period_closures')
    .where({ fund_id: fundId, kind: 'year', fiscal_year: fiscalYear })
    .whereNull('reopened_at')
    .first('id');
  if (alreadyClosed) throw new ConflictError(ledgerMessages.yearAlreadyClosed(fiscalYear));
  const previousOpen = await trx('journal_entries')
    .where({ fund_id: fundId, fiscal_year: fiscalYear - 1 })
    .whereNotExists(
      trx('period_closures')
        .where({ fund_id: fundId, kind: 'year', fiscal_year: fiscalYear - 1 })
        .whereNull('reopened_at'),
    )
    .first('id');
  if (previousOpen) {
    throw new RuleViolationError('ledger/previous-year-open', ledgerMessages.previousYearOpen(fiscalYear - 1));
  }
  const closure = await insertClosure(trx, { fundId, kind: 'year', fiscalYear, startsOn, endsOn, reason }, actor);
  const lines = await openingLines(trx, fundId, fiscalYear);
  if (lines.length < 2) return { closure, openingEntry: null };
  const nextYearStart = fiscalYearBounds(fund.fiscalYearStartMonth, fiscalYear + 1).startsOn;
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'AN',
      accountingDate: nextYearStart,
      label: `À nouveaux de l'exercice ${fiscalYear}`,
      reason,
      sourceType: 'fiscal-year-close',
      sourceId: String(fiscalYear),
      idempotencyKey: `opening:${fiscalYear + 1}`,
      isOpening: true,
      lines,
    },
    actor,
  );
  return { closure, openingEntry: entry };
}

async function openingLines(trx: Transaction, fundId: string, fiscalYear: number): Promise<EntryLine[]> {
  const totals: { code: string; total_minor: bigint }[] = await trx('postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('accounts as a', 'a.id', 'p.account_id')
    .where({ 'e.fund_id': fundId, 'e.fiscal_year': fiscalYear })
    .groupBy('a.code')
    .orderBy('a.code')
    .select('a.code', trx.raw('sum(p.amount_minor)::bigint as total_minor'));
  const inClasses = (classes: string[]) => (row: { code: string }) => classes.includes(row.code[0]!);
  const lines: EntryLine[] = totals
    .filter((row) => inClasses(carriedForwardClasses)(row) && row.total_minor !== 0n)
    .map((row) => ({ accountCode: row.code, amountMinor: row.total_minor }));
  const resultMinor = totals.filter(inClasses(resultClasses)).reduce((total, row) => total + row.total_minor, 0n);
  if (resultMinor !== 0n) {
    // Debit-positive: a credit (negative) sum of classes 6–7 is a surplus.
    lines.push({
      accountCode: resultMinor < 0n ? resultSurplusAccountCode : resultDeficitAccountCode,
      amountMinor: resultMinor,
      label: `Résultat de l'exercice ${fiscalYear}`,
    });
  }
  return lines;
}

async function refuseIfClosed(trx: Transaction, fundId: string, startsOn: string, endsOn: string): Promise<void> {
  const overlapping = await trx('period_closures')
    .where('fund_id', fundId)
    .whereNull('reopened_at')
    .andWhere('starts_on', '<=', endsOn)
    .andWhere('ends_on', '>=', startsOn)
    .first('kind', 'starts_on');
  if (overlapping) {
    throw new ConflictError(ledgerMessages.periodAlreadyClosed(overlapping.kind, overlapping.starts_on));
  }
}

async function insertClosure(
  trx: Transaction,
  closure: {
    fundId: string;
    kind: 'month' | 'year';
    fiscalYear: number;
    startsOn: string;
    endsOn: string;
    reason: string;
  },
  actor: Actor,
): Promise<PeriodClosure> {
  const [row] = await trx('period_closures')
    .insert({
      fund_id: closure.fundId,
      kind: closure.kind,
      fiscal_year: closure.fiscalYear,
      starts_on: closure.startsOn,
      ends_on: closure.endsOn,
      reason: closure.reason,
      closed_by: actor.userId,
    })
    .returning('*');
  return toClosure(row);
}

export async function listClosures(db: Database | Transaction, fundId: string): Promise<PeriodClosure[]> {
  await getFund(db, fundId);
  const rows = await db('period_closures')
    .where('fund_id', fundId)
    .orderBy([{ column: 'starts_on' }, { column: 'id' }]);
  return rows.map(toClosure);
}

function toClosure(row: Record<string, any>): PeriodClosure {
  return {
    id: Number(row.id),
    fundId: row.fund_id,
    kind: row.kind,
    fiscalYear: row.fiscal_year,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    reason: row.reason,
    closedBy: row.closed_by,
    closedAt: row.closed_at,
    reopenedBy: row.reopened_by,
    reopenedAt: row.reopened_at,
    reopenReason: row.reopen_reason,
  };
}
