import type { Knex } from 'knex';

/**
 * Who gave or withdrew which role, when: the trace of access rights an auditor
 * asks for. A role held is a row of role_grants; a role withdrawn leaves it,
 * and both moves stay here, never changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table role_changes (
      id bigint generated always as identity primary key,
      user_id uuid not null references users (id),
      role text not null,
      scope_type text,
      scope_id text,
      change text not null check (change in ('granted', 'withdrawn')),
      changed_by uuid references users (id),
      changed_at timestamptz not null default now()
    );
    create index role_changes_by_user on role_changes (user_id, id desc);
    create trigger role_changes_immutable before update or delete on role_changes
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table role_changes');
}
