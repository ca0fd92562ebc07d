import type { Knex } from 'knex';

/**
 * Distributions of a unit fund (CMF R214-75): none before the end of the
 * subscription period unless its rules allow it; each investor's part goes
 * first to repaying its paid-up capital, then to gains and income. One that
 * reaches the carry units waits for the auditor's special report before it is
 * booked as owed to the investors.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table distributions (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      number integer not null check (number > 0),
      class_codes text[] not null check (cardinality(class_codes) > 0),
      amount_minor bigint not null check (amount_minor > 0),
      income_minor bigint not null check (income_minor between 0 and amount_minor),
      auditor_report_required boolean not null,
      auditor_report_reference text,
      auditor_report_on date,
      booked_on date,
      entry_id bigint references journal_entries (id),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      unique (fund_id, number),
      check ((booked_on is null) = (entry_id is null)),
      check ((auditor_report_reference is null) = (auditor_report_on is null)),
      check (booked_on is null or not auditor_report_required or auditor_report_on is not null)
    );

    create table distribution_items (
      distribution_id uuid not null references distributions (id),
      investor_id uuid not null references investors (id),
      class_code text not null,
      repayment_minor bigint not null check (repayment_minor >= 0),
      gain_minor bigint not null check (gain_minor >= 0),
      income_minor bigint not null check (income_minor >= 0),
      primary key (distribution_id, investor_id, class_code)
    );
    create index distribution_items_by_investor on distribution_items (investor_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table distribution_items, distributions');
}
