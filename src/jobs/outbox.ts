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
  await trx('outbox')
    .insert({ job_name: message.jobName, payload: JSON.stringify(message.payload), dedupe_key: message.dedupeKey })
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
    await queue.addBulk(rows.map((row) => ({ name: row.job_name, data: row.payload, opts: { jobId: `outbox-${row.id}`, ...jobAttempts } })));
    await trx('outbox')
      .whereIn('id', rows.map((row) => row.id))
      .update({ relayed_at: trx.fn.now() });
    return rows.length;
  });
}
