import type { Knex } from 'knex';

/** When a donor last changed their own choices (receipts, consents): the proof of consent asks for its date. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table donors add column choices_changed_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table donors drop column choices_changed_at');
}
