import type { Knex } from 'knex';

/**
 * What a later subscriber pays at once — the catch-up to its class's paid-up
 * level, then the premium — as the bank shows it: each payment split catch-up
 * first, never changed; one taken back (its bank match undone) is reversed apart
 * and counts no more, as a capital call's payment.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table subscription_payments (
      id uuid primary key default gen_random_uuid(),
      subscription_id uuid not null references subscriptions (id),
      amount_minor bigint not null check (amount_minor > 0),
      catch_up_minor bigint not null check (catch_up_minor >= 0),
      premium_minor bigint not null check (premium_minor >= 0),
      received_on date not null,
      entry_id bigint not null references journal_entries (id),
      idempotency_key text not null,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null default now(),
      check (catch_up_minor + premium_minor = amount_minor),
      unique (subscription_id, idempotency_key)
    );
    create trigger subscription_payments_immutable before update or delete on subscription_payments
      for each row execute function refuse_change_to_records();

    create table subscription_payment_reversals (
      payment_id uuid primary key references subscription_payments (id),
      entry_id bigint not null references journal_entries (id),
      reason text not null check (length(reason) between 3 and 2000),
      reversed_by uuid not null references users (id),
      reversed_at timestamptz not null default now()
    );
    create trigger subscription_payment_reversals_immutable before update or delete on subscription_payment_reversals
      for each row execute function refuse_change_to_records();

    alter table bank_match_items drop constraint bank_match_items_item_type_check;
    alter table bank_match_items add constraint bank_match_items_item_type_check
      check (item_type in ('disbursement', 'expected-receipt', 'entry', 'donor', 'account', 'capital-call', 'subscription'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table subscription_payment_reversals, subscription_payments;
    alter table bank_match_items drop constraint bank_match_items_item_type_check;
    alter table bank_match_items add constraint bank_match_items_item_type_check
      check (item_type in ('disbursement', 'expected-receipt', 'entry', 'donor', 'account', 'capital-call'));
  `);
}
