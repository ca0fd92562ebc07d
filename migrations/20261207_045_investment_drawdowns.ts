import type { Knex } from 'knex';

/**
 * An investment's terms, set when its term sheet is signed (what the
 * instrument carries: shares and price, or rate, day count and schedule), and
 * its drawdowns: each booked as owed to the organisation (the instrument's
 * account against 404) and paid by the treasury — a disbursement request pays
 * an organisation a grant's tranche or an investment's drawdown.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table investments
      add column terms jsonb,
      add column term_sheet_signed_on date,
      add constraint investments_terms_when_signed check ((terms is null) = (term_sheet_signed_on is null));

    create table investment_drawdowns (
      id uuid primary key default gen_random_uuid(),
      investment_id uuid not null references investments (id),
      number integer not null check (number > 0),
      amount_minor bigint not null check (amount_minor > 0),
      requested_on date not null,
      entry_id bigint not null references journal_entries (id),
      requested_by uuid not null references users (id),
      requested_at timestamptz not null default now(),
      unique (investment_id, number)
    );
    create trigger investment_drawdowns_immutable before update or delete on investment_drawdowns
      for each row execute function refuse_change_to_records();

    alter table disbursement_requests
      add column drawdown_id uuid references investment_drawdowns (id),
      drop constraint disbursement_requests_one_payee,
      add constraint disbursement_requests_one_payee check (
        (organisation_id is not null and investor_id is null and distribution_id is null and closing_id is null
          and (tranche_id is null) <> (drawdown_id is null))
        or (tranche_id is null and drawdown_id is null and organisation_id is null and investor_id is not null
          and (distribution_id is null) <> (closing_id is null))
      ),
      add constraint disbursement_requests_one_per_drawdown unique (drawdown_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table disbursement_requests
      drop constraint disbursement_requests_one_per_drawdown,
      drop constraint disbursement_requests_one_payee,
      drop column drawdown_id,
      add constraint disbursement_requests_one_payee check (
        (tranche_id is not null and organisation_id is not null
          and distribution_id is null and closing_id is null and investor_id is null)
        or (tranche_id is null and organisation_id is null and investor_id is not null
          and (distribution_id is null) <> (closing_id is null))
      );
    drop table investment_drawdowns;
    alter table investments
      drop constraint investments_terms_when_signed,
      drop column term_sheet_signed_on,
      drop column terms;
  `);
}
