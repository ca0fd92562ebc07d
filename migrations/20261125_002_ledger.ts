import type { Knex } from 'knex';

/**
 * The double-entry core. The database itself holds the ledger's invariants, so
 * that no code path — a service, a script, a psql session — can unbalance the
 * books. Errors raised here carry SQLSTATE codes of class "ML" that the HTTP
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
      fiscal_year int not null,
      entry_number int not null,
      label text not null check (length(label) between 1 and 200),
      reason text,
      source_type text,
      source_id text,
      idempotency_key text check (length(idempotency_key) between 1 and 200),
      request_sha256 text,
      reverses_entry_id bigint unique references journal_entries (id),
      is_opening boolean not null default false,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      created_txid bigint not null default txid_current(),
      unique (fund_id, fiscal_year, entry_number),
      unique (fund_id, idempotency_key),
      check (not is_opening or journal_code = 'AN')
    );
    create index journal_entries_by_date on journal_entries (fund_id, accounting_date);
    create index journal_entries_by_source on journal_entries (source_type, source_id);

    create table postings (
      id bigint generated always as identity primary key,
      entry_id bigint not null references journal_entries (id),
      account_id bigint not null references accounts (id),
      amount_minor bigint not null check (amount_minor <> 0),
      line_label text
    );
    create index postings_by_entry on postings (entry_id);
    create index postings_by_account on postings (account_id);

    create function ledger_fiscal_year(p_fund_id text, p_date date) returns int
    language sql stable as $$
      select case
        when f.fiscal_year_start_month = 1 or extract(month from p_date) < f.fiscal_year_start_month
          then extract(year from p_date)::int
        else extract(year from p_date)::int + 1
      end
      from funds f where f.id = p_fund_id
    $$;

    -- Before an entry is stored: take the fund-year counter (which serialises
    -- numbering and closing), refuse a closed period, then number it.
    create function ledger_before_entry_insert() returns trigger
    language plpgsql as $$
    begin
      new.fiscal_year := ledger_fiscal_year(new.fund_id, new.accounting_date);
      if new.fiscal_year is null then
        raise exception 'fonds inconnu : %', new.fund_id using errcode = '23503';
      end if;
      insert into entry_number_counters as c (fund_id, fiscal_year, last_number)
        values (new.fund_id, new.fiscal_year, 1)
        on conflict (fund_id, fiscal_year) do update set last_number = c.last_number + 1
        returning last_number into new.entry_number;
      if exists (
        select 1 from period_closures p
        where p.fund_id = new.fund_id and p.reopened_at is null
          and new.accounting_date between p.starts_on and p.ends_on
          -- the opening entry of a year may land in a month already closed ahead of the year-end close
          and not (new.is_opening and p.kind = 'month')
      ) then
        raise exception 'la période du % est close pour le fonds %', new.accounting_date, new.fund_id
          using errcode = 'ML003';
      end if;
      -- After the counter lock: validation times follow entry numbers.
      new.created_at := clock_timestamp();
      new.created_txid := txid_current();
      if new.reverses_entry_id is not null and not exists (
        select 1 from journal_entries o where o.id = new.reverses_entry_id and o.fund_id = new.fund_id
      ) then
        raise exception 'une contre-passation doit viser une écriture du même fonds' using errcode = 'ML004';
      end if;
      return new;
    end $$;
    create trigger journal_entries_before_insert before insert on journal_entries
      for each row execute function ledger_before_entry_insert();

    -- Checked at commit, once every posting of the entry is in.
    create function ledger_check_entry_balanced() returns trigger
    language plpgsql as $$
    declare
      posting_count int;
      unbalanced_currency text;
    begin
      select count(*) into posting_count from postings where entry_id = new.id;
      if posting_count < 2 then
        raise exception 'l''écriture % n''a que % ligne(s) : il en faut au moins deux', new.id, posting_count
          using errcode = 'ML001';
      end if;
      select a.currency into unbalanced_currency
        from postings p join accounts a on a.id = p.account_id
        where p.entry_id = new.id
        group by a.currency having sum(p.amount_minor) <> 0 limit 1;
      if unbalanced_currency is not null then
        raise exception 'l''écriture % n''est pas équilibrée en %', new.id, unbalanced_currency
          using errcode = 'ML001';
      end if;
      return null;
    end $$;
    create constraint trigger journal_entries_balanced after insert on journal_entries
      deferrable initially deferred
      for each row execute function ledger_check_entry_balanced();

    -- Once per statement, so that a bulk insert updates each account once.
    create function ledger_after_postings_insert() returns trigger
    language plpgsql as $$
    begin
      if exists (
        select 1 from new_postings p
          join journal_entries e on e.id = p.entry_id
          join accounts a on a.id = p.account_id
        where a.fund_id <> e.fund_id
      ) then
        raise exception 'une ligne vise un compte d''un autre fonds que son écriture' using errcode = 'ML004';
      end if;
      if exists (
        select 1 from new_postings p join journal_entries e on e.id = p.entry_id
        where e.created_txid <> txid_current()
      ) then
        raise exception 'une écriture enregistrée ne reçoit plus de lignes' using errcode = 'ML004';
      end if;
      update accounts a set balance_minor = a.balance_minor + d.delta_minor
        from (
          select p.account_id, sum(p.amount_minor)::bigint as delta_minor
          from new_postings p join journal_entries e on e.id = p.entry_id
          where not e.is_opening
          group by p.account_id
        ) d
        where a.id = d.account_id;
      return null;
    end $$;
    create trigger postings_after_insert after insert on postings
      referencing new table as new_postings
      for each statement execute function ledger_after_postings_insert();

    create function ledger_refuse_change() returns trigger
    language plpgsql as $$
    begin
      raise exception '% : les écritures sont définitives ; contre-passez-les', tg_table_name
        using errcode = 'ML002';
    end $$;
    create trigger journal_entries_immutable before update or delete on journal_entries
      for each row execute function ledger_refuse_change();
    create trigger journal_entries_no_truncate before truncate on journal_entries
      for each statement execute function ledger_refuse_change();
    create trigger postings_immutable before update or delete on postings
      for each row execute function ledger_refuse_change();
    create trigger postings_no_truncate before truncate on postings
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
    create function ledger_guard_counter() returns trigger
    language plpgsql as $$
    begin
      if pg_trigger_depth() < 2 then
        raise exception 'la numérotation des écritures ne se modifie pas à la main' using errcode = 'ML002';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;
    create trigger entry_number_counters_guard before insert or update or delete on entry_number_counters
      for each row execute function ledger_guard_counter();

    create trigger period_closures_guard before update on period_closures
      for each row execute function ledger_guard_closure_update();
    create trigger period_closures_no_delete before delete on period_closures
      for each row execute function ledger_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table postings, journal_entries, entry_number_counters, period_closures, accounts, journals, funds cascade;
    drop function ledger_fiscal_year, ledger_before_entry_insert, ledger_check_entry_balanced,
      ledger_after_postings_insert, ledger_refuse_change, ledger_guard_account_update, ledger_guard_closure_update, ledger_guard_counter;
  `);
}
