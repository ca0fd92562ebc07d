import type { Knex } from 'knex';

/**
 * Statements as banks send them: a file may carry several statements (pages of
 * one, or several accounts), so the file's digest no longer names one statement;
 * a statement is known by its account, id and page, and by a digest of what it
 * says, so that only an identical one counts as already imported. A statement
 * whose opening balance and entries do not make its closing balance is kept
 * with the difference, for the treasurer to see.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table bank_statements drop constraint bank_statements_fund_id_file_sha256_key;
    alter table bank_statements drop constraint bank_statements_fund_id_account_iban_bank_statement_id_key;
    alter table bank_statements
      add column page_number int not null default 1 check (page_number > 0),
      add column sequence_number text,
      add column content_sha256 text check (content_sha256 ~ '^[0-9a-f]{64}$'),
      add column balance_difference_minor bigint check (balance_difference_minor <> 0),
      add constraint bank_statements_one_page unique (fund_id, account_iban, bank_statement_id, page_number);
    create index bank_statements_by_file on bank_statements (fund_id, file_sha256);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index bank_statements_by_file;
    alter table bank_statements drop constraint bank_statements_one_page,
      drop column balance_difference_minor, drop column content_sha256, drop column sequence_number, drop column page_number;
    alter table bank_statements add unique (fund_id, account_iban, bank_statement_id), add unique (fund_id, file_sha256);
  `);
}
