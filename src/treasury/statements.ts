import type { Database, Transaction } from '../db/database';
import { sha256Hex } from '../documents/service';
import { NotFoundError, RuleViolationError } from '../errors';
import { balancesAt } from '../ledger/queries';
import { euros, toApiAmount } from '../money';
import { parseCamt053 } from './camt053';
import { csvStatementFormat, parseCsvStatement } from './csv-statement';

/**
 * Importing the bank's statements of the fund's paying account. All or
 * nothing: a refused file leaves no row behind; the same statement imported
 * again creates nothing and answers with the first import.
 */
export type StatementSource = { kind: 'camt053' } | { kind: 'csv'; statementId: string; openingMinor: bigint; openingDate: string };

export async function importStatement(trx: Transaction, fundId: string, content: Buffer, userId: string, source: StatementSource = { kind: 'camt053' }): Promise<{ statementId: string; created: boolean }> {
  const fileSha256 = sha256Hex(content);
  const sameFile = await trx('bank_statements').where({ fund_id: fundId, file_sha256: fileSha256 }).first('id');
  if (sameFile) return { statementId: sameFile.id, created: false };
  const account = await trx('treasury_accounts').where('fund_id', fundId).first('iban', 'csv_statement_format');
  if (source.kind === 'csv' && !account?.csv_statement_format) throw new RuleViolationError('treasury/no-csv-format', 'Décrivez d’abord le format CSV des relevés de votre banque (PUT …/bank-statement-format).');
  const statement =
    source.kind === 'csv'
      ? parseCsvStatement(content, csvStatementFormat.parse(account.csv_statement_format), { statementId: source.statementId, iban: account.iban, openingMinor: source.openingMinor, openingDate: source.openingDate })
      : parseCamt053(content);
  if (!account || account.iban !== statement.accountIban) {
    throw new RuleViolationError('treasury/foreign-account', `Ce relevé est celui du compte ${statement.accountIban}, pas du compte payeur du fonds.`);
  }
  // Serialises imports of one account so that the same statement sent twice at once lands once.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`statement:${fundId}:${statement.accountIban}:${statement.statementId}`]);
  const sameStatement = await trx('bank_statements').where({ fund_id: fundId, account_iban: statement.accountIban, bank_statement_id: statement.statementId }).first('id');
  if (sameStatement) return { statementId: sameStatement.id, created: false };
  const [row] = await trx('bank_statements')
    .insert({
      fund_id: fundId,
      format: statement.format,
      account_iban: statement.accountIban,
      bank_statement_id: statement.statementId,
      opening_minor: statement.opening.amountMinor,
      opening_date: statement.opening.date,
      closing_minor: statement.closing.amountMinor,
      closing_date: statement.closing.date,
      file_sha256: fileSha256,
      imported_by: userId,
    })
    .returning('id');
  const lines = statement.lines.map((line) => ({
    statement_id: row.id,
    entry_number: line.entryNumber,
    detail_number: line.detailNumber,
    amount_minor: line.amountMinor,
    booking_date: line.bookingDate,
    value_date: line.valueDate,
    bank_reference: line.bankReference,
    end_to_end_id: line.endToEndId,
    structured_reference: line.structuredReference,
    counterparty_name: line.counterpartyName,
    counterparty_iban: line.counterpartyIban,
    remittance: line.remittance,
    return_reason: line.returnReason,
    batch_booking: line.batchBooking,
  }));
  for (let offset = 0; offset < lines.length; offset += 1000) await trx('bank_lines').insert(lines.slice(offset, offset + 1000));
  return { statementId: row.id, created: true };
}

const dayBefore = (isoDate: string) => new Date(Date.parse(`${isoDate}T12:00:00Z`) - 24 * 3600 * 1000).toISOString().slice(0, 10);

/** A statement, its lines, and the bank's balances set against the books' bank account (512). */
export async function statementView(db: Database, fundId: string, statementId: string) {
  const statement = await db('bank_statements').where({ id: statementId, fund_id: fundId }).first();
  if (!statement) throw new NotFoundError('Ce relevé est introuvable.');
  const lines = await db('bank_lines').where('statement_id', statementId).orderBy(['entry_number', 'detail_number']);
  const bookBank = async (date: string) => (await balancesAt(db, fundId, date)).find((account) => account.code === '512')!.balanceMinor;
  const amount = (minor: bigint) => toApiAmount(euros(minor));
  const confirmed = new Set<string>(await db('bank_matches').whereIn('line_id', lines.map((line) => line.id)).where('status', 'confirmed').pluck('line_id'));
  // Transfers we sent that the bank should have debited by the statement's closing date (two business days' grace, counted as calendar days).
  const overdue = await db('disbursements')
    .join('payment_batches', 'payment_batches.id', 'disbursements.batch_id')
    .join('workflow_instances', function joinState() {
      this.on('workflow_instances.subject_id', db.raw('disbursements.id::text')).andOnVal('workflow_instances.workflow', '=', 'disbursement');
    })
    .where({ 'disbursements.fund_id': fundId, 'workflow_instances.state': 'sent' })
    .where('payment_batches.requested_execution_date', '<', dayBefore(dayBefore(statement.closing_date)))
    .orderBy('payment_batches.requested_execution_date')
    .select('disbursements.id', 'disbursements.end_to_end_id', 'disbursements.amount_minor', 'disbursements.creditor_name', 'payment_batches.requested_execution_date');
  const openingBooks = await bookBank(dayBefore(statement.opening_date));
  const closingBooks = await bookBank(statement.closing_date);
  return {
    id: statement.id,
    format: statement.format,
    accountIban: statement.account_iban,
    bankStatementId: statement.bank_statement_id,
    opening: { date: statement.opening_date, bank: amount(statement.opening_minor), books: amount(openingBooks), difference: amount(statement.opening_minor - openingBooks) },
    closing: { date: statement.closing_date, bank: amount(statement.closing_minor), books: amount(closingBooks), difference: amount(statement.closing_minor - closingBooks) },
    unmatchedLines: lines.filter((line) => !confirmed.has(line.id)).map((line) => line.id),
    overdueTransfers: overdue.map((item) => ({ disbursementId: item.id, endToEndId: item.end_to_end_id, amount: amount(item.amount_minor), creditor: item.creditor_name, executionDate: item.requested_execution_date })),
    lines: lines.map((line) => ({
      id: line.id,
      matched: confirmed.has(line.id),
      entry: line.entry_number,
      detail: line.detail_number,
      amount: amount(line.amount_minor),
      bookingDate: line.booking_date,
      valueDate: line.value_date,
      endToEndId: line.end_to_end_id,
      structuredReference: line.structured_reference,
      counterparty: { name: line.counterparty_name, iban: line.counterparty_iban },
      remittance: line.remittance,
      returnReason: line.return_reason,
      batchBooking: line.batch_booking,
    })),
  };
}
