import type { Knex } from 'knex';

/**
 * The FPCI's first tables (RULES.md §5). Its rules are data of the fund, one
 * dated version after another, never changed once written. Its investors carry
 * their KYC and their eligibility (RG AMF 423-49) with its route; units are
 * subscribed per class at a closing, whose closing (four eyes, a workflow)
 * books the commitments, catch-ups and premiums.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table vehicle_rules (
      fund_id text not null references funds (id),
      version integer not null check (version > 0),
      effective_from date not null,
      rules jsonb not null,
      reason text not null check (length(reason) between 3 and 2000),
      set_by uuid references users (id),
      set_at timestamptz not null default now(),
      primary key (fund_id, version)
    );
    create trigger vehicle_rules_immutable before update or delete on vehicle_rules
      for each row execute function refuse_change_to_records();

    create table investors (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      kind text not null check (kind in ('legal-person', 'individual')),
      name text not null check (length(name) between 1 and 200),
      siren char(9) check (siren ~ '^[0-9]{9}$'),
      identity_document text check (length(identity_document) between 3 and 200),
      address_line text,
      postal_code text,
      city text,
      country char(2) not null default 'FR',
      email text,
      iban text,
      bic text,
      kyc_status text not null default 'pending' check (kyc_status in ('pending', 'verified', 'refused')),
      kyc_checked_on date,
      kyc_expires_on date,
      eligibility_route text check (eligibility_route in ('professional-investor', 'ticket-100k', 'ticket-30k-criterion', 'investment-service-provider')),
      eligibility_details text,
      eligibility_recorded_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (kind <> 'legal-person' or siren is not null),
      check (kind <> 'individual' or identity_document is not null),
      check (kyc_status <> 'verified' or (kyc_checked_on is not null and kyc_expires_on > kyc_checked_on)),
      check ((eligibility_route is null) = (eligibility_recorded_on is null)),
      check (eligibility_route not in ('ticket-30k-criterion', 'investment-service-provider') or eligibility_details is not null)
    );
    create unique index investors_one_per_siren on investors (fund_id, siren) where siren is not null;
    create index investors_by_name on investors (fund_id, name);

    create table closings (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      number integer not null check (number > 0),
      opened_on date not null,
      closed_on date,
      entry_id bigint references journal_entries (id),
      unique (fund_id, number),
      check ((closed_on is null) = (entry_id is null))
    );

    create table subscriptions (
      id uuid primary key default gen_random_uuid(),
      closing_id uuid not null references closings (id),
      investor_id uuid not null references investors (id),
      class_code text not null,
      units integer not null check (units > 0),
      nominal_per_unit_minor bigint not null check (nominal_per_unit_minor > 0),
      commitment_minor bigint not null check (commitment_minor = units * nominal_per_unit_minor),
      catch_up_minor bigint not null default 0 check (catch_up_minor between 0 and commitment_minor),
      premium_minor bigint not null default 0 check (premium_minor >= 0),
      premium_rate numeric(7, 6) not null default 0,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      unique (closing_id, investor_id, class_code)
    );
    create index subscriptions_by_investor on subscriptions (investor_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table subscriptions, closings, investors, vehicle_rules');
}
