import type { Knex } from 'knex';

/**
 * Paying what was decided: disbursements of payable tranches (state in
 * workflow_instances, workflow 'disbursement'), the fund's paying account and
 * its four-eyes threshold, and payment batches exported as SEPA files.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table treasury_accounts (
      fund_id text primary key references funds (id),
      holder_name text not null,
      iban text not null,
      bic text not null,
      -- Above this amount a disbursement needs two approvers, besides its requester.
      second_approval_above_minor bigint not null check (second_approval_above_minor > 0)
    );

    create table payment_batches (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      message_id text not null unique,
      requested_execution_date date not null,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now()
    );

    create table disbursements (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      request_id uuid not null references disbursement_requests (id),
      amount_minor bigint not null check (amount_minor > 0),
      creditor_name text not null,
      creditor_iban text not null,
      creditor_bic text,
      remittance text not null,
      end_to_end_id text not null unique,
      payable_account_code text not null,
      requested_by uuid not null references users (id),
      batch_id uuid references payment_batches (id),
      settlement_entry_id bigint references journal_entries (id),
      created_at timestamptz not null default now()
    );
    create index disbursements_by_request on disbursements (request_id);
    create index disbursements_by_batch on disbursements (batch_id) where batch_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table disbursements, payment_batches, treasury_accounts');
}
