import type { Knex } from 'knex';

/** Who opened an organisation's profile: that referent may read it and invite its first applicant. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table organisations add column opened_by uuid references users (id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table organisations drop column opened_by');
}
