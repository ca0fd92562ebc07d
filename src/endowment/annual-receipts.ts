import type { Database } from '../db/database';
import { NotFoundError } from '../errors';
import { enqueue } from '../jobs/outbox';
import { assertEndowmentFund } from './fund';
import { endowmentMessages } from './messages';
import { annualGiftsDue, issueAnnualReceiptsOf } from './receipts';

/**
 * The year's annual receipts as a job: asked for from a page, issued by the
 * worker donor by donor in batches (each batch its own transaction, so the
 * receipt counter is never held long), its progress kept for the page to show.
 */
const donorsPerBatch = 50;

const runColumns = [
  'id',
  'fund_id',
  'fiscal_year',
  'state',
  'total_donors',
  'processed_donors',
  'issued_count',
  'failure',
  'created_at',
  'finished_at',
] as const;

const runView = (row: Record<string, any>) => ({
  id: row.id as string,
  fundId: row.fund_id as string,
  year: row.fiscal_year as number,
  state: row.state as 'queued' | 'running' | 'done' | 'failed',
  totalDonors: row.total_donors as number | null,
  processedDonors: row.processed_donors as number,
  issued: row.issued_count as number,
  failure: row.failure as string | null,
  requestedAt: row.created_at as Date,
  finishedAt: row.finished_at as Date | null,
});
export type AnnualReceiptRun = ReturnType<typeof runView>;

/** Queues the year's annual receipts; asked again while a run is pending, finds that run. */
export async function requestAnnualReceipts(
  db: Database,
  fundId: string,
  year: number,
  userId: string,
): Promise<AnnualReceiptRun> {
  await assertEndowmentFund(db, fundId);
  return db.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`annual-receipts:${fundId}:${year}`]);
    const pending = await trx('annual_receipt_runs')
      .where({ fund_id: fundId, fiscal_year: year })
      .whereIn('state', ['queued', 'running'])
      .first(runColumns);
    if (pending) return runView(pending);
    const [row] = await trx('annual_receipt_runs')
      .insert({ fund_id: fundId, fiscal_year: year, requested_by: userId })
      .returning(runColumns);
    await enqueue(trx, {
      jobName: 'receipts.annual',
      payload: { runId: row.id },
      dedupeKey: `annual-receipts:${row.id}`,
    });
    return runView(row);
  });
}

/** The job: batch after batch until no donor is left; run again after a failure, it goes on where it stopped. */
export async function runAnnualReceipts(db: Database, runId: string): Promise<{ issued: number }> {
  const run = await db('annual_receipt_runs').where('id', runId).first(runColumns);
  if (!run || run.state === 'done') return { issued: run?.issued_count ?? 0 };
  try {
    const due = await annualGiftsDue(db, run.fund_id, run.fiscal_year);
    await db('annual_receipt_runs')
      .where('id', runId)
      .update({
        state: 'running',
        started_at: db.raw('coalesce(started_at, now())'),
        failure: null,
        total_donors: db.raw('processed_donors + ?', [new Set(due.map((gift) => gift.donor_id)).size]),
      });
    for (;;) {
      const issued = await db.transaction(async (trx) => {
        const receipts = await issueAnnualReceiptsOf(
          trx,
          annualGiftsDue(trx, run.fund_id, run.fiscal_year, donorsPerBatch),
        );
        await trx('annual_receipt_runs')
          .where('id', runId)
          .update({
            processed_donors: trx.raw('processed_donors + ?', [receipts.length]),
            issued_count: trx.raw('issued_count + ?', [receipts.length]),
            total_donors: trx.raw('greatest(total_donors, processed_donors + ?)', [receipts.length]),
          });
        return receipts.length;
      });
      if (issued === 0) break;
    }
    const [done] = await db('annual_receipt_runs')
      .where('id', runId)
      .update({ state: 'done', finished_at: db.fn.now() })
      .returning('issued_count');
    return { issued: done.issued_count as number };
  } catch (error) {
    await db('annual_receipt_runs')
      .where('id', runId)
      .update({ state: 'failed', failure: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

export async function annualReceiptRun(db: Database, fundId: string, runId: string): Promise<AnnualReceiptRun> {
  const row = await db('annual_receipt_runs').where({ id: runId, fund_id: fundId }).first(runColumns);
  if (!row) throw new NotFoundError(endowmentMessages.annualRunMissing);
  return runView(row);
}
