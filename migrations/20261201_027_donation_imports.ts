import type { Knex } from 'knex';

/**
 * Gift imports run as queued jobs in bounded batches. The file is kept with the
 * import; each line's outcome is written in the same transaction as its gift, so
 * an interrupted import resumes after its last committed line and never records a
 * line twice. A gift's per-gift receipt is issued just after its batch, each in
 * its own transaction (the receipt counter is held for one receipt at a time);
 * `receipt_due` marks those still to issue when a run stops in between.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table donation_imports (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      requested_by uuid not null references users (id),
      dry_run boolean not null,
      file bytea not null,
      file_sha256 text not null,
      charset text not null,
      state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
      total_lines integer,
      processed_lines integer not null default 0 check (processed_lines >= 0),
      created_count integer not null default 0,
      already_imported_count integer not null default 0,
      refused_count integer not null default 0,
      failure text,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      finished_at timestamptz,
      check (total_lines is null or processed_lines <= total_lines)
    );
    -- How an import (and the bank matcher) finds a donor again: by e-mail, SIREN, or name and postal code; without these, each line read the whole donors table.
    create index donors_by_email on donors (fund_id, email) where email is not null;
    create index donors_by_siren on donors (fund_id, siren) where siren is not null;
    create index donors_by_name on donors (fund_id, last_name, first_names, postal_code) where last_name is not null;
    create index donation_imports_by_fund on donation_imports (fund_id, created_at desc);
    create unique index donation_imports_one_pending_per_file on donation_imports (fund_id, file_sha256, dry_run) where state in ('queued', 'running');

    create table donation_import_lines (
      import_id uuid not null references donation_imports (id),
      line integer not null,
      outcome text not null check (outcome in ('created', 'already-imported', 'refused')),
      reference text,
      donor text,
      donor_key text,
      new_donor boolean,
      amount_minor bigint,
      received_on date,
      donation_id uuid references donations (id),
      receipt_due boolean not null default false,
      receipt_id uuid references tax_receipts (id),
      errors jsonb,
      primary key (import_id, line)
    );
    create index donation_import_lines_by_donor_key on donation_import_lines (import_id, donor_key) where new_donor;
    create index donation_import_lines_receipts_due on donation_import_lines (import_id, line) where receipt_due and receipt_id is null;
    create index donation_import_lines_by_reference on donation_import_lines (import_id, reference) where outcome = 'created';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'drop table donation_import_lines, donation_imports; drop index donors_by_email, donors_by_siren, donors_by_name',
  );
}
