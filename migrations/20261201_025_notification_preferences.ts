import type { Knex } from 'knex';

/**
 * Each person chooses which notifications also reach them by e-mail: all, only
 * decisions and what asks something of them ("important"), or none — the in-app
 * inbox keeps every one. A notification says whether it is important.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table users add column email_notifications text not null default 'all' check (email_notifications in ('all', 'important', 'none'));
    alter table notifications add column important boolean not null default true;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table notifications drop column important; alter table users drop column email_notifications');
}
