import type { Knex } from 'knex';

/**
 * Co-financing pools, grants and their tranches. A pool's money sits on its own
 * dedicated-funds account (195…), which may not go below zero: the database
 * itself refuses a grant that would overdraw the pool. A tranche becomes
 * payable when its condition is met and is then handed to the treasury as a
 * disbursement request.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table pools (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
      fund_id text not null references funds (id),
      name text not null check (length(name) between 1 and 200),
      partner_name text not null check (length(partner_name) between 1 and 200),
      account_code text not null,
      ticket_min_minor bigint not null check (ticket_min_minor > 0),
      ticket_max_minor bigint not null,
      eligible_project_types text[] not null default '{}',
      starts_on date not null,
      ends_on date not null,
      tranche_percents numeric(7, 4)[] not null default '{50, 30, 20}',
      created_at timestamptz not null default now(),
      check (ticket_max_minor >= ticket_min_minor),
      check (ends_on > starts_on),
      unique (fund_id, account_code)
    );

    create table grants (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      application_id uuid not null unique references applications (id),
      organisation_id text not null references organisations (id),
      pool_id text references pools (id),
      amount_minor bigint not null check (amount_minor > 0),
      payable_account_code text not null,
      commitment_entry_id bigint not null references journal_entries (id),
      created_at timestamptz not null default now()
    );
    create index grants_by_pool on grants (pool_id) where pool_id is not null;

    create table grant_tranches (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants (id),
      position int not null check (position > 0),
      percent numeric(7, 4) not null check (percent > 0 and percent <= 100),
      amount_minor bigint not null check (amount_minor > 0),
      condition text not null check (condition in ('agreement-signed', 'report-accepted')),
      status text not null default 'scheduled' check (status in ('scheduled', 'payable')),
      payable_since timestamptz,
      unique (grant_id, position),
      check ((status = 'payable') = (payable_since is not null))
    );

    create table disbursement_requests (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      tranche_id uuid not null unique references grant_tranches (id),
      organisation_id text not null references organisations (id),
      amount_minor bigint not null check (amount_minor > 0),
      payable_account_code text not null,
      label text not null,
      status text not null default 'requested' check (status in ('requested')),
      created_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table disbursement_requests, grant_tranches, grants, pools');
}
