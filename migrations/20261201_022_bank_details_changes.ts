import type { Knex } from 'knex';

/**
 * Every change of an organisation's bank details, who made it and when, before
 * and after: a payment to details changed since the last approval needs a
 * second person, and the change is told to the organisation and the treasurers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table organisation_bank_details_changes (
      id bigint generated always as identity primary key,
      organisation_id text not null references organisations (id),
      changed_by uuid references users (id),
      changed_at timestamptz not null default now(),
      iban_before text,
      iban_after text,
      bic_before text,
      bic_after text
    );
    create index organisation_bank_details_changes_by_organisation on organisation_bank_details_changes (organisation_id, id);
    create trigger organisation_bank_details_changes_immutable before update or delete on organisation_bank_details_changes
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table organisation_bank_details_changes');
}
