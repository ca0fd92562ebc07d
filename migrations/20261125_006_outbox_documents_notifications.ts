import type { Knex } from 'knex';

/**
 * What a business change asks to happen after it commits — a document to render,
 * an e-mail to send — is written to the outbox in the same transaction, then
 * relayed to the job queue. Nothing is queued for a change that rolled back, and
 * nothing asked for is lost if Redis is down at that moment.
 *
 * Generated documents are kept with their SHA-256 and never changed; the in-app
 * inbox holds one notification per person concerned.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function refuse_change_to_records() returns trigger
    language plpgsql as $$
    begin
      raise exception '% : ces enregistrements sont définitifs', tg_table_name using errcode = 'ML002';
    end $$;

    create table outbox (
      id bigint generated always as identity primary key,
      job_name text not null,
      payload jsonb not null,
      -- The same request made twice (a retried HTTP call, a replayed event) is queued once.
      dedupe_key text not null unique,
      created_at timestamptz not null default now(),
      relayed_at timestamptz
    );
    create index outbox_pending on outbox (id) where relayed_at is null;

    create table documents (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind ~ '^[a-z][a-z-]{1,40}$'),
      subject_type text not null,
      subject_id text not null,
      document_key text not null unique,
      file_name text not null check (file_name ~ '^[A-Za-z0-9._-]{1,120}$'),
      content_type text not null,
      content bytea not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      created_at timestamptz not null default now()
    );
    create index documents_by_subject on documents (subject_type, subject_id, created_at);
    create trigger documents_immutable before update or delete on documents
      for each row execute function refuse_change_to_records();
    create trigger documents_no_truncate before truncate on documents
      for each statement execute function refuse_change_to_records();

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      subject_type text not null,
      subject_id text not null,
      title text not null,
      body text not null,
      link text,
      created_at timestamptz not null default now(),
      read_at timestamptz,
      emailed_at timestamptz
    );
    create index notifications_inbox on notifications (user_id, created_at desc);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table notifications, documents, outbox;
    drop function refuse_change_to_records;
  `);
}
