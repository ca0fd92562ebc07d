import type { Knex } from 'knex';

/**
 * The treasury pays investors too: a disbursement request is for a grant's
 * tranche to its organisation, or for an investor's part of a distribution —
 * one or the other, whole; one request per investor and distribution.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table disbursement_requests
      alter column tranche_id drop not null,
      alter column organisation_id drop not null,
      add column distribution_id uuid references distributions (id),
      add column investor_id uuid references investors (id),
      add constraint disbursement_requests_one_payee check (
        (tranche_id is not null and organisation_id is not null and distribution_id is null and investor_id is null)
        or (tranche_id is null and organisation_id is null and distribution_id is not null and investor_id is not null)
      ),
      add constraint disbursement_requests_one_per_investor_and_distribution unique (distribution_id, investor_id);
    create index disbursement_requests_by_distribution on disbursement_requests (distribution_id)
      where distribution_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table disbursement_requests
      drop constraint disbursement_requests_one_payee,
      drop column distribution_id,
      drop column investor_id,
      alter column tranche_id set not null,
      alter column organisation_id set not null;
  `);
}
