import type { Knex } from 'knex';

/** The people who sign in for an investor (its contacts): each sees that investor's position, and no other's. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table investor_contacts (
      investor_id uuid not null references investors (id),
      user_id uuid not null references users (id),
      added_by uuid references users (id),
      added_at timestamptz not null default now(),
      primary key (investor_id, user_id)
    );
    create index investor_contacts_by_user on investor_contacts (user_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table investor_contacts');
}
