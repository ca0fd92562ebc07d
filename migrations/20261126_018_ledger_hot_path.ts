import type { Knex } from 'knex';

/**
 * What every posting pays for, made cheaper without giving up a guarantee
 * (measured with pg_stat_statements and /proc CPU accounting, 8 writers on 2 cores):
 *
 * - An entry's fund and journal were foreign keys. Each check takes a KEY SHARE
 *   lock on the fund's and the journal's row — the same two rows for every
 *   writer, so under concurrency every lock writes a new MultiXact — and the
 *   numbering at commit, updating a row of its own transaction, took them again.
 *   A statement-level check of the inserted rows gives the same guarantee, since
 *   funds and journals that entries name can no longer be deleted or renamed.
 *
 * - The numbering at commit updated an indexed column, so each entry was written
 *   a second time in every index of the table. Without an index on the number the
 *   update is a heap-only (HOT) one, in place on the page (fillfactor leaves the
 *   room). Numbers stay unique by construction — only the commit-time check
 *   writes them, once per entry, from the fund-year counter it holds locked
 *   (journal_entries_immutable refuses any other writer) — and `ledger:verify`
 *   proves it on the books.
 *
 * - PL/pgSQL caches a plan per connection, made when the function first runs: on
 *   a new ledger, when the tables are empty, that plan scans them sequentially
 *   and keeps doing so as they grow, until the next ANALYZE (a 100 µs check
 *   became 12 µs with an index scan). The ledger's functions only look rows up by
 *   key, so they are planned with sequential scans ruled out.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table journal_entries
      drop constraint journal_entries_fund_id_fkey,
      drop constraint journal_entries_journal_code_fkey,
      drop constraint journal_entries_fund_id_fiscal_year_entry_number_key;
    alter table journal_entries set (fillfactor = 90);

    create function ledger_refuse_removal() returns trigger
    language plpgsql as $$
    begin
      raise exception '% : un fonds ou un journal ne se supprime ni ne se renomme, les écritures le désignent', tg_table_name
        using errcode = 'ML002';
    end $$;
    create trigger funds_kept before delete or update of id on funds
      for each row execute function ledger_refuse_removal();
    create trigger funds_no_truncate before truncate on funds
      for each statement execute function ledger_refuse_removal();
    create trigger journals_kept before delete or update of code on journals
      for each row execute function ledger_refuse_removal();
    create trigger journals_no_truncate before truncate on journals
      for each statement execute function ledger_refuse_removal();

    -- Once per statement, however many entries it inserts; then the commit-time check is due.
    create or replace function ledger_mark_pending_check() returns trigger
    language plpgsql as $$
    declare
      problem text;
    begin
      select case when not exists (select 1 from funds f where f.id = e.fund_id) then format('le fonds %s n''existe pas', e.fund_id)
                  else format('le journal %s n''existe pas', e.journal_code) end
        into problem
        from new_entries e
        where not exists (select 1 from funds f where f.id = e.fund_id)
           or not exists (select 1 from journals j where j.code = e.journal_code)
        limit 1;
      if problem is not null then
        raise exception '%', problem using errcode = 'ML004';
      end if;
      insert into ledger_pending_checks values (txid_current()) on conflict do nothing;
      return null;
    end $$;
    drop trigger journal_entries_mark_pending on journal_entries;
    create trigger journal_entries_mark_pending after insert on journal_entries
      referencing new table as new_entries
      for each statement execute function ledger_mark_pending_check();

    alter function ledger_post_entry set enable_seqscan = off;
    alter function ledger_after_postings_insert() set enable_seqscan = off;
    alter function ledger_mark_pending_check() set enable_seqscan = off;
    alter function ledger_validate_transaction() set enable_seqscan = off;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter function ledger_post_entry reset enable_seqscan;
    alter function ledger_after_postings_insert() reset enable_seqscan;
    alter function ledger_validate_transaction() reset enable_seqscan;
    drop trigger journal_entries_mark_pending on journal_entries;
    create or replace function ledger_mark_pending_check() returns trigger
    language plpgsql as $$
    begin
      insert into ledger_pending_checks values (txid_current()) on conflict do nothing;
      return null;
    end $$;
    create trigger journal_entries_mark_pending after insert on journal_entries
      for each statement execute function ledger_mark_pending_check();
    drop trigger funds_kept on funds;
    drop trigger funds_no_truncate on funds;
    drop trigger journals_kept on journals;
    drop trigger journals_no_truncate on journals;
    drop function ledger_refuse_removal;
    alter table journal_entries reset (fillfactor);
    alter table journal_entries
      add constraint journal_entries_fund_id_fkey foreign key (fund_id) references funds (id),
      add constraint journal_entries_journal_code_fkey foreign key (journal_code) references journals (code),
      add constraint journal_entries_fund_id_fiscal_year_entry_number_key unique (fund_id, fiscal_year, entry_number);
  `);
}
