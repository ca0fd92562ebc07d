import type { Knex } from 'knex';

/**
 * An outbox row is done when its job has run, not when it was handed to Redis:
 * a Redis that restarts without its data forgets queued jobs, and the sweeper
 * hands again the rows whose job it no longer knows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table outbox add column completed_at timestamptz;
    update outbox set completed_at = relayed_at where relayed_at is not null;
    create index outbox_relayed_not_completed on outbox (relayed_at) where relayed_at is not null and completed_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index outbox_relayed_not_completed; alter table outbox drop column completed_at');
}
