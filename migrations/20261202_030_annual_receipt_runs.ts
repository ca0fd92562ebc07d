import type { Knex } from 'knex';

/**
 * The year's annual receipts issued as a queued job, donor by donor in bounded
 * batches, each its own transaction: its page shows how far it got. A run
 * stopped in between resumes where it was (a gift already receipted is not
 * receipted again). One run per fund and year at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table annual_receipt_runs (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      fiscal_year integer not null check (fiscal_year between 2000 and 2100),
      requested_by uuid not null references users (id),
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
      total_donors integer,
      processed_donors integer not null default 0 check (processed_donors >= 0),
      issued_count integer not null default 0 check (issued_count >= 0),
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      check (total_donors is null or processed_donors <= total_donors)
    );
    create unique index annual_receipt_runs_one_pending on annual_receipt_runs (fund_id, fiscal_year) where state in ('queued', 'running');
    create index annual_receipt_runs_by_fund on annual_receipt_runs (fund_id, created_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table annual_receipt_runs');
}
