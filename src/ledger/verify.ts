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

/** A module's own agreement between its records and the books: rows of (fund_id, detail), one per problem. */
export type BookCheck = { check: string; sql: string };

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
          (await trx.raw(`select * from (${moduleCheck.sql}) problems limit ${problemsListedMax}`)).rows,
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
