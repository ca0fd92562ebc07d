import type { Database } from '../db/database';

/**
 * Recomputes the books from the postings alone and compares: the independent
 * check behind `npm run cli -- ledger:verify` and the admin endpoint. It reads
 * one consistent snapshot (repeatable read) so that concurrent posting cannot
 * produce a false alarm.
 */
export type LedgerProblem = { check: string; fundId: string; detail: string };

export type FundVerification = {
  fundId: string;
  entries: number;
  postings: number;
  trialBalanceMinor: bigint;
};

export type LedgerVerification = { ok: boolean; checkedAt: Date; funds: FundVerification[]; problems: LedgerProblem[] };

/**
 * A module's agreement between its records and the books. Its SQL names only the module's own tables; what
 * it yields is compared here with the entries and accounts, one problem per disagreement:
 * - `records`: the module's records among themselves — rows (fund_id, detail), each one a problem;
 * - `entries`: each row (fund_id, subject, entry_id, source_type, source_id, debit_minor) is an entry the
 *   books must hold, in that fund, from that source, with that much on its debit side;
 * - `reversals`: each row (fund_id, subject, entry_id, reversed, reversal_entry_id) says whether the entry
 *   must be reversed, and by which entry;
 * - `auxiliary-accounts`: each row (fund_id, subject, root_code, holder_type, holder_id, account_code) names
 *   an account that must be the holder's auxiliary account under that root.
 * `subject` opens the French sentence (« don … », « aide … »).
 */
export type BookCheck = {
  check: string;
  kind: 'records' | 'entries' | 'reversals' | 'auxiliary-accounts';
  sql: string;
};

/** Each kind's comparison with the books, around the module's rows (`expected`). */
const comparisons: Record<BookCheck['kind'], (expected: string) => string> = {
  records: (expected) => `select fund_id, detail from (${expected}) problems`,
  entries: (expected) => `
    with expected as (${expected})
    select x.fund_id, format('%s : son écriture %s porte %s centimes en banque ou caisse', x.subject, x.entry_id, coalesce(t.debit, 0)) as detail
    from expected x
    left join journal_entries e on e.id = x.entry_id and e.fund_id = x.fund_id and e.source_type = x.source_type and e.source_id = x.source_id
    left join lateral (select sum(p.amount_minor) filter (where p.amount_minor > 0) as debit from postings p where p.entry_id = e.id) t on true
    where e.id is null or coalesce(t.debit, 0) <> x.debit_minor`,
  reversals: (expected) => `
    with expected as (${expected})
    select x.fund_id, case when x.reversed
             then format('%s annulé sans que son écriture %s soit contre-passée par %s', x.subject, x.entry_id, x.reversal_entry_id)
             else format('%s non annulé mais son écriture %s est contre-passée', x.subject, x.entry_id) end as detail
    from expected x
    where (not x.reversed and exists (select 1 from journal_entries r where r.reverses_entry_id = x.entry_id))
       or (x.reversed and not exists (select 1 from journal_entries r where r.id = x.reversal_entry_id and r.reverses_entry_id = x.entry_id))`,
  'auxiliary-accounts': (expected) => `
    with expected as (${expected})
    select x.fund_id, format('%s : compte %s, qui n''est pas son compte de tiers', x.subject, x.account_code) as detail
    from expected x
    where not exists (
      select 1 from auxiliary_accounts a join accounts c on c.id = a.account_id
      where a.fund_id = x.fund_id and a.root_code = x.root_code and a.holder_type = x.holder_type and a.holder_id = x.holder_id and c.code = x.account_code)`,
};

const problemsListedMax = 100;

export async function verifyLedger(db: Database, moduleChecks: readonly BookCheck[] = []): Promise<LedgerVerification> {
  return db.transaction(
    async (trx) => {
      const problems: LedgerProblem[] = [];
      const report = (check: string) => (rows: { fund_id: string; detail: string }[]) =>
        problems.push(...rows.map((row) => ({ check, fundId: row.fund_id, detail: row.detail })));

      report('account-balance')(
        (
          await trx.raw(`
          select a.fund_id, format('compte %s : solde tenu %s, recalculé %s', a.code, b.balance_minor, coalesce(t.total, 0)) as detail
          from accounts a join account_balances b on b.account_id = a.id left join (
            select p.account_id, sum(p.amount_minor) as total
            from postings p join journal_entries e on e.id = p.entry_id
            where not e.is_opening group by p.account_id
          ) t on t.account_id = a.id
          where b.balance_minor <> coalesce(t.total, 0) limit ${problemsListedMax}`)
        ).rows,
      );
      report('entry-balanced')(
        (
          await trx.raw(`
          select e.fund_id, format('écriture %s-%s : %s ligne(s), total %s', e.fiscal_year, e.entry_number, count(p.id), coalesce(sum(p.amount_minor), 0)) as detail
          from journal_entries e left join postings p on p.entry_id = e.id
          group by e.id having count(p.id) < 2 or coalesce(sum(p.amount_minor), 0) <> 0 limit ${problemsListedMax}`)
        ).rows,
      );
      report('gapless-numbering')(
        (
          await trx.raw(`
          select fund_id, format('exercice %s : %s écritures numérotées de %s à %s', fiscal_year, count(*), min(entry_number), max(entry_number)) as detail
          from journal_entries where entry_number is not null group by fund_id, fiscal_year
          having min(entry_number) <> 1 or max(entry_number) <> count(*) or count(distinct entry_number) <> count(*)`)
        ).rows,
      );
      report('awaiting-number')(
        (
          await trx.raw(`
          select e.fund_id, format('écriture %s sans numéro ni place dans la file de numérotation', e.id) as detail
          from journal_entries e
          where e.entry_number is null
            and not exists (select 1 from ledger_entries_awaiting_number w where w.entry_id = e.id and w.fund_id = e.fund_id and w.fiscal_year = e.fiscal_year)
          limit ${problemsListedMax}`)
        ).rows,
      );
      report('account-floor')(
        (
          await trx.raw(`
          select a.fund_id, format('compte %s sous zéro : %s', a.code, b.balance_minor) as detail
          from accounts a join account_balances b on b.account_id = a.id
          where not a.may_go_negative and (case when a.type in ('asset', 'expense') then b.balance_minor else -b.balance_minor end) < 0`)
        ).rows,
      );
      report('reversal-mirror')(
        (
          await trx.raw(`
          select r.fund_id, format('la contre-passation %s ne reflète pas l''écriture %s', r.id, r.reverses_entry_id) as detail
          from journal_entries r
          where r.reverses_entry_id is not null and exists (
            select p.account_id, p.amount_minor from postings p where p.entry_id = r.reverses_entry_id
            except all
            select p.account_id, -p.amount_minor from postings p where p.entry_id = r.id
          ) limit ${problemsListedMax}`)
        ).rows,
      );
      for (const moduleCheck of moduleChecks) {
        report(moduleCheck.check)(
          (await trx.raw(`${comparisons[moduleCheck.kind](moduleCheck.sql)} limit ${problemsListedMax}`)).rows,
        );
      }
      const funds = (
        await trx.raw(`
        select f.id as fund_id,
          (select count(*) from journal_entries e where e.fund_id = f.id) as entries,
          (select count(*) from postings p join journal_entries e on e.id = p.entry_id where e.fund_id = f.id) as postings,
          (select coalesce(sum(p.amount_minor), 0) from postings p join journal_entries e on e.id = p.entry_id where e.fund_id = f.id)::bigint as trial_balance,
          (select coalesce(sum(b.balance_minor), 0) from accounts a join account_balances b on b.account_id = a.id where a.fund_id = f.id)::bigint as balances_total
        from funds f order by f.id`)
      ).rows.map((row: Record<string, any>) => {
        if (row.trial_balance !== 0n || row.balances_total !== 0n) {
          problems.push({
            check: 'trial-balance',
            fundId: row.fund_id,
            detail: `balance générale non nulle : écritures ${row.trial_balance}, soldes ${row.balances_total}`,
          });
        }
        return {
          fundId: row.fund_id,
          entries: Number(row.entries),
          postings: Number(row.postings),
          trialBalanceMinor: row.trial_balance,
        };
      });
      return { ok: problems.length === 0, checkedAt: new Date(), funds, problems };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}
