import { createHash } from 'node:crypto';
import { parse as parseContentType } from 'content-type';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { z } from 'zod';
import type { Database, Transaction } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
import { DomainError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { enqueue } from '../jobs/outbox';
import { euros, minorUnits, parseFrenchAmount, toApiAmount } from '../money';
import { createDonor, recordDonation } from './gifts';
import { issuePerGiftReceipts, issueReceipt } from './receipts';
import { newDonorBody, type NewDonor } from './schema';
import { endowmentMessages } from './messages';

/**
 * Gifts imported from a spreadsheet (CSV, `;`, French amounts and dates) as a
 * queued job in bounded batches, each its own transaction: other gifts never wait
 * for more than one batch, and no transaction holds more than a batch's locks.
 * Each line's outcome is written with its gift, so an interrupted import resumes
 * after its last committed line; each line carries its own idempotency key (its
 * reference, or its content), so importing a file twice records nothing twice.
 * A dry run takes the same path and rolls each batch's gifts back, keeping only
 * the outcomes; receipts are issued after each batch, one transaction each
 * (never in a dry run), so the receipt counter is held as for any single gift.
 */
export const importColumns = [
  'type',
  'nom',
  'prenoms',
  'raison_sociale',
  'siren',
  'adresse',
  'code_postal',
  'ville',
  'pays',
  'email',
  'montant',
  'date',
  'mode',
  'recurrent',
  'reference',
] as const;

/** Said in the refusal as « 100 000 ». */
export const importLinesMax = 100_000;
export const importFileBytesMax = 32 * 1024 * 1024;
const batchLinesDefault = 200;
/** What an import's answers show: never its file. */
const importColumnsRead = [
  'id',
  'fund_id',
  'dry_run',
  'state',
  'charset',
  'total_lines',
  'processed_lines',
  'created_count',
  'already_imported_count',
  'refused_count',
  'failure',
  'created_at',
  'started_at',
  'finished_at',
];

const methods: Record<string, 'transfer' | 'card' | 'cheque' | 'cash' | 'direct-debit'> = {
  virement: 'transfer',
  carte: 'card',
  cheque: 'cheque',
  chèque: 'cheque',
  especes: 'cash',
  espèces: 'cash',
  prelevement: 'direct-debit',
  prélèvement: 'direct-debit',
};

const lineSchema = z.object({
  type: z.enum(['particulier', 'entreprise'], { message: endowmentMessages.importDonorKind }),
  montant: z.string().transform((text, context) => {
    try {
      return minorUnits(parseFrenchAmount(text));
    } catch {
      context.addIssue({ code: 'custom', message: endowmentMessages.importAmount });
      return z.NEVER;
    }
  }),
  date: z.string().transform((text, context) => {
    const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
    const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : text.trim();
    if (!z.iso.date().safeParse(iso).success) {
      context.addIssue({ code: 'custom', message: endowmentMessages.importDate });
      return z.NEVER;
    }
    return iso;
  }),
  mode: z.string().transform((text, context) => {
    const method = methods[text.trim().toLowerCase()];
    if (!method)
      context.addIssue({
        code: 'custom',
        message: endowmentMessages.importMethod(
          Object.keys(methods)
            .filter((key) => /^[a-z]+$/.test(key))
            .join(', '),
        ),
      });
    return method ?? z.NEVER;
  }),
  recurrent: z
    .string()
    .optional()
    .transform((text) => ['oui', 'o', 'yes', '1'].includes((text ?? '').trim().toLowerCase())),
});

const csvOptions = {
  columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
  delimiter: ';',
  bom: true,
  skip_empty_lines: true,
  trim: true,
} as const;

/**
 * The file's text in the charset it declares (`Content-Type: text/csv;
 * charset=windows-1252`); undeclared, UTF-8 when it is valid UTF-8, else
 * Windows-1252, what French spreadsheets save by default.
 */
function charsetOf(file: Buffer, contentType: string | undefined): string {
  let declared: string | undefined;
  try {
    declared = contentType ? parseContentType(contentType).parameters.charset?.toLowerCase() : undefined;
  } catch {
    throw new ValidationError([
      { path: ['headers', 'Content-Type'], message: endowmentMessages.contentTypeUnreadable },
    ]);
  }
  if (declared) {
    if (!iconv.encodingExists(declared))
      throw new ValidationError([
        { path: ['headers', 'Content-Type'], message: endowmentMessages.charsetUnknown(declared) },
      ]);
    return declared;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(file);
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

const decode = (file: Buffer, charset: string) => iconv.decode(file, charset);

export type DonationImportView = ReturnType<typeof importView>;

/**
 * Checks the file's header and size, keeps the file and queues its import.
 * The same file sent again while its import is pending finds that import.
 */
export async function requestDonationImport(
  db: Database,
  fundId: string,
  file: Buffer,
  options: { contentType: string | undefined; dryRun: boolean; userId: string },
): Promise<{ import: DonationImportView; created: boolean }> {
  const charset = charsetOf(file, options.contentType);
  const text = decode(file, charset);
  let header: Record<string, string>[];
  try {
    // The header and the first line are enough to check the columns; the job reads the rest.
    header = parseSync(text, { ...csvOptions, to_line: 2, relax_column_count: true });
  } catch (error) {
    throw new ValidationError([{ path: ['body'], message: endowmentMessages.csvUnreadable((error as Error).message) }]);
  }
  const missing = importColumns.filter((column) => !(column in (header[0] ?? {})));
  if (header.length === 0) throw new ValidationError([{ path: ['body'], message: endowmentMessages.importEmpty }]);
  if (missing.length > 0)
    throw new ValidationError([
      { path: ['body'], message: endowmentMessages.importColumnsMissing(missing.join(', ')) },
    ]);
  // Every line ends with a line break (the last may not): more breaks than the limit allows is too many lines.
  let lineBreaks = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineBreaks += 1;
  if (lineBreaks > importLinesMax + 1)
    throw new ValidationError([{ path: ['body'], message: endowmentMessages.importTooLong }]);

  const fileSha256 = createHash('sha256').update(file).digest('hex');
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `donation-import:${fundId}:${fileSha256}:${options.dryRun}`,
    ]);
    const pending = await trx('donation_imports')
      .where({ fund_id: fundId, file_sha256: fileSha256, dry_run: options.dryRun })
      .whereIn('state', ['queued', 'running'])
      .first(importColumnsRead);
    if (pending) return { import: importView(pending), created: false };
    const [row] = await trx('donation_imports')
      .insert({
        fund_id: fundId,
        requested_by: options.userId,
        dry_run: options.dryRun,
        file,
        file_sha256: fileSha256,
        charset,
      })
      .returning(importColumnsRead);
    await enqueue(trx, {
      jobName: 'donations.import',
      payload: { importId: row.id },
      dedupeKey: `donation-import:${row.id}`,
    });
    return { import: importView(row), created: true };
  });
}

type LineOutcome = {
  line: number;
  outcome: 'created' | 'already-imported' | 'refused';
  reference: string;
  donor?: string;
  donorKey?: string;
  newDonor?: boolean;
  amountMinor?: bigint;
  receivedOn?: string;
  donationId?: string | null;
  errors?: string[];
  receiptDue?: boolean;
};

/** Thrown to roll back on purpose: a dry run's batch, or a refused line's savepoint. */
class DeliberateRollback extends Error {}

const rollingBack = (error: unknown) => {
  if (!(error instanceof DeliberateRollback)) throw error;
};

/** Runs `work` in a savepoint: a refusal (a DomainError) undoes it and is returned; anything else is thrown. */
async function refusalOf(
  trx: Transaction,
  work: (savepoint: Transaction) => Promise<void>,
): Promise<DomainError | null> {
  let refusal: DomainError | null = null;
  await trx
    .transaction(async (savepoint) => {
      try {
        await work(savepoint);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refusal = error;
        throw new DeliberateRollback();
      }
    })
    .catch(rollingBack);
  return refusal;
}

/** What finds a donor again: their e-mail, else the company's SIREN, else name and postal code. */
function donorKeyOf(donor: NewDonor): string {
  if (donor.email) return `email:${donor.email.toLowerCase()}`;
  return donor.kind === 'company'
    ? `siren:${donor.siren}`
    : `name:${donor.lastName}|${donor.firstNames}|${donor.postalCode}`;
}

function findDonor(trx: Transaction, fundId: string, donor: NewDonor) {
  return trx('donors')
    .where({ fund_id: fundId, kind: donor.kind })
    .andWhere((query) => {
      if (donor.email) query.where('email', donor.email.toLowerCase());
      else if (donor.kind === 'company') query.where('siren', donor.siren);
      else query.where({ last_name: donor.lastName, first_names: donor.firstNames, postal_code: donor.postalCode });
    })
    .first('id');
}

/** One line: refused with its reasons, already imported, or its gift recorded (its receipt left for the batch's end). */
async function importLine(
  trx: Transaction,
  job: BatchJob,
  row: Record<string, string>,
  line: number,
): Promise<LineOutcome> {
  const reference = row.reference || createHash('sha256').update(JSON.stringify(row)).digest('hex').slice(0, 32);
  const gift = lineSchema.safeParse(row);
  const donorInput = newDonorBody.safeParse({
    kind: row.type === 'entreprise' ? 'company' : 'individual',
    ...(row.type === 'entreprise'
      ? { companyName: row.raison_sociale, siren: row.siren }
      : { lastName: row.nom, firstNames: row.prenoms }),
    addressLine: row.adresse,
    postalCode: row.code_postal,
    city: row.ville,
    ...(row.pays ? { country: row.pays } : {}),
    ...(row.email ? { email: row.email } : {}),
  });
  if (!gift.success || !donorInput.success) {
    const errors = [
      ...(gift.success ? [] : gift.error.issues.map((issue) => issue.message)),
      ...(donorInput.success
        ? []
        : donorInput.error.issues.map((issue) => `${issue.path.join('.')} : ${issue.message}`)),
    ];
    return { line, outcome: 'refused', reference, errors };
  }
  const key = `import-${reference}`;
  // A dry run's earlier batches were rolled back: what they would have recorded is in their outcomes.
  const earlierInThisImport = (column: 'reference' | 'donor_key', value: string) =>
    trx('donation_import_lines')
      .where({ import_id: job.id, [column]: value })
      .where(column === 'reference' ? { outcome: 'created' } : { new_donor: true })
      .first('line');
  if (
    (await trx('donations').where({ fund_id: job.fund_id, idempotency_key: key }).first('id')) ||
    (job.dry_run && (await earlierInThisImport('reference', reference)))
  ) {
    return { line, outcome: 'already-imported', reference };
  }
  const donor = donorInput.data;
  const donorKey = donorKeyOf(donor);
  const existing = await findDonor(trx, job.fund_id, donor);
  const donorName = donor.kind === 'company' ? donor.companyName : `${donor.lastName} ${donor.firstNames}`;
  let outcome: LineOutcome | undefined;
  // Each line stands alone: a refused line leaves the others (and the batch) intact, and no donor created for nothing.
  const refusal = await refusalOf(trx, async (lineTrx) => {
    const donorId = existing?.id ?? (await createDonor(lineTrx, job.fund_id, donor));
    const recorded = await recordDonation(
      lineTrx,
      job.fund_id,
      {
        donorId,
        amount: gift.data.montant,
        receivedOn: gift.data.date,
        method: gift.data.mode,
        recurring: gift.data.recurrent,
        externalRef: row.reference || undefined,
      },
      { userId: job.requested_by },
      key,
      { receipt: 'deferred' },
    );
    const newDonor = !existing && !(job.dry_run && (await earlierInThisImport('donor_key', donorKey)));
    outcome = {
      line,
      outcome: 'created',
      reference,
      donor: donorName,
      donorKey,
      newDonor,
      amountMinor: gift.data.montant,
      receivedOn: gift.data.date,
      donationId: recorded.donationId,
      receiptDue: recorded.receiptDue,
    };
  });
  if (refusal)
    return {
      line,
      outcome: 'refused',
      reference,
      errors: refusal instanceof ValidationError ? refusal.issues.map((issue) => issue.message) : [refusal.message],
    };
  return outcome!;
}

type BatchJob = { id: string; fund_id: string; requested_by: string; dry_run: boolean; processed_lines: number };
type ImportRow = BatchJob & { file: Buffer; charset: string; state: string };

/**
 * The per-gift receipts of committed lines, a batch's worth per transaction,
 * numbered together (src/endowment/receipts.ts) so that the receipt counter is
 * held for a few statements; when one of them cannot be issued, they are issued
 * one by one and the refusal is said on its line. Run after each batch and when
 * a run resumes; two runs at once never take the same line.
 */
async function issueDueReceipts(db: Database, importId: string, batchLines: number): Promise<void> {
  for (;;) {
    const issued = await db.transaction(async (trx) => {
      const due: { line: number; donation_id: string }[] = await trx('donation_import_lines')
        .where({ import_id: importId, receipt_due: true })
        .whereNull('receipt_id')
        .orderBy('line')
        .limit(batchLines)
        .forUpdate()
        .skipLocked()
        .select('line', 'donation_id');
      if (due.length === 0) return false;
      const outcomes = new Map<number, { receiptId: string | null; errors: string[] | null }>();
      const refusal = await refusalOf(trx, async (receiptsTrx) => {
        const receiptIds = await issuePerGiftReceipts(
          receiptsTrx,
          due.map((item) => item.donation_id),
        );
        due.forEach((item, index) => outcomes.set(item.line, { receiptId: receiptIds[index]!, errors: null }));
      });
      if (refusal) {
        for (const item of due) {
          const refused = await refusalOf(trx, async (receiptTrx) => {
            outcomes.set(item.line, {
              receiptId: await issueReceipt(receiptTrx, { donationIds: [item.donation_id], kind: 'per-gift' }),
              errors: null,
            });
          });
          if (refused)
            outcomes.set(item.line, {
              receiptId: null,
              errors: [`Don enregistré, reçu non émis : ${refused.message}`],
            });
        }
      }
      const said = [...outcomes].map(([line, outcome]) => ({
        line,
        receipt_id: outcome.receiptId,
        errors: outcome.errors,
      }));
      await trx.raw(
        `update donation_import_lines set receipt_id = said.receipt_id, receipt_due = said.receipt_id is not null, errors = said.errors
         from json_to_recordset(?::json) as said (line integer, receipt_id uuid, errors jsonb)
         where donation_import_lines.import_id = ? and donation_import_lines.line = said.line`,
        [JSON.stringify(said), importId],
      );
      return true;
    });
    if (!issued) return;
  }
}

async function importBatch(
  db: Database,
  importId: string,
  batch: { line: number; row: Record<string, string> }[],
): Promise<void> {
  await db.transaction(async (trx) => {
    // One run of an import at a time; a line another run already committed is not done again.
    // Not the file: the run holds it already, and it weighs up to 32 MiB.
    const job: BatchJob = await trx('donation_imports')
      .where('id', importId)
      .forUpdate()
      .first('id', 'fund_id', 'requested_by', 'dry_run', 'processed_lines');
    const pending = batch.filter((item) => item.line - 1 > job.processed_lines);
    if (pending.length === 0) return;
    const outcomes: LineOutcome[] = [];
    const importLines = async (linesTrx: Transaction) => {
      for (const item of pending) outcomes.push(await importLine(linesTrx, job, item.row, item.line));
      if (job.dry_run) throw new DeliberateRollback();
    };
    await (job.dry_run ? trx.transaction(importLines).catch(rollingBack) : importLines(trx));
    await trx('donation_import_lines').insert(
      outcomes.map((outcome) => ({
        import_id: importId,
        line: outcome.line,
        outcome: outcome.outcome,
        reference: outcome.reference,
        donor: outcome.donor ?? null,
        donor_key: outcome.donorKey ?? null,
        new_donor: outcome.newDonor ?? null,
        amount_minor: outcome.amountMinor ?? null,
        received_on: outcome.receivedOn ?? null,
        donation_id: job.dry_run ? null : (outcome.donationId ?? null),
        receipt_due: !job.dry_run && outcome.receiptDue === true,
        errors: outcome.errors ? JSON.stringify(outcome.errors) : null,
      })),
    );
    const counted = (kind: LineOutcome['outcome']) => outcomes.filter((outcome) => outcome.outcome === kind).length;
    await trx('donation_imports')
      .where('id', importId)
      .update({
        processed_lines: pending.at(-1)!.line - 1,
        created_count: trx.raw('created_count + ?', [counted('created')]),
        already_imported_count: trx.raw('already_imported_count + ?', [counted('already-imported')]),
        refused_count: trx.raw('refused_count + ?', [counted('refused')]),
      });
  });
}

export type ImportRunOptions = {
  batchLines?: number;
  /** Stops after this many batches, as an interrupted run would (tests). */
  batchesMax?: number;
};

/**
 * Runs (or resumes) an import to its end. Safe to run more than once, even at
 * once: batches take the import's row lock and skip what is already committed.
 */
export async function runDonationImport(
  db: Database,
  importId: string,
  options: ImportRunOptions = {},
): Promise<DonationImportView> {
  const job: ImportRow | undefined = await db('donation_imports').where('id', importId).first();
  if (!job) throw new NotFoundError(endowmentMessages.importMissing);
  if (job.state === 'done') return importView(job);
  const text = decode(job.file, job.charset);
  try {
    if (job.state !== 'running')
      await db('donation_imports')
        .where('id', importId)
        .update({ state: 'running', started_at: db.raw('coalesce(started_at, now())'), failure: null });
    await db('donation_imports')
      .where('id', importId)
      .whereNull('total_lines')
      .update({ total_lines: await countLines(text) });
    const batchLines = options.batchLines ?? batchLinesDefault;
    await issueDueReceipts(db, importId, batchLines);
    let batch: { line: number; row: Record<string, string> }[] = [];
    let batches = 0;
    let line = 1;
    for await (const row of parse(text, csvOptions) as AsyncIterable<Record<string, string>>) {
      line += 1;
      if (line - 1 <= job.processed_lines) continue;
      batch.push({ line, row });
      if (batch.length < batchLines) continue;
      await importBatch(db, importId, batch);
      await issueDueReceipts(db, importId, batchLines);
      batch = [];
      batches += 1;
      if (options.batchesMax !== undefined && batches >= options.batchesMax)
        return importView(await db('donation_imports').where('id', importId).first(importColumnsRead));
    }
    if (batch.length > 0) await importBatch(db, importId, batch);
    await issueDueReceipts(db, importId, batchLines);
    const [done] = await db('donation_imports')
      .where('id', importId)
      .update({ state: 'done', finished_at: db.fn.now() })
      .returning(importColumnsRead);
    return importView(done);
  } catch (error) {
    // A line the parser cannot read ends the import where it stands; what came before is kept.
    const failure =
      error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')
        ? `CSV illisible : ${error.message}`
        : 'Erreur inattendue : l’import reprendra où il s’est arrêté.';
    await db('donation_imports').where('id', importId).update({ state: 'failed', failure });
    throw error;
  }
}

async function countLines(text: string): Promise<number> {
  let lines = 0;
  for await (const _row of parse(text, csvOptions)) lines += 1;
  return lines;
}

function importView(row: Record<string, any>) {
  return {
    id: row.id as string,
    fundId: row.fund_id as string,
    dryRun: row.dry_run as boolean,
    state: row.state as 'queued' | 'running' | 'done' | 'failed',
    charset: row.charset as string,
    totalLines: row.total_lines as number | null,
    processedLines: row.processed_lines as number,
    created: row.created_count as number,
    alreadyImported: row.already_imported_count as number,
    refused: row.refused_count as number,
    failure: row.failure as string | null,
    requestedAt: row.created_at as Date,
    startedAt: row.started_at as Date | null,
    finishedAt: row.finished_at as Date | null,
  };
}

export async function donationImport(db: Database, fundId: string, importId: string): Promise<DonationImportView> {
  const row = await db('donation_imports').where({ id: importId, fund_id: fundId }).first(importColumnsRead);
  if (!row) throw new NotFoundError(endowmentMessages.importMissing);
  return importView(row);
}

export async function listDonationImports(db: Database, fundId: string, page: Page) {
  const { rows, ...meta } = await pageOf<Record<string, any>>(
    db('donation_imports').where('fund_id', fundId),
    page,
    (read) => read.orderBy('created_at', 'desc').select(importColumnsRead),
  );
  return { ...meta, imports: rows.map(importView) };
}

/** The import's report, line by line: what was created (and its receipt), already imported, or refused and why. */
export async function listImportLines(
  db: Database,
  fundId: string,
  importId: string,
  filter: Page & { outcome?: LineOutcome['outcome'] | undefined },
) {
  await donationImport(db, fundId, importId);
  const query = db('donation_import_lines').where('import_id', importId);
  if (filter.outcome) query.where('outcome', filter.outcome);
  const { rows, ...meta } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read.orderBy('line').select('*'),
  );
  return {
    ...meta,
    lines: rows.map((row) => ({
      line: row.line as number,
      outcome: row.outcome as LineOutcome['outcome'],
      reference: row.reference as string,
      donor: row.donor as string | null,
      newDonor: row.new_donor as boolean | null,
      amount: row.amount_minor === null ? null : toApiAmount(euros(BigInt(row.amount_minor))),
      receivedOn: row.received_on as string | null,
      donationId: row.donation_id as string | null,
      receiptId: row.receipt_id as string | null,
      errors: (row.errors as string[] | null) ?? [],
    })),
  };
}

/**
 * Imports for good the file a dry run read: the same bytes, in the same
 * character set. Lines already imported are recognised by their reference, so
 * confirming twice creates nothing twice.
 */
export async function confirmDryRun(
  db: Database,
  fundId: string,
  importId: string,
  userId: string,
): Promise<{ import: DonationImportView; created: boolean }> {
  const dryRun = await db('donation_imports')
    .where({ id: importId, fund_id: fundId })
    .first('dry_run', 'state', 'file', 'charset');
  if (!dryRun) throw new NotFoundError(endowmentMessages.importMissing);
  if (!dryRun.dry_run || dryRun.state !== 'done')
    throw new RuleViolationError(
      'endowment/import-not-a-finished-dry-run',
      endowmentMessages.onlyFinishedDryRunConfirmed,
    );
  return requestDonationImport(db, fundId, dryRun.file as Buffer, {
    contentType: `text/csv; charset=${dryRun.charset as string}`,
    dryRun: false,
    userId,
  });
}

/** The import for good of the file a dry run read, requested after it, if there is one. */
export async function importConfirming(db: Database, fundId: string, importId: string): Promise<string | undefined> {
  const row: { id: string } | undefined = await db('donation_imports as real')
    .join('donation_imports as dry', (join) => {
      join.on('dry.file_sha256', 'real.file_sha256').andOn('dry.fund_id', 'real.fund_id');
    })
    .where({ 'dry.id': importId, 'dry.fund_id': fundId, 'real.dry_run': false })
    .andWhereRaw('real.created_at >= dry.created_at')
    .orderBy('real.created_at', 'desc')
    .first('real.id');
  return row?.id;
}
