import type { Knex } from 'knex';

/**
 * Proposing a statement's matches runs as a queued job, its page showing it
 * until done (a statement of many lines takes seconds). One pending run per
 * statement: asked again meanwhile, the same run.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table match_proposal_runs (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      statement_id uuid not null references bank_statements (id),
      requested_by uuid not null references users (id),
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
      open_lines integer,
      proposed_count integer,
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    create unique index match_proposal_runs_one_pending on match_proposal_runs (statement_id) where state in ('queued', 'running');
    create index match_proposal_runs_by_statement on match_proposal_runs (statement_id, created_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table match_proposal_runs');
}
