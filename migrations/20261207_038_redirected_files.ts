import type { Knex } from 'knex';

/**
 * A file a committee redirected to another of our vehicles continues there as a
 * file of its own, linked to the one it comes from: one redirection opens one
 * file, and the link always names a real file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table applications
      add column redirected_from_id uuid references applications (id),
      add constraint applications_one_file_per_redirection unique (redirected_from_id),
      add constraint applications_not_from_itself check (redirected_from_id <> id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table applications drop column redirected_from_id');
}
