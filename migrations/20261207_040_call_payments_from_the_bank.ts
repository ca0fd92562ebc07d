import type { Knex } from 'knex';

/**
 * A capital call's payment comes from the bank's statement: the treasury matches
 * the investor's transfer to what it owes on the call (a match item of its own
 * type). An undone match takes its payment back by a reversal, recorded apart:
 * the payment itself is never changed, and a reversed payment no longer counts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table bank_match_items drop constraint bank_match_items_item_type_check;
    alter table bank_match_items add constraint bank_match_items_item_type_check
      check (item_type in ('disbursement', 'expected-receipt', 'entry', 'donor', 'account', 'capital-call'));

    create table capital_call_payment_reversals (
      payment_id uuid primary key references capital_call_payments (id),
      entry_id bigint not null references journal_entries (id),
      reason text not null check (length(reason) between 3 and 2000),
      reversed_by uuid not null references users (id),
      reversed_at timestamptz not null default now()
    );
    create trigger capital_call_payment_reversals_immutable before update or delete on capital_call_payment_reversals
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table capital_call_payment_reversals;
    alter table bank_match_items drop constraint bank_match_items_item_type_check;
    alter table bank_match_items add constraint bank_match_items_item_type_check
      check (item_type in ('disbursement', 'expected-receipt', 'entry', 'donor', 'account'));
  `);
}
