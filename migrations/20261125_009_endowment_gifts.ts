import type { Knex } from 'knex';

/**
 * Gifts to the endowment fund and their tax receipts (RULES.md §1). A receipt's
 * number is unique and gapless within its fiscal year: drawn from a counter row
 * held until commit. A receipt is never deleted; cancelling it keeps its number
 * and links the replacement. Rates and ceilings are data with validity periods.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table endowment_settings (
      fund_id text primary key references funds (id),
      address text not null,
      purpose text not null,
      organisation_type text not null,
      signatory_name text not null,
      signatory_capacity text not null
    );

    create table tax_reduction_rates (
      id bigint generated always as identity primary key,
      donor_kind text not null check (donor_kind in ('individual', 'company')),
      article text not null,
      rate numeric(5, 4) not null check (rate > 0 and rate <= 1),
      ceiling text not null,
      valid_from date not null,
      valid_to date,
      check (valid_to is null or valid_to > valid_from)
    );
    insert into tax_reduction_rates (donor_kind, article, rate, ceiling, valid_from) values
      ('individual', '200', 0.66, 'dans la limite de 20 % du revenu imposable, l''excédent étant reportable sur les cinq années suivantes', '2020-01-01'),
      ('company', '238 bis', 0.60, 'jusqu''à 2 millions d''euros (40 % au-delà), dans la limite de 20 000 € ou de 5 ‰ du chiffre d''affaires hors taxes si ce montant est plus élevé, l''excédent étant reportable sur les cinq exercices suivants', '2020-01-01');

    create table donors (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      kind text not null check (kind in ('individual', 'company')),
      last_name text,
      first_names text,
      company_name text,
      siren char(9),
      address_line text not null,
      postal_code text not null,
      city text not null,
      country text not null default 'France',
      email text check (email = lower(email)),
      -- The donor's account, once they have one (several records may share it: a person giving to several funds).
      user_id uuid references users (id),
      receipt_mode text not null default 'per-gift' check (receipt_mode in ('per-gift', 'annual')),
      consent_email boolean not null default true,
      consent_newsletter boolean not null default false,
      created_at timestamptz not null default now(),
      check (kind <> 'individual' or (last_name is not null and first_names is not null)),
      check (kind <> 'company' or (company_name is not null and siren is not null))
    );
    create index donors_by_fund on donors (fund_id, created_at);
    create index donors_by_user on donors (user_id) where user_id is not null;

    create table donations (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      donor_id uuid not null references donors (id),
      amount_minor bigint not null check (amount_minor > 0),
      received_on date not null,
      method text not null check (method in ('transfer', 'card', 'cheque', 'cash', 'direct-debit')),
      recurring boolean not null default false,
      pool_id text,
      external_ref text,
      idempotency_key text,
      entry_id bigint not null references journal_entries (id),
      recorded_by uuid references users (id),
      created_at timestamptz not null default now(),
      unique (fund_id, idempotency_key)
    );
    create index donations_by_donor on donations (donor_id, received_on);

    create table tax_receipt_counters (
      fund_id text not null references funds (id),
      fiscal_year int not null,
      last_number int not null,
      primary key (fund_id, fiscal_year)
    );

    create table tax_receipts (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      fiscal_year int not null,
      number int not null check (number > 0),
      reference text not null unique,
      donor_id uuid not null references donors (id),
      kind text not null check (kind in ('per-gift', 'annual')),
      amount_minor bigint not null check (amount_minor > 0),
      period_from date not null,
      period_to date not null,
      -- What the receipt says, frozen when issued: the donor and the legal basis as they were.
      content jsonb not null,
      issued_at timestamptz not null default now(),
      replaces_id uuid unique references tax_receipts (id),
      cancelled_at timestamptz,
      cancel_reason text,
      emailed_at timestamptz,
      unique (fund_id, fiscal_year, number)
    );

    create table tax_receipt_donations (
      receipt_id uuid not null references tax_receipts (id),
      donation_id uuid not null references donations (id),
      primary key (receipt_id, donation_id)
    );
    create index tax_receipt_donations_by_donation on tax_receipt_donations (donation_id);

    -- A receipt is never deleted nor rewritten: it may only be cancelled once, and marked e-mailed.
    create function tax_receipts_guard() returns trigger
    language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'tax_receipts : un reçu ne se supprime pas ; annulez-le' using errcode = 'ML002';
      end if;
      if (to_jsonb(new) - 'cancelled_at' - 'cancel_reason' - 'emailed_at') <> (to_jsonb(old) - 'cancelled_at' - 'cancel_reason' - 'emailed_at')
         or (old.cancelled_at is not null and (new.cancelled_at is distinct from old.cancelled_at or new.cancel_reason is distinct from old.cancel_reason))
         or (old.emailed_at is not null and new.emailed_at is distinct from old.emailed_at) then
        raise exception 'tax_receipts : un reçu émis ne change pas ; annulez-le et émettez-en un autre' using errcode = 'ML002';
      end if;
      return new;
    end $$;
    create trigger tax_receipts_guard before update or delete on tax_receipts
      for each row execute function tax_receipts_guard();
    create trigger tax_receipt_donations_immutable before update or delete on tax_receipt_donations
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table tax_receipt_donations, tax_receipts, tax_receipt_counters, donations, donors, tax_reduction_rates, endowment_settings;
    drop function tax_receipts_guard;
  `);
}
