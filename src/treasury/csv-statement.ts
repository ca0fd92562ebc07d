import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { ValidationError } from '../errors';
import { minorUnits, parseApiAmount } from '../money';
import { statementSizeMaxBytes, type ParsedStatement, type StatementLine } from './camt053';
import { treasuryMessages } from './messages';

/**
 * Bank statements as CSV, for banks without camt.053: each bank writes its own
 * columns, so the fund describes its bank's once (`csvStatementFormat`). A CSV
 * export carries no balances: the treasurer gives the opening one, the closing
 * one follows from the lines.
 */
export const csvStatementFormat = z
  .strictObject({
    delimiter: z.enum([';', ',', '\t']),
    decimalSeparator: z.enum([',', '.']),
    dateFormat: z.enum(['DD/MM/YYYY', 'YYYY-MM-DD']),
    columns: z.strictObject({
      bookingDate: z.string().min(1),
      valueDate: z.string().min(1).optional(),
      amount: z.string().min(1).optional(),
      debit: z.string().min(1).optional(),
      credit: z.string().min(1).optional(),
      label: z.string().min(1),
      endToEndId: z.string().min(1).optional(),
      counterpartyName: z.string().min(1).optional(),
      counterpartyIban: z.string().min(1).optional(),
      reference: z.string().min(1).optional(),
    }),
  })
  .refine((format) => Boolean(format.columns.amount) !== Boolean(format.columns.debit && format.columns.credit), {
    path: ['columns'],
    message: treasuryMessages.csvAmountColumns,
  });
export type CsvStatementFormat = z.infer<typeof csvStatementFormat>;

export type CsvStatementMeta = { statementId: string; iban: string; openingMinor: bigint; openingDate: string };

export function parseCsvStatement(
  content: Buffer,
  format: CsvStatementFormat,
  meta: CsvStatementMeta,
): ParsedStatement {
  if (content.length > statementSizeMaxBytes)
    throw new ValidationError([{ path: ['body'], message: treasuryMessages.statementTooLarge }]);
  let rows: Record<string, string>[];
  try {
    rows = parse(content, {
      columns: true,
      delimiter: format.delimiter,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    });
  } catch (error) {
    throw new ValidationError([{ path: ['body'], message: treasuryMessages.csvUnreadable((error as Error).message) }]);
  }
  const problems: { path: (string | number)[]; message: string }[] = [];
  const cell = (row: Record<string, string>, column: string | undefined) =>
    column ? (row[column] ?? '').trim() || null : null;
  const amountOf = (raw: string | null, line: number): bigint => {
    const compact = (raw ?? '').replace(/[\s\u00a0]/g, '');
    // "1.234,56" or "1,234.56": thousands separators go, the decimal one becomes a point.
    const normal =
      format.decimalSeparator === ',' ? compact.replace(/\./g, '').replace(',', '.') : compact.replace(/,/g, '');
    const match = /^(-?)(\d+(\.\d{1,2})?)$/.exec(normal);
    if (!match) {
      problems.push({ path: ['body', line], message: treasuryMessages.csvAmountUnreadable(line, raw ?? 'vide') });
      return 0n;
    }
    const value = minorUnits(parseApiAmount(match[2]!));
    return match[1] ? -value : value;
  };
  const dateOf = (raw: string | null, line: number): string => {
    const french = format.dateFormat === 'DD/MM/YYYY' ? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(raw ?? '') : null;
    const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : (raw ?? '');
    if (!z.iso.date().safeParse(iso).success)
      problems.push({ path: ['body', line], message: treasuryMessages.csvDateUnreadable(line, raw ?? 'vide') });
    return iso;
  };
  const lines: StatementLine[] = rows.map((row, index) => {
    const line = index + 2;
    const amountMinor = format.columns.amount
      ? amountOf(cell(row, format.columns.amount), line)
      : (cell(row, format.columns.credit) ? amountOf(cell(row, format.columns.credit), line) : 0n) -
        (cell(row, format.columns.debit) ? amountOf(cell(row, format.columns.debit), line) : 0n);
    if (amountMinor === 0n) problems.push({ path: ['body', line], message: treasuryMessages.csvAmountMissing(line) });
    return {
      entryNumber: index + 1,
      detailNumber: 1,
      amountMinor,
      bookingDate: dateOf(cell(row, format.columns.bookingDate), line),
      valueDate: format.columns.valueDate ? dateOf(cell(row, format.columns.valueDate), line) : null,
      bankReference: cell(row, format.columns.reference),
      endToEndId: cell(row, format.columns.endToEndId),
      structuredReference: null,
      counterpartyName: cell(row, format.columns.counterpartyName),
      counterpartyIban: cell(row, format.columns.counterpartyIban)?.replace(/\s/g, '') ?? null,
      remittance: cell(row, format.columns.label),
      returnReason: null,
      batchBooking: false,
    };
  });
  if (rows.length === 0) problems.push({ path: ['body'], message: treasuryMessages.statementEmpty });
  if (problems.length > 0) throw new ValidationError(problems);
  const closingDate = lines
    .map((line) => line.bookingDate)
    .sort()
    .at(-1)!;
  return {
    format: 'csv',
    accountIban: meta.iban,
    statementId: meta.statementId,
    pageNumber: 1,
    sequenceNumber: null,
    opening: { amountMinor: meta.openingMinor, date: meta.openingDate },
    closing: {
      amountMinor: lines.reduce((total, line) => total + line.amountMinor, meta.openingMinor),
      date: closingDate,
    },
    lines,
  };
}
