import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      display_name text not null check (length(display_name) between 1 and 200),
      password_hash text,
      created_at timestamptz not null default now(),
      disabled_at timestamptz
    );
    create unique index users_email_unique on users (email);

    -- A role is held on a scope: treasurer of *this* fund, applicant of *this* organisation.
    create table role_grants (
      id bigint generated always as identity primary key,
      user_id uuid not null references users (id),
      role text not null check (role in ('admin', 'treasurer', 'committee_member', 'referent',
                                         'applicant', 'donor', 'investor', 'partner_lender')),
      scope_type text check (scope_type in ('fund', 'committee', 'organisation')),
      scope_id text,
      granted_at timestamptz not null default now(),
      check ((scope_type is null) = (scope_id is null)),
      check (role not in ('treasurer', 'investor') or scope_type = 'fund'),
      check (role <> 'committee_member' or scope_type = 'committee'),
      check (role <> 'applicant' or scope_type = 'organisation'),
      unique nulls not distinct (user_id, role, scope_type, scope_id)
    );

    -- Only hashes of secrets are stored: a stolen table opens no session.
    create table sessions (
      id bigint generated always as identity primary key,
      token_sha256 bytea not null unique,
      user_id uuid not null references users (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    );

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      name text not null check (length(name) between 1 and 100),
      token_sha256 bytea not null unique,
      token_prefix text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      revoked_at timestamptz,
      last_used_at timestamptz
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table api_tokens, sessions, role_grants, users');
}
