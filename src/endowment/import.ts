import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Database, Transaction } from '../db/database';
import { DomainError, ValidationError } from '../errors';
import { euros, minorUnits, parseFrenchAmount, toApiAmount } from '../money';
import { createDonor, recordDonation } from './gifts';
import { newDonorBody } from './schema';

/**
 * Gifts imported from a spreadsheet (CSV, `;`, UTF-8, French amounts and
 * dates). A dry run does the whole import in a transaction and rolls it back,
 * so its report is exactly what the real import would do. Each line carries its
 * own idempotency key (its reference, or its content): importing the same file
 * twice records nothing twice.
 */
export const importColumns = ['type', 'nom', 'prenoms', 'raison_sociale', 'siren', 'adresse', 'code_postal', 'ville', 'pays', 'email', 'montant', 'date', 'mode', 'recurrent', 'reference'] as const;

const methods: Record<string, 'transfer' | 'card' | 'cheque' | 'cash' | 'direct-debit'> = { virement: 'transfer', carte: 'card', cheque: 'cheque', chèque: 'cheque', especes: 'cash', espèces: 'cash', prelevement: 'direct-debit', prélèvement: 'direct-debit' };

const lineSchema = z.object({
  type: z.enum(['particulier', 'entreprise'], { message: 'type : particulier ou entreprise.' }),
  montant: z.string().transform((text, context) => {
    try {
      return minorUnits(parseFrenchAmount(text));
    } catch {
      context.addIssue({ code: 'custom', message: 'montant : nombre français, ex. 1 234,56.' });
      return z.NEVER;
    }
  }),
  date: z.string().transform((text, context) => {
    const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
    const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : text.trim();
    if (!z.iso.date().safeParse(iso).success) {
      context.addIssue({ code: 'custom', message: 'date : JJ/MM/AAAA ou AAAA-MM-JJ.' });
      return z.NEVER;
    }
    return iso;
  }),
  mode: z.string().transform((text, context) => {
    const method = methods[text.trim().toLowerCase()];
    if (!method) context.addIssue({ code: 'custom', message: `mode : ${Object.keys(methods).filter((key) => /^[a-z]+$/.test(key)).join(', ')}.` });
    return method ?? z.NEVER;
  }),
  recurrent: z.string().optional().transform((text) => ['oui', 'o', 'yes', '1'].includes((text ?? '').trim().toLowerCase())),
});

export type ImportReport = {
  dryRun: boolean;
  created: { line: number; donor: string; newDonor: boolean; amount: string; receivedOn: string; receiptId: string | null }[];
  alreadyImported: { line: number; reference: string }[];
  refused: { line: number; errors: string[] }[];
};

/** Thrown to roll back on purpose: a dry run, or a refused line's savepoint. */
class DeliberateRollback extends Error {}

export async function importDonations(db: Database, fundId: string, csv: Buffer, options: { dryRun: boolean; userId: string }): Promise<ImportReport> {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), delimiter: ';', bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new ValidationError([{ path: ['body'], message: `CSV illisible : ${(error as Error).message}` }]);
  }
  const missing = importColumns.filter((column) => !(column in (rows[0] ?? {})));
  if (rows.length === 0 || missing.length > 0) throw new ValidationError([{ path: ['body'], message: rows.length === 0 ? 'Fichier vide.' : `Colonnes manquantes : ${missing.join(', ')}.` }]);

  const report: ImportReport = { dryRun: options.dryRun, created: [], alreadyImported: [], refused: [] };
  const run = async (trx: Transaction) => {
    for (const [index, row] of rows.entries()) {
      const line = index + 2;
      const reference = row.reference || createHash('sha256').update(JSON.stringify(row)).digest('hex').slice(0, 32);
      // Each line stands alone: a refused line leaves the others (and the transaction) intact.
      await trx.transaction(async (lineTrx) => {
        const gift = lineSchema.safeParse(row);
        const donorInput = newDonorBody.safeParse({
          kind: row.type === 'entreprise' ? 'company' : 'individual',
          ...(row.type === 'entreprise' ? { companyName: row.raison_sociale, siren: row.siren } : { lastName: row.nom, firstNames: row.prenoms }),
          addressLine: row.adresse,
          postalCode: row.code_postal,
          city: row.ville,
          ...(row.pays ? { country: row.pays } : {}),
          ...(row.email ? { email: row.email } : {}),
        });
        const errors = [...(gift.success ? [] : gift.error.issues.map((issue) => issue.message)), ...(donorInput.success ? [] : donorInput.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`))];
        if (!gift.success || !donorInput.success) {
          report.refused.push({ line, errors });
          return;
        }
        const key = `import-${reference}`;
        if (await lineTrx('donations').where({ fund_id: fundId, idempotency_key: key }).first('id')) {
          report.alreadyImported.push({ line, reference });
          return;
        }
        const donor = donorInput.data;
        const existing = await lineTrx('donors')
          .where({ fund_id: fundId, kind: donor.kind })
          .andWhere((query) => (donor.email ? query.where('email', donor.email.toLowerCase()) : donor.kind === 'company' ? query.where('siren', donor.siren) : query.where({ last_name: donor.lastName, first_names: donor.firstNames, postal_code: donor.postalCode })))
          .first('id');
        const donorId = existing?.id ?? (await createDonor(lineTrx, fundId, donor));
        try {
          const { receiptId } = await recordDonation(lineTrx, fundId, { donorId, amount: gift.data.montant, receivedOn: gift.data.date, method: gift.data.mode, recurring: gift.data.recurrent, externalRef: row.reference || undefined }, { userId: options.userId }, key);
          report.created.push({ line, donor: donor.kind === 'company' ? donor.companyName : `${donor.lastName} ${donor.firstNames}`, newDonor: !existing, amount: toApiAmount(euros(gift.data.montant)), receivedOn: gift.data.date, receiptId: options.dryRun ? null : receiptId });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          report.refused.push({ line, errors: error instanceof ValidationError ? error.issues.map((issue) => issue.message) : [error.message] });
          // Undo this line's partial work (a donor created for nothing) by failing its savepoint.
          throw new DeliberateRollback();
        }
      }).catch((error: unknown) => {
        if (!(error instanceof DeliberateRollback)) throw error;
      });
    }
    if (options.dryRun) throw new DeliberateRollback();
  };
  await db.transaction(run).catch((error: unknown) => {
    if (!(error instanceof DeliberateRollback)) throw error;
  });
  return report;
}
