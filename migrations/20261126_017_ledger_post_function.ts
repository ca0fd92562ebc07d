import type { Knex } from 'knex';

/**
 * Posting an entry as one PL/pgSQL function rather than one ad hoc statement:
 * the same single round trip, but PostgreSQL plans the statement once per
 * connection instead of once per entry — planning it cost about 0.5 ms of the
 * server's CPU per entry (measured: 3.4 → 2.9 ms). What it checks and writes is
 * unchanged, and the ledger's triggers still have the last word.
 *
 * And the commit-time check no longer trusts a session setting to know which
 * entries of the transaction it already checked (a session could set it and
 * skip the check): the entries still to check are those not numbered yet, since
 * only this check numbers an entry.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function ledger_post_entry(
      p_lines json, p_fund_id text, p_journal_code text, p_accounting_date date, p_label text, p_reason text,
      p_source_type text, p_source_id text, p_is_opening boolean, p_reverses_entry_id bigint,
      p_idempotency_key text, p_request_sha256 text, p_created_by uuid)
    returns table (
      unknown_codes text[], unknown_journal boolean, id bigint, fund_id text, journal_code text, accounting_date date,
      fiscal_year int, entry_number int, label text, reason text, source_type text, source_id text, idempotency_key text,
      reverses_entry_id bigint, reversed_by_entry_id bigint, is_opening boolean, created_by uuid, created_at timestamptz,
      posting_ids bigint[], accounts json)
    language plpgsql as $$
    #variable_conflict use_column
    begin
      return query
      with line as (
        select l.position, l.value->>'code' as code, (l.value->>'amount_minor')::bigint as amount_minor,
               l.value->>'line_label' as line_label, a.id as account_id, a.label as account_label
        from json_array_elements(p_lines) with ordinality as l(value, position)
        left join accounts a on a.fund_id = p_fund_id and a.code = l.value->>'code'
      ), problem as (
        select array(select code from line where account_id is null order by position) as unknown_codes,
               not exists (select 1 from journals j where j.code = p_journal_code) as unknown_journal
      ), entry as (
        insert into journal_entries (fund_id, journal_code, accounting_date, label, reason, source_type, source_id,
                                     is_opening, reverses_entry_id, idempotency_key, request_sha256, created_by)
        select p_fund_id, p_journal_code, p_accounting_date, p_label, p_reason, p_source_type, p_source_id,
               p_is_opening, p_reverses_entry_id, p_idempotency_key, p_request_sha256, p_created_by
        from problem where cardinality(problem.unknown_codes) = 0 and not problem.unknown_journal
        returning *
      ), inserted as (
        insert into postings (entry_id, account_id, amount_minor, line_label)
        select entry.id, line.account_id, line.amount_minor, line.line_label
        from entry, line
        order by line.position
        returning postings.id
      )
      select problem.unknown_codes, problem.unknown_journal, entry.id, entry.fund_id, entry.journal_code, entry.accounting_date,
             entry.fiscal_year, entry.entry_number, entry.label, entry.reason, entry.source_type, entry.source_id, entry.idempotency_key,
             entry.reverses_entry_id, null::bigint, entry.is_opening, entry.created_by, entry.created_at,
             (select array_agg(inserted.id order by inserted.id) from inserted),
             (select json_agg(json_build_array(line.account_id, line.account_label) order by line.position) from line)
      from problem left join entry on true;
    end $$;

    create or replace function ledger_validate_transaction() returns trigger
    language plpgsql as $$
    declare
      this_transaction bigint := txid_current();
      -- Entries of the transaction inserted after an earlier check (SET CONSTRAINTS … IMMEDIATE)
      -- have greater ids than every entry that check numbered.
      first_unchecked bigint;
      broken_id bigint;
      broken record;
      fund_year record;
      moved record;
    begin
      select min(x.id), min(x.id) filter (where x.posting_count < 2 or x.total <> 0)
        into first_unchecked, broken_id
        from (
          select e.id, count(p.id) as posting_count, coalesce(sum(p.amount_minor), 0) as total
          from journal_entries e
          left join postings p on p.entry_id = e.id
          where e.created_txid = this_transaction and e.entry_number is null
          group by e.id
        ) x;
      if broken_id is not null then
        select e.label, count(p.id) as posting_count, coalesce(sum(p.amount_minor), 0) as total into broken
          from journal_entries e left join postings p on p.entry_id = e.id where e.id = broken_id group by e.id;
        if broken.posting_count < 2 then
          raise exception 'l''écriture « % » n''a que % ligne(s) : il en faut au moins deux', broken.label, broken.posting_count
            using errcode = 'ML001';
        end if;
        raise exception 'l''écriture « % » n''est pas équilibrée (écart de % centimes)', broken.label, broken.total
          using errcode = 'ML001';
      end if;
      delete from ledger_pending_checks where txid = this_transaction;
      if first_unchecked is null then
        return null;
      end if;

      -- From the counter on, every statement lengthens the time other writers of the same fund-year wait.
      for fund_year in
        select e.fund_id, ledger_fiscal_year(f.fiscal_year_start_month, e.accounting_date) as fiscal_year, count(*)::int as entries
        from journal_entries e join funds f on f.id = e.fund_id
        where e.created_txid = this_transaction and e.id >= first_unchecked
        group by 1, 2
        order by 1, 2
      loop
        with counter as (
          insert into entry_number_counters as c (fund_id, fiscal_year, last_number)
            values (fund_year.fund_id, fund_year.fiscal_year, fund_year.entries)
            on conflict (fund_id, fiscal_year) do update set last_number = c.last_number + fund_year.entries
            returning c.last_number
        )
        update journal_entries e
          set fiscal_year = fund_year.fiscal_year,
              entry_number = counter.last_number - fund_year.entries + numbered.position,
              created_at = clock_timestamp()
          from counter, (
            select j.id, row_number() over (order by j.id)::int as position
            from journal_entries j join funds f on f.id = j.fund_id
            where j.created_txid = this_transaction and j.id >= first_unchecked and j.fund_id = fund_year.fund_id
              and ledger_fiscal_year(f.fiscal_year_start_month, j.accounting_date) = fund_year.fiscal_year
          ) numbered
          where e.id = numbered.id;
        -- A statement of its own, so that its snapshot is taken under the counter lock,
        -- which closing a period also waits for.
        select e.accounting_date into broken
          from journal_entries e
          join period_closures p on p.fund_id = e.fund_id and p.reopened_at is null
            and e.accounting_date between p.starts_on and p.ends_on
            -- the opening entry of a year may land in a month closed ahead of the year-end close
            and not (e.is_opening and p.kind = 'month')
          where e.created_txid = this_transaction and e.id >= first_unchecked
            and e.fund_id = fund_year.fund_id and e.fiscal_year = fund_year.fiscal_year
          limit 1;
        if found then
          raise exception 'la période du % est close pour le fonds %', broken.accounting_date, fund_year.fund_id
            using errcode = 'ML003';
        end if;
      end loop;

      -- One account at a time, in id order: two transactions of the same fund but
      -- different years (different counters) then never wait on each other in a cycle.
      for moved in
        select p.account_id, sum(p.amount_minor)::bigint as delta_minor
        from journal_entries e join postings p on p.entry_id = e.id
        where e.created_txid = this_transaction and e.id >= first_unchecked and not e.is_opening
        group by p.account_id
        order by p.account_id
      loop
        update accounts set balance_minor = balance_minor + moved.delta_minor where id = moved.account_id;
      end loop;
      return null;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  // The stricter commit-time check stays: it needs nothing this migration added.
  await knex.raw('drop function ledger_post_entry');
}
