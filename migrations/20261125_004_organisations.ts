import type { Knex } from 'knex';

/** Applicant organisations: the profile that every step and every later application reuses. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table organisations (
      id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
      name text not null check (length(name) between 1 and 200),
      legal_form text not null check (legal_form in ('association', 'scop', 'scic', 'esus_company', 'foundation', 'endowment_fund', 'other')),
      siren char(9),
      siret char(14),
      rna char(10),
      esus boolean not null default false,
      esus_approved_on date,
      esus_expires_on date,
      address_line text,
      postal_code text,
      city text,
      department text,
      region text,
      territory text,
      iban text,
      bic text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (siret is null or siren is null or left(siret, 9) = siren),
      check (not esus or esus_approved_on is not null),
      check (esus_expires_on is null or esus_expires_on > esus_approved_on)
    );
    create unique index organisations_siren on organisations (siren) where siren is not null;
    create unique index organisations_rna on organisations (rna) where rna is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table organisations');
}
