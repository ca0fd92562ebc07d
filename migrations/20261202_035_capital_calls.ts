import type { Knex } from 'knex';

/**
 * Capital calls of a unit fund (RULES.md §5): a share of each class's nominal,
 * itemised by purpose; each investor's amount per purpose kept as called, and
 * what it paid, when, each payment with its entry. The shares called of a class
 * add up, call after call, to its paid-up level, never above the whole nominal.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table capital_calls (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      number integer not null check (number > 0),
      class_shares jsonb not null,
      purposes jsonb not null,
      due_on date not null,
      short_notice_reason text,
      issued_on date,
      entry_id bigint references journal_entries (id),
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      unique (fund_id, number),
      check ((issued_on is null) = (entry_id is null))
    );

    create table capital_call_items (
      call_id uuid not null references capital_calls (id),
      investor_id uuid not null references investors (id),
      class_code text not null,
      purpose text not null check (purpose in ('investment', 'management-fee', 'fund-expenses', 'organisation-costs')),
      amount_minor bigint not null check (amount_minor >= 0),
      primary key (call_id, investor_id, class_code, purpose)
    );
    create index capital_call_items_by_investor on capital_call_items (investor_id);

    create table capital_call_payments (
      id uuid primary key default gen_random_uuid(),
      call_id uuid not null references capital_calls (id),
      investor_id uuid not null references investors (id),
      amount_minor bigint not null check (amount_minor > 0),
      received_on date not null,
      entry_id bigint not null references journal_entries (id),
      idempotency_key text not null,
      request_sha256 text not null,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null default now(),
      unique (call_id, idempotency_key)
    );
    create index capital_call_payments_by_call on capital_call_payments (call_id, investor_id);
    create trigger capital_call_payments_immutable before update or delete on capital_call_payments
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table capital_call_payments, capital_call_items, capital_calls');
}
