import type { Knex } from 'knex';

/**
 * "Mot de passe oublié": a reset asked for an account. Its token is drawn when the
 * e-mail is written and only its hash is kept (as for invitations); it serves once,
 * within an hour.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      token_sha256 text unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
      requested_at timestamptz not null default now(),
      expires_at timestamptz not null,
      emailed_at timestamptz,
      used_at timestamptz,
      check (expires_at > requested_at)
    );
    create index password_resets_by_user on password_resets (user_id, requested_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table password_resets');
}
