import type { Knex } from 'knex';

/** How the fund's bank writes its CSV statements, for banks that give no camt.053. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table treasury_accounts add column csv_statement_format jsonb');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table treasury_accounts drop column csv_statement_format');
}
