import type { Knex } from 'knex';

/**
 * The dialogue log of an application (meetings, calls, notes — some internal to
 * the team), the people an organisation invites, and the documents it gives
 * once and reuses (statutes, accounts, budget).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table application_exchanges (
      id uuid primary key default gen_random_uuid(),
      application_id uuid not null references applications (id),
      kind text not null check (kind in ('meeting', 'call', 'note', 'message')),
      occurred_on date not null,
      summary text not null check (length(summary) between 1 and 10000),
      internal boolean not null,
      author_id uuid not null references users (id),
      created_at timestamptz not null default now()
    );
    create index application_exchanges_by_application on application_exchanges (application_id, occurred_on, created_at);
    create trigger application_exchanges_immutable before update or delete on application_exchanges
      for each row execute function refuse_change_to_records();

    create table organisation_invitations (
      id uuid primary key default gen_random_uuid(),
      organisation_id text not null references organisations (id),
      email text not null check (email = lower(email)),
      user_id uuid not null references users (id),
      -- The token is drawn when the e-mail is written and only its hash is kept:
      -- neither this table nor the outbox ever holds a usable link.
      token_sha256 text unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
      emailed_at timestamptz,
      invited_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz
    );
    create index organisation_invitations_by_organisation on organisation_invitations (organisation_id, created_at);

    create table organisation_files (
      id uuid primary key default gen_random_uuid(),
      organisation_id text not null references organisations (id),
      kind text not null check (kind in ('statutes', 'accounts', 'budget', 'other')),
      file_name text not null check (length(file_name) between 1 and 200),
      content_type text not null,
      content bytea not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      uploaded_by uuid not null references users (id),
      uploaded_at timestamptz not null default now(),
      unique (organisation_id, sha256)
    );
    create index organisation_files_by_kind on organisation_files (organisation_id, kind, uploaded_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table organisation_files, organisation_invitations, application_exchanges');
}
