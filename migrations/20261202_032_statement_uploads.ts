import type { Knex } from 'knex';

/**
 * A bank statement uploaded from the pages is read as a queued job: the file is
 * kept with its upload, the page follows it (reading, then done with what was
 * imported, or why the file was refused: 'refused' is final, 'failed' an
 * unexpected error the job's retry resumes) and the matches are then proposed by
 * their own job. One pending upload per file and fund: sent twice, one upload.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table statement_uploads (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      requested_by uuid not null references users (id),
      file bytea not null,
      file_name text not null,
      file_sha256 text not null,
      source jsonb not null,
      state text not null default 'queued' check (state in ('queued', 'reading', 'done', 'refused', 'failed')),
      statement_ids uuid[] not null default '{}',
      lines_read integer check (lines_read >= 0),
      already_imported boolean,
      other_accounts jsonb not null default '[]',
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      check (state <> 'done' or cardinality(statement_ids) > 0),
      check (state not in ('refused', 'failed') or failure is not null)
    );
    create unique index statement_uploads_one_pending_per_file on statement_uploads (fund_id, file_sha256) where state in ('queued', 'reading');
    create index statement_uploads_by_fund on statement_uploads (fund_id, created_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table statement_uploads');
}
