import { ledgerMessages } from './messages';
import type { Database, Transaction } from '../db/database';
import { NotFoundError } from '../errors';
import { entriesQuery, entryReference, postingsOf, toEntry, type Entry } from './entries';

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

export async function findFund(db: Reader, fundId: string): Promise<Fund | undefined> {
  const [fund] = await listFunds(db, [fundId]);
  return fund;
}

export async function getFund(db: Reader, fundId: string): Promise<Fund> {
  const fund = await findFund(db, fundId);
  if (!fund) throw new NotFoundError(ledgerMessages.fundMissing);
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
  if (!row) throw new NotFoundError(ledgerMessages.accountMissing(code));
  return BigInt(row.balance_minor);
}

/** An entry as it moved one account: the net of its postings on it. */
export type AccountMovement = {
  entryId: number;
  label: string;
  date: string;
  reference: string | null;
  amountMinor: bigint;
};

/**
 * The entries that moved an account between two dates (both included), each
 * with its net on the account; openings aside, and an entry and its reversal
 * left out together (they cancel out).
 */
export async function accountMovements(
  db: Reader,
  fundId: string,
  accountCode: string,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<AccountMovement[]> {
  const { rows } = await db.raw(
    `select e.id, e.label, e.accounting_date::text as accounting_date, e.fiscal_year, e.entry_number, sum(p.amount_minor)::bigint as amount_minor
     from journal_entries e
     join postings p on p.entry_id = e.id
     join accounts a on a.id = p.account_id and a.code = ?
     where e.fund_id = ? and not e.is_opening and e.reverses_entry_id is null
       and e.accounting_date >= coalesce(?::date, '-infinity') and e.accounting_date <= coalesce(?::date, 'infinity')
       and not exists (select 1 from journal_entries r where r.reverses_entry_id = e.id)
     group by e.id
     having sum(p.amount_minor) <> 0
     order by e.accounting_date, e.id`,
    [accountCode, fundId, period.from ?? null, period.to ?? null],
  );
  return (
    rows as {
      id: bigint;
      label: string;
      accounting_date: string;
      fiscal_year: number | null;
      entry_number: number | null;
      amount_minor: bigint;
    }[]
  ).map((row) => ({
    entryId: Number(row.id),
    label: row.label,
    date: row.accounting_date,
    reference: row.fiscal_year && row.entry_number ? entryReference(row.fiscal_year, row.entry_number) : null,
    amountMinor: BigInt(row.amount_minor),
  }));
}

/** Whether the fund has an account of this code. */
export async function hasAccount(db: Reader, fundId: string, accountCode: string): Promise<boolean> {
  return Boolean(await db('accounts').where({ fund_id: fundId, code: accountCode }).first('id'));
}

/** What the entries of one source (a pool's contributions, a gift…) posted on an account, net, debit positive. */
export async function postedBySource(
  db: Reader,
  fundId: string,
  accountCode: string,
  source: { type: string; id: string },
): Promise<bigint> {
  const row: unknown = await db('journal_entries')
    .join('postings', 'postings.entry_id', 'journal_entries.id')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .where({
      'journal_entries.fund_id': fundId,
      'journal_entries.source_type': source.type,
      'journal_entries.source_id': source.id,
      'accounts.code': accountCode,
    })
    .sum('postings.amount_minor as total')
    .first();
  return BigInt((row as { total: string | bigint | null } | undefined)?.total ?? 0);
}

/**
 * An account's balance at the end of each of the last months (the current one
 * included), debit positive, oldest first: the bank account over the year.
 */
export async function monthEndBalances(
  db: Reader,
  fundId: string,
  accountCode: string,
  options: { months: number; today: string },
): Promise<{ month: string; balanceMinor: bigint }[]> {
  const { rows } = await db.raw(
    `with months as (
       select generate_series(date_trunc('month', ?::date) - make_interval(months => ? - 1), date_trunc('month', ?::date), interval '1 month')::date as month
     )
     select to_char(m.month, 'YYYY-MM') as month,
       (select coalesce(sum(p.amount_minor), 0)::bigint
          from postings p
          join journal_entries e on e.id = p.entry_id
          join accounts a on a.id = p.account_id
         where e.fund_id = ? and a.code = ? and not e.is_opening
           and e.accounting_date < (m.month + interval '1 month')::date) as balance_minor
     from months m order by m.month`,
    [options.today, options.months, options.today, fundId, accountCode],
  );
  return (rows as { month: string; balance_minor: string | bigint }[]).map((row) => ({
    month: row.month,
    balanceMinor: BigInt(row.balance_minor),
  }));
}

/**
 * What each account moved by between two days (both included), debit positive,
 * the "à nouveaux" left out: a period's movements, for a report that explains
 * them. Accounts that did not move are absent.
 */
export async function movementsBetween(
  db: Reader,
  fundId: string,
  from: string,
  to: string,
): Promise<Map<string, bigint>> {
  const rows = await db('postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('accounts as a', 'a.id', 'p.account_id')
    .where('e.fund_id', fundId)
    .andWhere('e.is_opening', false)
    .andWhereBetween('e.accounting_date', [from, to])
    .groupBy('a.code')
    .select<{ code: string; total: bigint }[]>('a.code', db.raw('sum(p.amount_minor)::bigint as total'));
  return new Map(rows.map((row) => [row.code, BigInt(row.total)]));
}

/**
 * A fund's net assets at the end of a day: everything it holds and is owed
 * less everything it owes (classes 2 to 5, debit positive), the "à nouveaux"
 * left out since they repeat what came before.
 */
export async function netAssetsAt(db: Reader, fundId: string, day: string): Promise<bigint> {
  const row = await db('postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('accounts as a', 'a.id', 'p.account_id')
    .where('e.fund_id', fundId)
    .andWhere('e.is_opening', false)
    .andWhere('e.accounting_date', '<=', day)
    .andWhereRaw("left(a.code, 1) in ('2', '3', '4', '5')")
    .first<{ total: bigint | null }>(db.raw('sum(p.amount_minor)::bigint as total'));
  return BigInt(row?.total ?? 0);
}
