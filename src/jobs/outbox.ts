import type { Queue } from 'bullmq';
import type { Database, Transaction } from '../db/database';

/**
 * The transactional outbox: a change asks for work (render a document, send an
 * e-mail) by writing a row in its own transaction; the relay hands committed
 * rows to BullMQ. The job id is the outbox row, so a relay that crashes after
 * queuing and before marking queues the same job id again, which BullMQ ignores
 * while the job is known — and handlers are idempotent for the rest.
 */
export type OutboxMessage = { jobName: string; payload: Record<string, unknown>; dedupeKey: string };

export async function enqueue(trx: Transaction, message: OutboxMessage): Promise<void> {
  await enqueueAll(trx, [message]);
}

/** Many requests in one statement. */
export async function enqueueAll(trx: Transaction, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await trx('outbox')
    .insert(
      messages.map((message) => ({
        job_name: message.jobName,
        payload: JSON.stringify(message.payload),
        dedupe_key: message.dedupeKey,
      })),
    )
    .onConflict('dedupe_key')
    .ignore();
}

export const jobAttempts = { attempts: 5, backoff: { type: 'exponential', delay: 2_000 } } as const;

/** Moves up to `batch` committed requests to the queue; returns how many. */
export async function relayOutbox(db: Database, queue: Queue, batch = 100): Promise<number> {
  return db.transaction(async (trx) => {
    // Several relays (API and worker containers) may run: each takes rows no other holds.
    const rows: { id: string; job_name: string; payload: Record<string, unknown> }[] = await trx('outbox')
      .whereNull('relayed_at')
      .orderBy('id')
      .limit(batch)
      .forUpdate()
      .skipLocked()
      .select('id', 'job_name', 'payload');
    if (rows.length === 0) return 0;
    await queue.addBulk(
      rows.map((row) => ({
        name: row.job_name,
        data: row.payload,
        opts: { jobId: outboxJobId(row.id), ...jobAttempts },
      })),
    );
    await trx('outbox')
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ relayed_at: trx.fn.now() });
    return rows.length;
  });
}

export const outboxJobId = (rowId: string | number) => `outbox-${rowId}`;

/** A job that ran to its end: its outbox row is done. */
export async function markOutboxCompleted(db: Database, jobId: string | undefined): Promise<void> {
  const rowId = /^outbox-(\d+)$/.exec(jobId ?? '')?.[1];
  if (rowId) await db('outbox').where('id', rowId).whereNull('completed_at').update({ completed_at: db.fn.now() });
}

/**
 * Rows handed to the queue more than `graceMs` ago whose job the queue no longer
 * knows (Redis restarted empty) go back to the relay. A job that failed for good
 * stays known to the queue, listed among the failed jobs: it is not handed again.
 */
export async function sweepOutbox(
  db: Database,
  queue: Queue,
  options: { graceMs: number; batch?: number },
): Promise<number> {
  const rows: { id: string }[] = await db('outbox')
    .whereNotNull('relayed_at')
    .whereNull('completed_at')
    .where('relayed_at', '<', new Date(Date.now() - options.graceMs))
    .orderBy('relayed_at')
    .limit(options.batch ?? 500)
    .select('id');
  const vanished: string[] = [];
  for (const row of rows) if (!(await queue.getJob(outboxJobId(row.id)))) vanished.push(row.id);
  if (vanished.length > 0)
    await db('outbox').whereIn('id', vanished).whereNull('completed_at').update({ relayed_at: null });
  return vanished.length;
}
