import type { Knex } from 'knex';

/**
 * A link to choose one's password serves also to open an account the team
 * created for someone (an investor's contact): its e-mail says why the
 * account exists, and it stays valid longer than a forgotten password's.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table password_resets
      add column purpose text not null default 'reset' check (purpose in ('reset', 'account-opening')),
      add column note text check (note is null or length(note) between 3 and 500),
      add constraint password_resets_opening_says_why check ((purpose = 'account-opening') = (note is not null));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table password_resets
      drop constraint password_resets_opening_says_why,
      drop column note,
      drop column purpose;
  `);
}
