import type { Knex } from 'knex';

/**
 * A posting no longer waits, at commit, for the transaction before it.
 *
 * Until now every posting of a fund-year locked the numbering counter and the
 * balances of its accounts at commit, and held them through the commit's WAL
 * flush: postings of a fund were committed one at a time, whatever the number
 * of writers (≈ 550 a second on the 2-core benchmark machine, the flush alone
 * ≈ 1 ms under load). Now:
 *
 * - Numbering: the commit-time check takes the fund-year counter only if it is
 *   free (SKIP LOCKED) and then numbers, in id order, this transaction's entries
 *   with every committed entry awaiting its number. When the counter is busy the
 *   entry commits with its fiscal year and no number yet, listed in
 *   ledger_entries_awaiting_number (numbering stays a heap-only update); the next
 *   posting that gets the counter, or the ledger housekeeping (the worker, the
 *   FEC export, journal reads, closing), numbers it. Numbers stay
 *   gapless and increasing in the order entries are numbered — the order of
 *   validation, which the FEC's ValidDate (created_at, set when numbered) shows.
 *
 * - Balances: a movement that raises an account's balance on its natural side
 *   (or any movement of an account that may go negative) is one insert into
 *   account_balance_movements — no shared row to wait for. A movement that lowers
 *   an account that may not go negative locks that account, folds its pending
 *   movements into accounts.balance_minor and updates it, so that accounts_floor
 *   still judges the whole balance. The current balance is accounts.balance_minor
 *   plus its pending movements (view account_balances); the housekeeping folds
 *   them. Pending movements of a floor account are always increases, so its folded
 *   part alone never overstates what may be spent.
 *
 * - Closed periods: the commit-time check holds a shared advisory lock on the
 *   fund while it checks the closures; closing takes it exclusively, so it waits
 *   for the entries being committed and the entries after it see the closure.
 *
 * Entries still to check are those without a fiscal year (only this check gives
 * it, and the insert trigger clears any other value).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function ledger_fund_lock_key(p_fund_id text) returns bigint
    language sql immutable as $$ select hashtextextended('milliard:ledger-fund:' || p_fund_id, 0) $$;

    -- Entries committed without a number (their counter was busy), by fund-year. The
    -- number itself stays unindexed, so that numbering is a heap-only update.
    create table ledger_entries_awaiting_number (
      fund_id text not null,
      fiscal_year int not null,
      entry_id bigint not null,
      primary key (fund_id, fiscal_year, entry_id)
    );
    create trigger ledger_entries_awaiting_number_guard before insert or update or delete on ledger_entries_awaiting_number
      for each row when (pg_trigger_depth() < 1)
      execute function ledger_only_from_triggers('la file des écritures à numéroter ne se modifie pas à la main');
    create trigger ledger_entries_awaiting_number_no_truncate before truncate on ledger_entries_awaiting_number
      for each statement execute function ledger_refuse_change();

    create table account_balance_movements (
      account_id bigint not null,
      delta_minor bigint not null check (delta_minor <> 0)
    );
    create index account_balance_movements_by_account on account_balance_movements (account_id);
    -- The guard runs only for writes from outside the ledger's own triggers (depth 0), which it refuses.
    create trigger account_balance_movements_guard before insert or update or delete on account_balance_movements
      for each row when (pg_trigger_depth() < 1)
      execute function ledger_only_from_triggers('les mouvements de solde ne s''écrivent que par les écritures');
    create trigger account_balance_movements_no_truncate before truncate on account_balance_movements
      for each statement execute function ledger_refuse_change();

    create view account_balances as
      select a.id as account_id,
             (a.balance_minor + coalesce((select sum(m.delta_minor) from account_balance_movements m where m.account_id = a.id), 0))::bigint
               as balance_minor
      from accounts a;

    -- The only changes an entry ever sees, each once, by the ledger's own triggers:
    -- its fiscal year, then its number (and the time it was numbered).
    create or replace function ledger_guard_entry_update() returns trigger
    language plpgsql as $$
    begin
      if pg_trigger_depth() >= 2 and old.entry_number is null and new.fiscal_year is not null
         and (old.fiscal_year is null or old.fiscal_year = new.fiscal_year)
         and (old.fiscal_year is null or new.entry_number is not null)
         and (new.id, new.fund_id, new.journal_code, new.accounting_date, new.label, new.reason,
              new.source_type, new.source_id, new.idempotency_key, new.request_sha256, new.reverses_entry_id,
              new.is_opening, new.created_by, new.created_txid)
             is not distinct from
             (old.id, old.fund_id, old.journal_code, old.accounting_date, old.label, old.reason,
              old.source_type, old.source_id, old.idempotency_key, old.request_sha256, old.reverses_entry_id,
              old.is_opening, old.created_by, old.created_txid) then
        return new;
      end if;
      raise exception 'journal_entries : les écritures sont définitives ; contre-passez-les' using errcode = 'ML002';
    end $$;

    -- Numbers, after p_last_number and in id order, the fund-year's committed entries
    -- awaiting their number and, when p_txid is given, the entries of that transaction
    -- being checked. The caller holds the counter row.
    create function ledger_number_entries(p_fund_id text, p_fiscal_year int, p_last_number int, p_txid bigint, p_first_unchecked bigint)
    returns int
    language plpgsql as $$
    declare
      numbered int;
    begin
      with waiting as (
        delete from ledger_entries_awaiting_number w
          where w.fund_id = p_fund_id and w.fiscal_year = p_fiscal_year
          returning w.entry_id
      ), candidate as (
        select x.id, row_number() over (order by x.id)::int as position
        from (
          select waiting.entry_id as id from waiting
          union all
          select j.id from journal_entries j join funds f on f.id = j.fund_id
          where j.created_txid = p_txid and j.id >= p_first_unchecked and j.fund_id = p_fund_id and j.fiscal_year is null
            and ledger_fiscal_year(f.fiscal_year_start_month, j.accounting_date) = p_fiscal_year
        ) x
      ), updated as (
        update journal_entries e
          set fiscal_year = p_fiscal_year, entry_number = p_last_number + candidate.position, created_at = clock_timestamp()
          from candidate
          where e.id = candidate.id
          returning 1
      )
      select count(*) into numbered from updated;
      if numbered > 0 then
        update entry_number_counters set last_number = p_last_number + numbered
          where fund_id = p_fund_id and fiscal_year = p_fiscal_year;
      end if;
      return numbered;
    end $$;

    -- Folds an account's pending movements into its balance, with p_delta_minor: under the
    -- row lock, so that accounts_floor judges the whole balance. The housekeeping does not
    -- wait (p_wait false): an account locked by a posting is folded next time.
    create function ledger_fold_account(p_account_id bigint, p_delta_minor bigint, p_wait boolean) returns void
    language plpgsql as $$
    begin
      if p_wait then
        perform 1 from accounts where id = p_account_id for update;
      else
        perform 1 from accounts where id = p_account_id for update skip locked;
        if not found then
          return;
        end if;
      end if;
      -- A statement of its own, after the lock: it sees every movement committed before it.
      with folded as (
        delete from account_balance_movements m where m.account_id = p_account_id returning m.delta_minor
      )
      update accounts set balance_minor = balance_minor + p_delta_minor + coalesce((select sum(delta_minor) from folded), 0)
        where id = p_account_id and p_delta_minor + coalesce((select sum(delta_minor) from folded), 0) <> 0;
    end $$;

    create or replace function ledger_validate_transaction() returns trigger
    language plpgsql as $$
    declare
      this_transaction bigint := txid_current();
      -- Entries of the transaction inserted after an earlier check (SET CONSTRAINTS … IMMEDIATE)
      -- have greater ids than every entry that check saw.
      first_unchecked bigint;
      broken_id bigint;
      broken record;
      fund_year record;
      moved record;
      last_number int;
    begin
      select min(x.id), min(x.id) filter (where x.posting_count < 2 or x.total <> 0)
        into first_unchecked, broken_id
        from (
          select e.id, count(p.id) as posting_count, coalesce(sum(p.amount_minor), 0) as total
          from journal_entries e
          left join postings p on p.entry_id = e.id
          where e.created_txid = this_transaction and e.fiscal_year is null
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

      for fund_year in
        select e.fund_id, ledger_fiscal_year(f.fiscal_year_start_month, e.accounting_date) as fiscal_year
        from journal_entries e join funds f on f.id = e.fund_id
        where e.created_txid = this_transaction and e.id >= first_unchecked
        group by 1, 2
        order by 1, 2
      loop
        perform pg_advisory_xact_lock_shared(ledger_fund_lock_key(fund_year.fund_id));
        select c.last_number into last_number from entry_number_counters c
          where c.fund_id = fund_year.fund_id and c.fiscal_year = fund_year.fiscal_year
          for update skip locked;
        if not found and not exists (
          select 1 from entry_number_counters c where c.fund_id = fund_year.fund_id and c.fiscal_year = fund_year.fiscal_year
        ) then
          insert into entry_number_counters (fund_id, fiscal_year, last_number)
            values (fund_year.fund_id, fund_year.fiscal_year, 0) on conflict do nothing;
          select c.last_number into last_number from entry_number_counters c
            where c.fund_id = fund_year.fund_id and c.fiscal_year = fund_year.fiscal_year
            for update skip locked;
        end if;
        if found then
          perform ledger_number_entries(fund_year.fund_id, fund_year.fiscal_year, last_number, this_transaction, first_unchecked);
        else
          with marked as (
            update journal_entries e set fiscal_year = fund_year.fiscal_year
              from funds f
              where f.id = e.fund_id and e.created_txid = this_transaction and e.id >= first_unchecked
                and e.fund_id = fund_year.fund_id and e.fiscal_year is null
                and ledger_fiscal_year(f.fiscal_year_start_month, e.accounting_date) = fund_year.fiscal_year
              returning e.id
          )
          insert into ledger_entries_awaiting_number (fund_id, fiscal_year, entry_id)
            select fund_year.fund_id, fund_year.fiscal_year, marked.id from marked;
        end if;
        -- A statement of its own, after the fund's lock: it sees every closure committed before it.
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

      -- Accounts in id order, so that two transactions lowering the same accounts never wait on each other in a cycle.
      for moved in
        select p.account_id, sum(p.amount_minor)::bigint as delta_minor,
               not a.may_go_negative
                 and (case when a.type in ('asset', 'expense') then sum(p.amount_minor) else -sum(p.amount_minor) end) < 0 as lowers_floor
        from journal_entries e
        join postings p on p.entry_id = e.id
        join accounts a on a.id = p.account_id
        where e.created_txid = this_transaction and e.id >= first_unchecked and not e.is_opening
        group by p.account_id, a.may_go_negative, a.type
        having sum(p.amount_minor) <> 0
        order by p.account_id
      loop
        if moved.lowers_floor then
          perform ledger_fold_account(moved.account_id, moved.delta_minor, true);
        else
          insert into account_balance_movements (account_id, delta_minor) values (moved.account_id, moved.delta_minor);
        end if;
      end loop;
      return null;
    end $$;

    -- The ledger's housekeeping, asked for by inserting a row (never stored): numbers the
    -- fund's committed entries awaiting their number and, on request, folds its
    -- accounts' pending movements into their balances. Through a trigger, so that it
    -- writes numbers and balances with the same rights as the commit-time check.
    create unlogged table ledger_housekeeping (fund_id text not null, fold_balances boolean not null default false);
    create function ledger_run_housekeeping() returns trigger
    language plpgsql as $$
    declare
      pending record;
      last_number int;
    begin
      for pending in
        select distinct w.fiscal_year from ledger_entries_awaiting_number w
        where w.fund_id = new.fund_id
        order by 1
      loop
        -- An entry awaits its number only when its counter existed and was busy: the row is there.
        select c.last_number into last_number from entry_number_counters c
          where c.fund_id = new.fund_id and c.fiscal_year = pending.fiscal_year
          for update;
        perform ledger_number_entries(new.fund_id, pending.fiscal_year, last_number, null, null);
      end loop;
      if new.fold_balances then
        for pending in
          select distinct m.account_id from account_balance_movements m join accounts a on a.id = m.account_id
          where a.fund_id = new.fund_id
          order by 1
        loop
          perform ledger_fold_account(pending.account_id, 0, false);
        end loop;
      end if;
      return null;
    end $$;
    create trigger ledger_housekeeping_run before insert on ledger_housekeeping
      for each row execute function ledger_run_housekeeping();

    -- The helpers run within these two, under their setting: a SET clause of their own would cost each call.
    alter function ledger_validate_transaction() set enable_seqscan = off;
    alter function ledger_run_housekeeping() set enable_seqscan = off;
  `);
}

export async function down(): Promise<void> {
  // Going back would mean folding every pending movement and numbering every entry first, then
  // restoring the commit-time check of migration 017: a step to take by hand, not by rollback.
  throw new Error('La migration 019 ne se défait pas automatiquement.');
}
