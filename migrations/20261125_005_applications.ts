import type { Knex } from 'knex';

/** Funding applications on the relational pathway; their state lives in workflow_instances. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table applications (
      id uuid primary key default gen_random_uuid(),
      organisation_id text not null references organisations (id),
      fund_id text not null references funds (id),
      first_message text not null check (length(first_message) between 1 and 5000),
      contact_name text not null,
      contact_email text not null,
      contact_phone text,
      pre_proposal jsonb,
      proposal jsonb not null default '{}',
      created_by uuid references users (id),
      created_at timestamptz not null default now()
    );
    create index applications_by_organisation on applications (organisation_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table applications');
}
