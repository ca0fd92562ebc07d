import type { Knex } from 'knex';

/** Reports of a grant's beneficiary; their state lives in workflow_instances (workflow 'report'). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table grant_reports (
      id uuid primary key default gen_random_uuid(),
      grant_id uuid not null references grants (id),
      application_id uuid not null references applications (id),
      summary text not null check (length(summary) between 10 and 20000),
      spent_minor bigint not null check (spent_minor >= 0),
      submitted_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index grant_reports_by_application on grant_reports (application_id, created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table grant_reports');
}
