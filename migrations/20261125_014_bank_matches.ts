import type { Knex } from 'knex';

/**
 * What a statement line is matched with, and every decision on it: proposed by
 * the matcher with its reason and confidence, then confirmed or rejected by the
 * treasurer. A line has at most one live (proposed or confirmed) match per target.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table bank_matches (
      id uuid primary key default gen_random_uuid(),
      line_id uuid not null references bank_lines (id),
      target_type text not null check (target_type in ('disbursement')),
      target_id uuid not null,
      action text not null check (action in ('settle', 'return')),
      reason text not null,
      confidence numeric(3, 2) not null check (confidence > 0 and confidence <= 1),
      status text not null default 'proposed' check (status in ('proposed', 'confirmed', 'rejected')),
      decided_by uuid references users (id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
    create unique index bank_matches_live on bank_matches (line_id, target_id, action) where status <> 'rejected';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table bank_matches');
}
