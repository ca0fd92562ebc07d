import type { Database, Transaction } from '../db/database';
import { NotFoundError } from '../errors';
import { entriesQuery, postingsOf, toEntry, type Entry } from './entries';

type Reader = Database | Transaction;

export const journalPageSizeMax = 200;

export type Fund = {
  id: string;
  kind: 'endowment' | 'fpci' | 'guarantee';
  name: string;
  siren: string;
  fiscalYearStartMonth: number;
  accountingStandard: string;
};

export async function listFunds(db: Reader, onlyIds?: readonly string[]): Promise<Fund[]> {
  const query = db('funds').orderBy('id');
  if (onlyIds) query.whereIn('id', onlyIds);
  const rows = await query;
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    name: row.name,
    siren: row.siren,
    fiscalYearStartMonth: row.fiscal_year_start_month,
    accountingStandard: row.accounting_standard,
  }));
}

export async function getFund(db: Reader, fundId: string): Promise<Fund> {
  const [fund] = await listFunds(db, [fundId]);
  if (!fund) throw new NotFoundError("Ce fonds n'existe pas.");
  return fund;
}

export type AccountBalance = {
  id: number;
  code: string;
  label: string;
  type: string;
  mayGoNegative: boolean;
  /** Debit-positive balance of every posting dated up to the date, opening entries aside. */
  balanceMinor: bigint;
};

export async function listAccounts(db: Reader, fundId: string): Promise<AccountBalance[]> {
  await getFund(db, fundId);
  const rows = await db('accounts as a')
    .join('account_balances as b', 'b.account_id', 'a.id')
    .where('a.fund_id', fundId)
    .orderBy('a.code')
    .select('a.*', 'b.balance_minor');
  return rows.map((row) => ({
    id: Number(row.id),
    code: row.code,
    label: row.label,
    type: row.type,
    mayGoNegative: row.may_go_negative,
    balanceMinor: row.balance_minor,
  }));
}

export async function balancesAt(db: Reader, fundId: string, date: string): Promise<AccountBalance[]> {
  await getFund(db, fundId);
  const rows = await db('accounts as a')
    .leftJoin(
      db('postings as p')
        .join('journal_entries as e', 'e.id', 'p.entry_id')
        .where('e.fund_id', fundId)
        .andWhere('e.accounting_date', '<=', date)
        .andWhere('e.is_opening', false)
        .groupBy('p.account_id')
        .select('p.account_id', db.raw('sum(p.amount_minor)::bigint as total_minor'))
        .as('t'),
      't.account_id',
      'a.id',
    )
    .where('a.fund_id', fundId)
    .orderBy('a.code')
    .select('a.*', db.raw('coalesce(t.total_minor, 0)::bigint as at_date_minor'));
  return rows.map((row) => ({
    id: Number(row.id),
    code: row.code,
    label: row.label,
    type: row.type,
    mayGoNegative: row.may_go_negative,
    balanceMinor: row.at_date_minor,
  }));
}

export type JournalFilter = {
  fundId: string;
  from?: string | undefined;
  to?: string | undefined;
  journalCode?: string | undefined;
  accountCode?: string | undefined;
  fiscalYear?: number | undefined;
  page: number;
  pageSize: number;
};

export async function listEntries(db: Reader, filter: JournalFilter): Promise<{ entries: Entry[]; total: number }> {
  await getFund(db, filter.fundId);
  const query = entriesQuery(db).where('e.fund_id', filter.fundId);
  if (filter.from) query.andWhere('e.accounting_date', '>=', filter.from);
  if (filter.to) query.andWhere('e.accounting_date', '<=', filter.to);
  if (filter.journalCode) query.andWhere('e.journal_code', filter.journalCode);
  if (filter.fiscalYear) query.andWhere('e.fiscal_year', filter.fiscalYear);
  if (filter.accountCode) {
    query.whereExists(
      db('postings as p')
        .join('accounts as a', 'a.id', 'p.account_id')
        .whereRaw('p.entry_id = e.id')
        .andWhere('a.code', filter.accountCode),
    );
  }
  const countRow = await query.clone().clearSelect().count({ total: '*' }).first();
  const rows = await query
    .orderBy([{ column: 'e.fiscal_year' }, { column: 'e.entry_number' }])
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  const postings = await postingsOf(
    db,
    rows.map((row: { id: bigint }) => Number(row.id)),
  );
  return {
    entries: rows.map((row: Parameters<typeof toEntry>[0]) => toEntry(row, postings.get(Number(row.id)) ?? [])),
    total: Number(countRow?.total ?? 0),
  };
}

/**
 * An account's current balance (its folded part and its pending movements). With
 * `lock`, the account's row is locked first, so that decisions drawing on the
 * balance take turns; the database's floor check stays the last word at commit.
 */
export async function accountBalance(
  db: Reader,
  fundId: string,
  code: string,
  options: { lock?: boolean } = {},
): Promise<bigint> {
  if (options.lock) await db('accounts').where({ fund_id: fundId, code }).forUpdate().first('id');
  const row = await db('accounts as a')
    .join('account_balances as b', 'b.account_id', 'a.id')
    .where({ 'a.fund_id': fundId, 'a.code': code })
    .first('b.balance_minor');
  if (!row) throw new NotFoundError(`Le compte ${code} n'existe pas dans ce fonds.`);
  return BigInt(row.balance_minor);
}
