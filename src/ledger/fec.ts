import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { Database } from '../db/database';
import { entryReference } from './entries';
import { fiscalYearBounds } from './periods';
import { numberPendingEntries } from './housekeeping';
import { getFund } from './queries';

/**
 * The « fichier des écritures comptables » (LPF art. A47 A-1; BOI-CF-IOR-60-40-20):
 * every entry of one fund's fiscal year, its opening entry included, in the order
 * they were validated (their gapless number), one line per posting.
 */
export const fecColumns = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

/** ISO 8859-15 covers French (œ, €); anything beyond it is replaced rather than garbled. */
export const fecEncoding = 'ISO-8859-15';

export type FecFile = { fileName: string; content: Buffer; lineCount: number };

/** "AAAAMMJJ" */
export const fecDate = (isoDate: string): string => isoDate.replaceAll('-', '');

/** "1234,56": comma decimal separator, no thousands separator, never negative. */
export function fecAmount(amountMinor: bigint): string {
  return `${amountMinor / 100n},${(amountMinor % 100n).toString().padStart(2, '0')}`;
}

const parisDate = new Intl.DateTimeFormat('fr-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Typography outside ISO 8859-15, written the way a typewriter would. */
const typewriter: Record<string, string> = {
  '—': '-',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '…': '...',
  '\u00a0': ' ',
  '\u202f': ' ',
};

/** A field never holds the separator or a line break, and stays within the file's character set. */
const clean = (text: string | null): string =>
  (text ?? '')
    .replace(/[—–‘’“”…\u00a0\u202f]/g, (character) => typewriter[character]!)
    .replace(/[\t\r\n|]+/g, ' ')
    .trim();

export async function exportFec(db: Database, fundId: string, fiscalYear: number): Promise<FecFile> {
  const fund = await getFund(db, fundId);
  await numberPendingEntries(db, fundId);
  const { endsOn } = fiscalYearBounds(fund.fiscalYearStartMonth, fiscalYear);
  const rows = await db('postings as p')
    .join('journal_entries as e', 'e.id', 'p.entry_id')
    .join('accounts as a', 'a.id', 'p.account_id')
    .join('journals as j', 'j.code', 'e.journal_code')
    // An auxiliary account is exported under its chart account (CompteNum), itself as CompAuxNum.
    .leftJoin('auxiliary_accounts as x', 'x.account_id', 'a.id')
    .leftJoin('accounts as root', function joinRoot() {
      this.on('root.fund_id', 'a.fund_id').andOn('root.code', 'x.root_code');
    })
    .where({ 'e.fund_id': fundId, 'e.fiscal_year': fiscalYear })
    // Validated entries only: one committed after the numbering above waits for the next export.
    .whereNotNull('e.entry_number')
    .orderBy([{ column: 'e.entry_number' }, { column: 'p.id' }])
    .select(
      'e.journal_code',
      'j.label as journal_label',
      'e.fiscal_year',
      'e.entry_number',
      'e.accounting_date',
      'e.label as entry_label',
      'e.source_type',
      'e.source_id',
      'e.created_at',
      'a.code as account_code',
      'a.label as account_label',
      'x.root_code',
      'x.holder_name',
      'root.label as root_label',
      'p.amount_minor',
      'p.line_label',
    );
  const records = rows.map((row) => {
    const amountMinor: bigint = row.amount_minor;
    const reference = entryReference(row.fiscal_year, row.entry_number);
    return [
      row.journal_code,
      clean(row.journal_label),
      reference,
      fecDate(row.accounting_date),
      row.root_code ?? row.account_code,
      clean(row.root_code ? (row.root_label ?? row.account_label) : row.account_label),
      row.root_code ? row.account_code : '',
      clean(row.holder_name),
      clean(row.source_type && row.source_id ? `${row.source_type}-${row.source_id}` : reference),
      fecDate(row.accounting_date),
      clean(row.line_label ?? row.entry_label),
      fecAmount(amountMinor > 0n ? amountMinor : 0n),
      fecAmount(amountMinor < 0n ? -amountMinor : 0n),
      '',
      '',
      fecDate(parisDate.format(row.created_at)),
      '',
      '',
    ];
  });
  const text = stringify([[...fecColumns], ...records], { delimiter: '\t', record_delimiter: '\r\n', quote: false });
  return {
    fileName: `${fund.siren}FEC${fecDate(endsOn)}.txt`,
    content: iconv.encode(text, fecEncoding),
    lineCount: records.length + 1,
  };
}
