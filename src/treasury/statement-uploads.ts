import type { Database } from '../db/database';
import { DomainError, NotFoundError, ValidationError } from '../errors';
import { sha256Hex } from '../documents/service';
import { enqueue } from '../jobs/outbox';
import { treasuryMessages } from './messages';
import { requestMatchProposals } from './proposal-runs';
import { importStatement, type StatementSource } from './statements';

/**
 * A statement sent from the pages, read by a job: the upload keeps the file until
 * the job has imported it (one transaction: the statements, the upload's outcome
 * and the request for their matches' proposals, so a retried job finds the work
 * done or not at all). A file the bank's format refuses ends 'refused' with the
 * reason, for the page to say; an unexpected error ends 'failed', for the job's
 * retry to take up.
 */
export type StatementUpload = {
  id: string;
  state: 'queued' | 'reading' | 'done' | 'refused' | 'failed';
  fileName: string;
  statements: { id: string; bankStatementId: string }[];
  linesRead: number | null;
  alreadyImported: boolean | null;
  otherAccounts: { account: string; statementId: string }[];
  failure: string | null;
};

/** How the source travels in the upload's row: a CSV's opening balance in minor units, as text. */
type StoredSource =
  { kind: 'camt053' } | { kind: 'csv'; statementId: string; openingMinor: string; openingDate: string };

const stored = (source: StatementSource): StoredSource =>
  source.kind === 'csv' ? { ...source, openingMinor: source.openingMinor.toString() } : source;

const restored = (source: StoredSource): StatementSource =>
  source.kind === 'csv' ? { ...source, openingMinor: BigInt(source.openingMinor) } : source;

/** Queues the reading of a statement file; the same file sent again while it is read finds its upload. */
export async function requestStatementUpload(
  db: Database,
  fundId: string,
  file: { content: Buffer; fileName: string },
  source: StatementSource,
  userId: string,
): Promise<{ id: string }> {
  const fileSha256 = sha256Hex(file.content);
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`statement-upload:${fundId}:${fileSha256}`]);
    const pending = await trx('statement_uploads')
      .where({ fund_id: fundId, file_sha256: fileSha256 })
      .whereIn('state', ['queued', 'reading'])
      .first<{ id: string } | undefined>('id');
    if (pending) return pending;
    const [row] = await trx('statement_uploads')
      .insert({
        fund_id: fundId,
        requested_by: userId,
        file: file.content,
        file_name: file.fileName,
        file_sha256: fileSha256,
        source: JSON.stringify(stored(source)),
      })
      .returning<{ id: string }[]>('id');
    await enqueue(trx, {
      jobName: 'statements.read',
      payload: { uploadId: row!.id },
      dedupeKey: `statement-upload:${row!.id}`,
    });
    return row!;
  });
}

/** What the person is told of a refused file: the reasons, without the API's field pointers. */
const refusal = (error: DomainError) =>
  error instanceof ValidationError ? error.issues.map((issue) => issue.message).join(' ') : error.message;

/** The job: reads and imports the file, then asks for its statements' matches to be proposed. */
export async function runStatementUpload(db: Database, uploadId: string): Promise<{ state: StatementUpload['state'] }> {
  const upload = await db('statement_uploads')
    .where('id', uploadId)
    .first('fund_id', 'requested_by', 'file', 'source', 'state');
  if (!upload || upload.state === 'done' || upload.state === 'refused') return { state: upload?.state ?? 'done' };
  await db('statement_uploads')
    .where('id', uploadId)
    .update({ state: 'reading', started_at: db.raw('coalesce(started_at, now())'), failure: null });
  try {
    await db.transaction(async (trx) => {
      const imported = await importStatement(
        trx,
        upload.fund_id,
        upload.file,
        upload.requested_by,
        restored(upload.source),
      );
      const lines = await trx('bank_lines')
        .whereIn('statement_id', imported.statementIds)
        .count<{ n: string }[]>('* as n');
      if (imported.created)
        for (const statementId of imported.statementIds)
          await requestMatchProposals(trx, upload.fund_id, statementId, upload.requested_by);
      await trx('statement_uploads')
        .where('id', uploadId)
        .update({
          state: 'done',
          statement_ids: imported.statementIds,
          lines_read: Number(lines[0]!.n),
          already_imported: !imported.created,
          other_accounts: JSON.stringify(imported.otherAccounts),
          finished_at: trx.fn.now(),
        });
    });
    return { state: 'done' };
  } catch (error) {
    const refused = error instanceof DomainError;
    await db('statement_uploads')
      .where('id', uploadId)
      .update({
        state: refused ? 'refused' : 'failed',
        failure: refused ? refusal(error) : treasuryMessages.uploadUnexpected,
        ...(refused && { finished_at: db.fn.now() }),
      });
    // A refused file will not read better on a retry; anything else is the job's to retry.
    if (refused) return { state: 'refused' };
    throw error;
  }
}

/** An upload of the fund, as its page shows it. */
export async function statementUploadOf(db: Database, fundId: string, uploadId: string): Promise<StatementUpload> {
  const row = await db('statement_uploads')
    .where({ id: uploadId, fund_id: fundId })
    .first('id', 'state', 'file_name', 'statement_ids', 'lines_read', 'already_imported', 'other_accounts', 'failure');
  if (!row) throw new NotFoundError(treasuryMessages.uploadMissing);
  const statements: { id: string; bank_statement_id: string }[] = await db('bank_statements')
    .whereIn('id', row.statement_ids)
    .orderBy(['bank_statement_id', 'page_number'])
    .select('id', 'bank_statement_id');
  return {
    id: row.id,
    state: row.state,
    fileName: row.file_name,
    statements: statements.map((statement) => ({ id: statement.id, bankStatementId: statement.bank_statement_id })),
    linesRead: row.lines_read,
    alreadyImported: row.already_imported,
    otherAccounts: row.other_accounts,
    failure: row.failure,
  };
}
