import { bankAccountCode } from '../ledger/charts';
import type { Database, Transaction } from '../db/database';
import { sha256Hex } from '../documents/service';
import { ConflictError, NotFoundError, RuleViolationError } from '../errors';
import { balancesAt } from '../ledger/queries';
import { euros, formatFrench, toApiAmount } from '../money';
import { parseCamt053, type ParsedStatement } from './camt053';
import { listExpectedReceipts } from './expected-receipts';
import { disbursementStates } from './lists';
import { bookMovementsNotOnStatements } from './bank-matches';
import { csvStatementFormat, parseCsvStatement, type CsvStatementFormat } from './csv-statement';
import { treasuryMessages } from './messages';

/**
 * Importing the bank's statements of the fund's paying account. All or
 * nothing: a refused file leaves no row behind. A statement is known by its
 * account, id and page: the same one imported again creates nothing; another
 * content under the same id and page is refused (409), saying what differs. A
 * file of several statements imports those of the fund's account and names the
 * others. A statement that does not add up is imported and flagged.
 */
export type StatementSource =
  { kind: 'camt053' } | { kind: 'csv'; statementId: string; openingMinor: bigint; openingDate: string };

export type StatementImport = {
  statementId: string;
  created: boolean;
  statementIds: string[];
  otherAccounts: { account: string; statementId: string }[];
};

// Lines written per statement (a statement may hold 100,000): PostgreSQL takes at most 65,535 parameters per statement.
const linesPerInsert = 1000;

export async function importStatement(
  trx: Transaction,
  fundId: string,
  content: Buffer,
  userId: string,
  source: StatementSource = { kind: 'camt053' },
): Promise<StatementImport> {
  const fileSha256 = sha256Hex(content);
  const sameFile: string[] = await trx('bank_statements')
    .where({ fund_id: fundId, file_sha256: fileSha256 })
    .orderBy(['bank_statement_id', 'page_number'])
    .pluck('id');
  if (sameFile.length > 0)
    return { statementId: sameFile[0]!, created: false, statementIds: sameFile, otherAccounts: [] };
  const account = await trx('treasury_accounts').where('fund_id', fundId).first('iban', 'csv_statement_format');
  if (source.kind === 'csv' && !account?.csv_statement_format)
    throw new RuleViolationError('treasury/no-csv-format', treasuryMessages.csvFormatMissing);
  const statements =
    source.kind === 'csv'
      ? [
          parseCsvStatement(content, csvStatementFormat.parse(account.csv_statement_format), {
            statementId: source.statementId,
            iban: account.iban,
            openingMinor: source.openingMinor,
            openingDate: source.openingDate,
          }),
        ]
      : parseCamt053(content);
  const ours = statements.filter((statement) => account && statement.accountIban === account.iban);
  const otherAccounts = statements
    .filter((statement) => !ours.includes(statement))
    .map((statement) => ({ account: statement.accountIban, statementId: statement.statementId }));
  if (ours.length === 0) {
    throw new RuleViolationError(
      'treasury/foreign-account',
      treasuryMessages.statementOfOtherAccounts([...new Set(otherAccounts.map((other) => other.account))].join(', ')),
    );
  }
  const results: { id: string; created: boolean }[] = [];
  for (const statement of ours) results.push(await importOne(trx, fundId, statement, fileSha256, userId));
  return {
    statementId: results[0]!.id,
    created: results.some((result) => result.created),
    statementIds: results.map((result) => result.id),
    otherAccounts,
  };
}

/** What a statement says, whatever file, encoding or camt version it came in: what "the same statement" means. */
const contentDigest = ({ format: _format, ...statement }: ParsedStatement) =>
  sha256Hex(
    Buffer.from(JSON.stringify(statement, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))),
  );

async function importOne(
  trx: Transaction,
  fundId: string,
  statement: ParsedStatement,
  fileSha256: string,
  userId: string,
): Promise<{ id: string; created: boolean }> {
  // Serialises imports of one account so that the same statement sent twice at once lands once.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
    `statement:${fundId}:${statement.accountIban}:${statement.statementId}:${statement.pageNumber}`,
  ]);
  const digest = contentDigest(statement);
  const same = await trx('bank_statements')
    .where({
      fund_id: fundId,
      account_iban: statement.accountIban,
      bank_statement_id: statement.statementId,
      page_number: statement.pageNumber,
    })
    .first();
  if (same) {
    if (same.content_sha256 === null || same.content_sha256 === digest) return { id: same.id, created: false };
    const lineCount = Number(
      (await trx('bank_lines').where('statement_id', same.id).count('* as count').first())!.count,
    );
    const differences = [
      ...(lineCount !== statement.lines.length ? [`${statement.lines.length} écritures au lieu de ${lineCount}`] : []),
      ...(BigInt(same.opening_minor) !== statement.opening.amountMinor
        ? [
            `solde d'ouverture ${formatFrench(euros(statement.opening.amountMinor))} au lieu de ${formatFrench(euros(BigInt(same.opening_minor)))}`,
          ]
        : []),
      ...(BigInt(same.closing_minor) !== statement.closing.amountMinor
        ? [
            `solde de clôture ${formatFrench(euros(statement.closing.amountMinor))} au lieu de ${formatFrench(euros(BigInt(same.closing_minor)))}`,
          ]
        : []),
    ];
    throw new ConflictError(
      treasuryMessages.statementAlreadyImported(
        statement.statementId,
        statement.pageNumber > 1 ? ` (page ${statement.pageNumber})` : '',
        statement.accountIban,
        differences.length > 0 ? differences.join(', ') : 'écritures différentes',
      ),
      { statementId: same.id },
    );
  }
  const movedMinor = statement.lines.reduce((total, line) => total + line.amountMinor, 0n);
  const differenceMinor = statement.closing.amountMinor - statement.opening.amountMinor - movedMinor;
  const [row] = await trx('bank_statements')
    .insert({
      fund_id: fundId,
      format: statement.format,
      account_iban: statement.accountIban,
      bank_statement_id: statement.statementId,
      page_number: statement.pageNumber,
      sequence_number: statement.sequenceNumber,
      content_sha256: digest,
      opening_minor: statement.opening.amountMinor,
      opening_date: statement.opening.date,
      closing_minor: statement.closing.amountMinor,
      closing_date: statement.closing.date,
      // Opening + entries ≠ closing: a missing page or a bank error. Imported, and shown as such.
      balance_difference_minor: differenceMinor === 0n ? null : differenceMinor,
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
  for (let offset = 0; offset < lines.length; offset += linesPerInsert)
    await trx('bank_lines').insert(lines.slice(offset, offset + linesPerInsert));
  return { id: row.id, created: true };
}

/** The fund's imported statements, newest first, with how many of their lines are still unmatched. */
/** Whether the bank's statement of this id was imported for the fund. */
export async function statementImported(
  db: Database | Transaction,
  fundId: string,
  bankStatementId: string,
): Promise<boolean> {
  return Boolean(
    await db('bank_statements').where({ fund_id: fundId, bank_statement_id: bankStatementId }).first('id'),
  );
}

export async function listStatements(db: Database, fundId: string) {
  const rows = await db('bank_statements as s')
    .where('s.fund_id', fundId)
    .orderBy([
      { column: 's.closing_date', order: 'desc' },
      { column: 's.imported_at', order: 'desc' },
    ])
    .select(
      's.id',
      's.bank_statement_id',
      's.page_number',
      's.balance_difference_minor',
      's.format',
      's.account_iban',
      's.opening_date',
      's.closing_date',
      's.opening_minor',
      's.closing_minor',
      db.raw('(select count(*) from bank_lines l where l.statement_id = s.id)::int as lines'),
      db.raw('(select count(*) from bank_lines l where l.statement_id = s.id and l.id not in (?))::int as unmatched', [
        confirmedLines(db).select('bank_lines.id'),
      ]),
    );
  return rows.map((row) => ({
    id: row.id,
    bankStatementId: row.bank_statement_id,
    page: row.page_number,
    doesNotAddUpBy:
      row.balance_difference_minor === null ? null : toApiAmount(euros(BigInt(row.balance_difference_minor))),
    format: row.format,
    accountIban: row.account_iban,
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    opening: toApiAmount(euros(BigInt(row.opening_minor))),
    closing: toApiAmount(euros(BigInt(row.closing_minor))),
    lines: row.lines,
    unmatchedLines: row.unmatched,
  }));
}

/** Lines of the account's statements that a confirmed match accounts for. */
const confirmedLines = (db: Database) =>
  db('bank_lines')
    .join('bank_match_lines', 'bank_match_lines.line_id', 'bank_lines.id')
    .join('bank_matches', 'bank_matches.id', 'bank_match_lines.match_id')
    .where({ 'bank_match_lines.live': true, 'bank_matches.status': 'confirmed' });

/**
 * Why the bank and the books differ at the statement's closing date — the
 * bank reconciliation statement ("état de rapprochement"): the difference
 * already there when the account's first imported statement opened, plus the
 * bank's lines no confirmed match put in the books, less the books' bank
 * movements no line accounts for. Whatever remains is unexplained (a missing
 * statement, a wrong entry) and is shown as such.
 */
async function explainDifference(
  db: Database,
  statement: { id: string; fund_id: string; account_iban: string; closing_date: string; closing_minor: bigint },
  closingBooks: bigint,
  bookBank: (date: string) => Promise<bigint>,
) {
  const first = await db('bank_statements')
    .where({ fund_id: statement.fund_id, account_iban: statement.account_iban })
    .orderBy(['opening_date', 'imported_at'])
    .first('opening_minor', db.raw('opening_date::text as opening_date'));
  const openingGap = BigInt(first.opening_minor) - (await bookBank(dayBefore(first.opening_date)));
  const bankOnly = await db('bank_lines')
    .join('bank_statements', 'bank_statements.id', 'bank_lines.statement_id')
    .where({ 'bank_statements.fund_id': statement.fund_id, 'bank_statements.account_iban': statement.account_iban })
    // This statement and those before it: a later one closing the same day is not in this closing balance.
    .whereRaw(
      '(bank_statements.closing_date, bank_statements.imported_at) <= (select closing_date, imported_at from bank_statements where id = ?)',
      [statement.id],
    )
    .whereNotIn('bank_lines.id', confirmedLines(db).select('bank_lines.id'))
    .orderBy(['bank_lines.booking_date', 'bank_lines.entry_number', 'bank_lines.detail_number'])
    .select(
      'bank_lines.id',
      'bank_lines.amount_minor',
      db.raw('bank_lines.booking_date::text as booking_date'),
      'bank_lines.remittance',
      'bank_lines.counterparty_name',
      'bank_statements.bank_statement_id',
    );
  const booksOnly = await bookMovementsNotOnStatements(db, statement.fund_id, {
    from: first.opening_date,
    to: statement.closing_date,
  });
  const total = (amounts: bigint[]) => amounts.reduce((sum, amount) => sum + amount, 0n);
  const bankOnlyTotal = total(bankOnly.map((line) => BigInt(line.amount_minor)));
  const booksOnlyTotal = total(booksOnly.map((entry) => entry.amountMinor));
  const amount = (minor: bigint) => toApiAmount(euros(minor));
  return {
    openingGap: amount(openingGap),
    bankNotInBooks: {
      total: amount(bankOnlyTotal),
      lines: bankOnly.map((line) => ({
        id: line.id,
        statement: line.bank_statement_id,
        bookingDate: line.booking_date,
        amount: amount(BigInt(line.amount_minor)),
        text: line.remittance ?? line.counterparty_name,
      })),
    },
    booksNotInBank: {
      total: amount(booksOnlyTotal),
      entries: booksOnly.map((entry) => ({
        entryId: entry.entryId,
        reference: entry.reference,
        date: entry.date,
        label: entry.label,
        amount: amount(entry.amountMinor),
      })),
    },
    unexplained: amount(BigInt(statement.closing_minor) - closingBooks - openingGap - bankOnlyTotal + booksOnlyTotal),
    awaitedReceipts: await listExpectedReceipts(db, statement.fund_id, { awaitedBy: statement.closing_date }),
  };
}

const dayBefore = (isoDate: string) =>
  new Date(Date.parse(`${isoDate}T12:00:00Z`) - 24 * 3600 * 1000).toISOString().slice(0, 10);

/** A statement, its lines, and the bank's balances set against the books' bank account (512). */
export async function statementView(db: Database, fundId: string, statementId: string) {
  const statement = await db('bank_statements').where({ id: statementId, fund_id: fundId }).first();
  if (!statement) throw new NotFoundError(treasuryMessages.statementMissing);
  const lines = await db('bank_lines').where('statement_id', statementId).orderBy(['entry_number', 'detail_number']);
  const bookBank = async (date: string) =>
    (await balancesAt(db, fundId, date)).find((account) => account.code === bankAccountCode)!.balanceMinor;
  const amount = (minor: bigint) => toApiAmount(euros(minor));
  const confirmed = new Set<string>(
    await confirmedLines(db).where('bank_lines.statement_id', statementId).pluck('bank_lines.id'),
  );
  // Transfers we sent that the bank should have debited by the statement's closing date (two business days' grace, counted as calendar days).
  const overdue = await db('disbursements')
    .join('payment_batches', 'payment_batches.id', 'disbursements.batch_id')
    .join(disbursementStates(db).as('w'), 'w.subject_id', db.raw('disbursements.id::text'))
    .where({ 'disbursements.fund_id': fundId, 'w.state': 'sent' })
    .where('payment_batches.requested_execution_date', '<', dayBefore(dayBefore(statement.closing_date)))
    .orderBy('payment_batches.requested_execution_date')
    .select(
      'disbursements.id',
      'disbursements.end_to_end_id',
      'disbursements.amount_minor',
      'disbursements.creditor_name',
      'payment_batches.requested_execution_date',
    );
  const openingBooks = await bookBank(dayBefore(statement.opening_date));
  const closingBooks = await bookBank(statement.closing_date);
  const explanation = await explainDifference(db, statement, closingBooks, bookBank);
  return {
    id: statement.id,
    format: statement.format,
    accountIban: statement.account_iban,
    bankStatementId: statement.bank_statement_id,
    page: statement.page_number,
    sequenceNumber: statement.sequence_number,
    // Opening + entries − closing, when the statement does not add up (a missing page, a bank error); null when it does.
    doesNotAddUpBy:
      statement.balance_difference_minor === null ? null : amount(BigInt(statement.balance_difference_minor)),
    opening: {
      date: statement.opening_date,
      bank: amount(statement.opening_minor),
      books: amount(openingBooks),
      difference: amount(statement.opening_minor - openingBooks),
    },
    closing: {
      date: statement.closing_date,
      bank: amount(statement.closing_minor),
      books: amount(closingBooks),
      difference: amount(statement.closing_minor - closingBooks),
    },
    explanation,
    unmatchedLines: lines.filter((line) => !confirmed.has(line.id)).map((line) => line.id),
    overdueTransfers: overdue.map((item) => ({
      disbursementId: item.id,
      endToEndId: item.end_to_end_id,
      amount: amount(item.amount_minor),
      creditor: item.creditor_name,
      executionDate: item.requested_execution_date,
    })),
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

/** Records how the fund's bank writes its CSV statements (the paying account's; a fund without one is told so). */
export async function setCsvStatementFormat(db: Database, fundId: string, format: CsvStatementFormat): Promise<void> {
  const updated = await db('treasury_accounts')
    .where('fund_id', fundId)
    .update({ csv_statement_format: JSON.stringify(format) });
  if (updated === 0)
    throw new RuleViolationError('treasury/no-paying-account', treasuryMessages.fundBankAccountMissing);
}
