import type { Knex } from 'knex';

/**
 * Persisted workflow instances (one per application, vote session, disbursement…)
 * and their append-only history: who sent which event, from which state to which,
 * when and why. The database refuses any change to the history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table workflow_instances (
      id uuid primary key default gen_random_uuid(),
      workflow text not null check (workflow ~ '^[a-z][a-z-]{1,40}$'),
      subject_type text not null,
      subject_id text not null,
      state text not null,
      context jsonb not null,
      done boolean not null default false,
      version int not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (workflow, subject_type, subject_id)
    );

    create table workflow_history (
      id bigint generated always as identity primary key,
      instance_id uuid not null references workflow_instances (id),
      event text not null,
      from_state text,
      to_state text not null,
      actor_id uuid references users (id),
      actor_relations text[] not null,
      reason text,
      payload_sha256 text not null check (payload_sha256 ~ '^[0-9a-f]{64}$'),
      occurred_at timestamptz not null default clock_timestamp()
    );
    create index workflow_history_by_instance on workflow_history (instance_id, id);

    create function workflow_history_refuse_change() returns trigger
    language plpgsql as $$
    begin
      raise exception 'workflow_history : l''historique ne se modifie pas' using errcode = 'ML002';
    end $$;
    create trigger workflow_history_immutable before update or delete on workflow_history
      for each row execute function workflow_history_refuse_change();
    create trigger workflow_history_no_truncate before truncate on workflow_history
      for each statement execute function workflow_history_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table workflow_history, workflow_instances;
    drop function workflow_history_refuse_change;
  `);
}
