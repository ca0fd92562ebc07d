import type { Knex } from 'knex';

/**
 * Bank statements as the bank sent them (camt.053), one row per entry and per
 * transaction detail of a batch booking. A statement is imported once: the same
 * file, or the same statement of the same account, again creates nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table bank_statements (
      id uuid primary key default gen_random_uuid(),
      fund_id text not null references funds (id),
      format text not null,
      account_iban text not null,
      bank_statement_id text not null,
      opening_minor bigint not null,
      opening_date date not null,
      closing_minor bigint not null,
      closing_date date not null,
      file_sha256 text not null check (file_sha256 ~ '^[0-9a-f]{64}$'),
      imported_by uuid not null references users (id),
      imported_at timestamptz not null default now(),
      unique (fund_id, file_sha256),
      unique (fund_id, account_iban, bank_statement_id)
    );

    create table bank_lines (
      id uuid primary key default gen_random_uuid(),
      statement_id uuid not null references bank_statements (id),
      entry_number int not null,
      detail_number int not null,
      -- Positive when money came in (CRDT), negative when it left (DBIT).
      amount_minor bigint not null check (amount_minor <> 0),
      booking_date date not null,
      value_date date,
      bank_reference text,
      end_to_end_id text,
      structured_reference text,
      counterparty_name text,
      counterparty_iban text,
      remittance text,
      return_reason text,
      batch_booking boolean not null,
      unique (statement_id, entry_number, detail_number)
    );
    create index bank_lines_by_end_to_end on bank_lines (end_to_end_id) where end_to_end_id is not null;
    create trigger bank_lines_immutable before update or delete on bank_lines
      for each row execute function refuse_change_to_records();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table bank_lines, bank_statements');
}
