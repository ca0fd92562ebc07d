import type { Knex } from 'knex';

/**
 * The double-entry core. The database itself holds the ledger's invariants, so
 * that no code path — a service, a script, a psql session — can unbalance the
 * books.
 *
 * Everything that serialises writers (the gapless number of a fund's fiscal
 * year, the running balance of a busy bank account) happens at COMMIT, in one
 * deferred check per transaction: entries are numbered in the order they are
 * validated, as the FEC requires, and no lock is held while the application
 * is still talking to the database. Errors raised here carry SQLSTATE codes of class "ML" that the HTTP
 * edge maps to problem types (src/ledger/database-errors.ts):
 *   ML001 unbalanced entry or fewer than two postings
 *   ML002 journal entries and postings are immutable
 *   ML003 entry dated in a closed period
 *   ML004 posting on an account of another fund, or after its entry's transaction
 *   ML005 a closed fiscal year cannot be reopened
 *   ML006 an account balance is only changed by postings
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table funds (
      id text primary key check (id ~ '^[a-z][a-z0-9-]{1,30}$'),
      kind text not null check (kind in ('endowment', 'fpci', 'guarantee')),
      name text not null,
      siren char(9) not null check (siren ~ '^[0-9]{9}$'),
      fiscal_year_start_month smallint not null default 1 check (fiscal_year_start_month between 1 and 12),
      currency char(3) not null default 'EUR',
      accounting_standard text not null,
      created_at timestamptz not null default now()
    );

    create table journals (
      code text primary key check (code ~ '^[A-Z]{2,6}$'),
      label text not null
    );

    create table accounts (
      id bigint generated always as identity primary key,
      fund_id text not null references funds (id),
      code text not null check (code ~ '^[1-8][0-9]{2}[0-9A-Z]{0,17}$'),
      label text not null check (length(label) between 1 and 200),
      type text not null check (type in ('asset', 'liability', 'equity', 'income', 'expense')),
      currency char(3) not null default 'EUR',
      may_go_negative boolean not null default true,
      -- Debit-positive running balance of every posting but opening ("à nouveaux") ones.
      balance_minor bigint not null default 0,
      created_at timestamptz not null default now(),
      unique (fund_id, code),
      unique (id, fund_id),
      -- The floor is on the account's natural side: debit for assets and expenses, credit otherwise.
      constraint accounts_floor check (
        may_go_negative
        or (case when type in ('asset', 'expense') then balance_minor else -balance_minor end) >= 0
      )
    );

    create table period_closures (
      id bigint generated always as identity primary key,
      fund_id text not null references funds (id),
      kind text not null check (kind in ('month', 'year')),
      fiscal_year int not null,
      starts_on date not null,
      ends_on date not null,
      reason text not null,
      closed_by uuid references users (id),
      closed_at timestamptz not null default now(),
      reopened_by uuid references users (id),
      reopened_at timestamptz,
      reopen_reason text,
      check (ends_on >= starts_on),
      check ((reopened_at is null) = (reopen_reason is null))
    );
    create unique index period_closures_active on period_closures (fund_id, kind, starts_on) where reopened_at is null;

    create table entry_number_counters (
      fund_id text not null references funds (id),
      fiscal_year int not null,
      last_number int not null,
      primary key (fund_id, fiscal_year)
    );

    create table journal_entries (
      id bigint generated always as identity primary key,
      fund_id text not null references funds (id),
      journal_code text not null references journals (code),
      accounting_date date not null,
      -- Both given at commit; null only inside the transaction that creates the entry.
      fiscal_year int,
      entry_number int,
      label text not null check (length(label) between 1 and 200),
      reason text,
      source_type text,
      source_id text,
      idempotency_key text check (length(idempotency_key) between 1 and 200),
      request_sha256 text,
      reverses_entry_id bigint references journal_entries (id),
      is_opening boolean not null default false,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      created_txid bigint not null default txid_current(),
      unique (fund_id, fiscal_year, entry_number),
      check (not is_opening or journal_code = 'AN')
    );
    create index journal_entries_by_date on journal_entries (fund_id, accounting_date);
    -- Partial where most entries have nothing to index: numbering at commit updates every
    -- entry, and each index of the table is written again for it.
    create unique index journal_entries_reverses_entry_id_key on journal_entries (reverses_entry_id) where reverses_entry_id is not null;
    create unique index journal_entries_idempotency on journal_entries (fund_id, idempotency_key) where idempotency_key is not null;
    create index journal_entries_by_source on journal_entries (source_type, source_id) where source_type is not null;

    -- entry_id and account_id are checked by postings_after_insert, set-based, rather
    -- than by foreign keys row by row: same guarantee (entries and accounts are never
    -- deleted), a third of the cost of a bulk import.
    create table postings (
      id bigint generated always as identity primary key,
      entry_id bigint not null,
      account_id bigint not null,
      amount_minor bigint not null check (amount_minor <> 0),
      line_label text
    );
    create index postings_by_entry on postings (entry_id);
    create index postings_by_account on postings (account_id);

    -- Fiscal year N ends in calendar year N. Immutable SQL, so the planner inlines it.
    create function ledger_fiscal_year(p_start_month smallint, p_date date) returns int
    language sql immutable as $$
      select case
        when p_start_month = 1 or extract(month from p_date) < p_start_month then extract(year from p_date)::int
        else extract(year from p_date)::int + 1
      end
    $$;

    -- Only for rows that name a number, a fiscal year, a transaction or a reversal (the
    -- WHEN clause costs nothing per row of a bulk import); everything that needs a lock
    -- waits for the commit-time check below.
    create function ledger_before_entry_insert() returns trigger
    language plpgsql as $$
    begin
      new.fiscal_year := null;
      new.entry_number := null;
      new.created_txid := txid_current();
      if new.reverses_entry_id is not null and not exists (
        select 1 from journal_entries o where o.id = new.reverses_entry_id and o.fund_id = new.fund_id
      ) then
        raise exception 'une contre-passation doit viser une écriture du même fonds' using errcode = 'ML004';
      end if;
      return new;
    end $$;
    create trigger journal_entries_before_insert before insert on journal_entries
      for each row
      when (new.fiscal_year is not null or new.entry_number is not null or new.reverses_entry_id is not null
            or new.created_txid <> txid_current())
      execute function ledger_before_entry_insert();

    -- Postings belong to an existing entry, created in the same transaction, and to
    -- an existing account of that entry's fund. Lookups go through primary keys
    -- (lateral): the planner cannot size a transition table.
    create function ledger_after_postings_insert() returns trigger
    language plpgsql as $$
    declare
      this_transaction bigint := txid_current();
      problem text;
    begin
      select case
          when e.fund_id is null then 'une ligne vise une écriture inexistante'
          when a.fund_id is null then 'une ligne vise un compte inexistant'
          when e.fund_id <> a.fund_id then 'une ligne vise un compte d''un autre fonds que son écriture'
          else 'une écriture enregistrée ne reçoit plus de lignes'
        end
        into problem
        from new_postings p
        left join lateral (select j.fund_id, j.created_txid from journal_entries j where j.id = p.entry_id) e on true
        left join lateral (select c.fund_id from accounts c where c.id = p.account_id) a on true
        where e.fund_id is null or a.fund_id is null or e.fund_id <> a.fund_id or e.created_txid <> this_transaction
        limit 1;
      if problem is not null then
        raise exception '%', problem using errcode = 'ML004';
      end if;
      return null;
    end $$;
    create trigger postings_after_insert after insert on postings
      referencing new table as new_postings
      for each statement execute function ledger_after_postings_insert();

    -- Rows that only the ledger's own triggers may write (counters, pending checks); the message says which.
    create function ledger_only_from_triggers() returns trigger
    language plpgsql as $$
    begin
      if pg_trigger_depth() < 2 then
        raise exception '%', tg_argv[0] using errcode = 'ML002';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;
    -- One row per transaction whose entries await the commit-time check: its deferred
    -- trigger fires once per transaction, however many entries it inserts.
    create unlogged table ledger_pending_checks (txid bigint primary key);
    create function ledger_mark_pending_check() returns trigger
    language plpgsql as $$
    begin
      insert into ledger_pending_checks values (txid_current()) on conflict do nothing;
      return null;
    end $$;
    create trigger journal_entries_mark_pending after insert on journal_entries
      for each statement execute function ledger_mark_pending_check();

    -- At commit, once per transaction (entries checked earlier in the same transaction,
    -- under SET CONSTRAINTS … IMMEDIATE, stay below a watermark): every entry has two lines or more and balances;
    -- each fund-year counter is taken in a fixed order, no entry falls in a closed
    -- period, entries are numbered in order, and account balances move.
    create function ledger_validate_transaction() returns trigger
    language plpgsql as $$
    declare
      checked_up_to bigint := coalesce(nullif(current_setting('milliard.entries_checked_up_to', true), ''), '0')::bigint;
      -- A variable, not the volatile function, so that the index on created_txid is used.
      this_transaction bigint := txid_current();
      broken record;
      fund_year record;
      moved record;
    begin
      select e.id, e.label, count(p.id) as posting_count, coalesce(sum(p.amount_minor), 0) as total
        into broken
        from journal_entries e
        left join postings p on p.entry_id = e.id
        where e.created_txid = this_transaction and e.id > checked_up_to
        group by e.id
        having count(p.id) < 2 or coalesce(sum(p.amount_minor), 0) <> 0
        limit 1;
      if found then
        if broken.posting_count < 2 then
          raise exception 'l''écriture « % » n''a que % ligne(s) : il en faut au moins deux', broken.label, broken.posting_count
            using errcode = 'ML001';
        end if;
        raise exception 'l''écriture « % » n''est pas équilibrée (écart de % centimes)', broken.label, broken.total
          using errcode = 'ML001';
      end if;

      -- Done before any lock is taken: from the counter on, every statement lengthens
      -- the time other writers of the same fund-year wait.
      perform set_config('milliard.entries_checked_up_to',
        coalesce((select max(id) from journal_entries where created_txid = this_transaction), checked_up_to)::text, true);
      delete from ledger_pending_checks where txid = this_transaction;

      for fund_year in
        select e.fund_id, ledger_fiscal_year(f.fiscal_year_start_month, e.accounting_date) as fiscal_year, count(*)::int as entries
        from journal_entries e join funds f on f.id = e.fund_id
        where e.created_txid = this_transaction and e.id > checked_up_to
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
            where j.created_txid = this_transaction and j.id > checked_up_to and j.fund_id = fund_year.fund_id
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
          where e.created_txid = this_transaction and e.id > checked_up_to
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
        where e.created_txid = this_transaction and e.id > checked_up_to and not e.is_opening
        group by p.account_id
        order by p.account_id
      loop
        update accounts set balance_minor = balance_minor + moved.delta_minor where id = moved.account_id;
      end loop;
      return null;
    end $$;
    create constraint trigger journal_entries_validated after insert on ledger_pending_checks
      deferrable initially deferred
      for each row execute function ledger_validate_transaction();
    create trigger ledger_pending_checks_guard before update or delete on ledger_pending_checks
      for each row execute function ledger_only_from_triggers('le contrôle des écritures en attente ne se retire pas à la main');
    create index journal_entries_by_transaction on journal_entries (created_txid);

    create function ledger_refuse_change() returns trigger
    language plpgsql as $$
    begin
      raise exception '% : les écritures sont définitives ; contre-passez-les', tg_table_name
        using errcode = 'ML002';
    end $$;
    -- The only change an entry ever sees: its fiscal year and number, given once, by the commit-time check.
    create function ledger_guard_entry_update() returns trigger
    language plpgsql as $$
    begin
      if pg_trigger_depth() >= 2 and old.entry_number is null and new.entry_number is not null and new.fiscal_year is not null
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
    create trigger journal_entries_immutable before update on journal_entries
      for each row execute function ledger_guard_entry_update();
    create trigger journal_entries_no_delete before delete on journal_entries
      for each row execute function ledger_refuse_change();
    create trigger journal_entries_no_truncate before truncate on journal_entries
      for each statement execute function ledger_refuse_change();
    create trigger postings_immutable before update or delete on postings
      for each row execute function ledger_refuse_change();
    create trigger postings_no_truncate before truncate on postings
      for each statement execute function ledger_refuse_change();
    create trigger ledger_pending_checks_no_truncate before truncate on ledger_pending_checks
      for each statement execute function ledger_refuse_change();

    create function ledger_guard_account_update() returns trigger
    language plpgsql as $$
    begin
      if new.balance_minor <> old.balance_minor and pg_trigger_depth() < 2 then
        raise exception 'le solde du compte % ne change que par des écritures', old.code using errcode = 'ML006';
      end if;
      if new.fund_id <> old.fund_id or new.type <> old.type or new.currency <> old.currency or new.code <> old.code then
        raise exception 'le compte % ne change ni de fonds, ni de numéro, ni de nature', old.code using errcode = 'ML006';
      end if;
      return new;
    end $$;
    create trigger accounts_guard before update on accounts
      for each row execute function ledger_guard_account_update();
    create trigger accounts_no_delete before delete on accounts
      for each row execute function ledger_refuse_change();

    -- A closure is only ever reopened (months only, while their year is open), never edited.
    create function ledger_guard_closure_update() returns trigger
    language plpgsql as $$
    begin
      if old.reopened_at is not null or new.reopened_at is null
         or (new.id, new.fund_id, new.kind, new.fiscal_year, new.starts_on, new.ends_on, new.reason, new.closed_by, new.closed_at)
            is distinct from (old.id, old.fund_id, old.kind, old.fiscal_year, old.starts_on, old.ends_on, old.reason, old.closed_by, old.closed_at) then
        raise exception 'une clôture ne se modifie pas ; elle peut seulement être rouverte' using errcode = 'ML005';
      end if;
      if old.kind = 'year' then
        raise exception 'l''exercice % est clos : il ne peut pas être rouvert', old.fiscal_year using errcode = 'ML005';
      end if;
      if exists (select 1 from period_closures y where y.fund_id = old.fund_id and y.kind = 'year'
                 and y.fiscal_year = old.fiscal_year and y.reopened_at is null) then
        raise exception 'l''exercice % est clos : ses mois ne peuvent pas être rouverts', old.fiscal_year using errcode = 'ML005';
      end if;
      return new;
    end $$;
    create trigger entry_number_counters_guard before insert or update or delete on entry_number_counters
      for each row execute function ledger_only_from_triggers('la numérotation des écritures ne se modifie pas à la main');

    create trigger period_closures_guard before update on period_closures
      for each row execute function ledger_guard_closure_update();
    create trigger period_closures_no_delete before delete on period_closures
      for each row execute function ledger_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table postings, journal_entries, ledger_pending_checks, entry_number_counters, period_closures, accounts, journals, funds cascade;
    drop function ledger_fiscal_year, ledger_before_entry_insert, ledger_mark_pending_check, ledger_validate_transaction,
      ledger_after_postings_insert, ledger_guard_entry_update, ledger_refuse_change, ledger_guard_account_update, ledger_guard_closure_update, ledger_only_from_triggers;
  `);
}
