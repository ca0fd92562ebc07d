import type { Knex } from 'knex';

/**
 * What comes back from an investment — interest, dividends, repayments of
 * principal, the price of its sale — each booked in the transaction that
 * records it, and the investment's end: sold (the carrying value against the
 * price) or written off (the carrying value lost). Never changed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table investment_receipts (
      id uuid primary key default gen_random_uuid(),
      investment_id uuid not null references investments (id),
      kind text not null check (kind in ('interest', 'dividend', 'repayment', 'sale')),
      amount_minor bigint not null check (amount_minor >= 0),
      received_on date not null,
      entry_id bigint not null references journal_entries (id),
      idempotency_key text not null,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null default now(),
      unique (investment_id, idempotency_key)
    );
    create index investment_receipts_by_investment on investment_receipts (investment_id, received_on);
    create trigger investment_receipts_immutable before update or delete on investment_receipts
      for each row execute function refuse_change_to_records();

    alter table investments
      add column ended_on date,
      add column end_entry_id bigint references journal_entries (id),
      add constraint investments_end_booked check ((ended_on is null) = (end_entry_id is null));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table investments drop constraint investments_end_booked, drop column end_entry_id, drop column ended_on;
    drop table investment_receipts;
  `);
}
