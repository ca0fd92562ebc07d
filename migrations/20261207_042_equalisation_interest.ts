import type { Knex } from 'knex';

/**
 * Equalisation interest: when the rules set a rate, a later subscriber pays,
 * with its catch-up, interest on it from each earlier call's due date to the
 * closing; the closing shares it among the class's earlier holders (one share
 * per closing and investor, never changed), and the treasury pays each share
 * once the subscribers' interest is in. A subscription payment is split
 * catch-up, then interest, then premium.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table subscriptions
      add column equalisation_interest_minor bigint not null default 0 check (equalisation_interest_minor >= 0);

    alter table subscription_payments
      add column interest_minor bigint not null default 0 check (interest_minor >= 0),
      drop constraint subscription_payments_check,
      add constraint subscription_payments_parts check (catch_up_minor + interest_minor + premium_minor = amount_minor);

    create table equalisation_shares (
      closing_id uuid not null references closings (id),
      investor_id uuid not null references investors (id),
      amount_minor bigint not null check (amount_minor > 0),
      primary key (closing_id, investor_id)
    );
    create index equalisation_shares_by_investor on equalisation_shares (investor_id);
    create trigger equalisation_shares_immutable before update or delete on equalisation_shares
      for each row execute function refuse_change_to_records();

    alter table disbursement_requests
      add column closing_id uuid references closings (id),
      drop constraint disbursement_requests_one_payee,
      add constraint disbursement_requests_one_payee check (
        (tranche_id is not null and organisation_id is not null
          and distribution_id is null and closing_id is null and investor_id is null)
        or (tranche_id is null and organisation_id is null and investor_id is not null
          and (distribution_id is null) <> (closing_id is null))
      ),
      add constraint disbursement_requests_one_per_investor_and_closing unique (closing_id, investor_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table disbursement_requests
      drop constraint disbursement_requests_one_per_investor_and_closing,
      drop constraint disbursement_requests_one_payee,
      drop column closing_id,
      add constraint disbursement_requests_one_payee check (
        (tranche_id is not null and organisation_id is not null and distribution_id is null and investor_id is null)
        or (tranche_id is null and organisation_id is null and distribution_id is not null and investor_id is not null)
      );
    drop table equalisation_shares;
    alter table subscription_payments
      drop constraint subscription_payments_parts,
      drop column interest_minor,
      add constraint subscription_payments_check check (catch_up_minor + premium_minor = amount_minor);
    alter table subscriptions drop column equalisation_interest_minor;
  `);
}
