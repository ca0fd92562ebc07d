import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { fecColumns } from '../../src/ledger/fec';

/**
 * Checks an FEC file against the rules of LPF art. A47 A-1 (RULES.md §2) and
 * gives back its records, for a test to look further: ISO 8859-15, CR LF, the 18
 * fields in order, the opening entry first, entries numbered without a break,
 * dates and amounts in their formats, PCG roots, each entry balanced.
 */
export type FecRecord = (name: (typeof fecColumns)[number]) => string;

export function fecRecordsFollowingTheRules(
  content: Buffer,
  year: number,
  options: { firstYear?: boolean } = {},
): { text: string; records: FecRecord[] } {
  const text = iconv.decode(content, 'ISO-8859-15');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(
    text
      .split('\r\n')
      .slice(0, -1)
      .every((line) => !line.includes('\n') && !line.includes('\r')),
  ).toBe(true);
  const [header, ...rows]: string[][] = parse(text, { delimiter: '\t', record_delimiter: '\r\n', relax_quotes: true });
  expect(header).toEqual([...fecColumns]);
  expect(rows.every((row) => row.length === 18)).toBe(true);
  const records: FecRecord[] = rows.map((row) => (name) => row[fecColumns.indexOf(name)]!);
  // The opening entry comes first: journal AN, dated the first day of the year (a fund's first year has none).
  if (!options.firstYear) {
    expect(records[0]!('JournalCode')).toBe('AN');
    expect(records[0]!('EcritureDate')).toBe(`${year}0101`);
  }
  const entryNumbers = [...new Set(records.map((record) => record('EcritureNum')))];
  expect(entryNumbers).toEqual(entryNumbers.map((_, index) => `${year}-${String(index + 1).padStart(6, '0')}`));
  for (const record of records) {
    expect(record('EcritureDate')).toMatch(new RegExp(`^${year}\\d{4}$`));
    expect(record('PieceDate')).toMatch(/^\d{8}$/);
    expect(record('ValidDate')).toMatch(/^\d{8}$/);
    expect(record('Debit')).toMatch(/^\d+,\d{2}$/);
    expect(record('Credit')).toMatch(/^\d+,\d{2}$/);
    expect(record('CompteNum').slice(0, 3)).toMatch(/^[1-8]\d{2}$/);
    expect(record('CompAuxNum')).toBe('');
    expect(record('Idevise')).toBe('');
  }
  const byEntry = new Map<string, bigint>();
  for (const record of records) {
    const net = fecCents(record('Debit')) - fecCents(record('Credit'));
    byEntry.set(record('EcritureNum'), (byEntry.get(record('EcritureNum')) ?? 0n) + net);
  }
  expect([...byEntry.values()].every((total) => total === 0n)).toBe(true);
  return { text, records };
}

/** An FEC amount ("1234,56") in cents. */
export const fecCents = (amount: string): bigint => BigInt(amount.replace(',', ''));
