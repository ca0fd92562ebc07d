import { Queue, Worker } from 'bullmq';
import type { AppContext } from '../context';
import { markOutboxCompleted, relayOutbox, sweepOutbox } from './outbox';

/**
 * Queued jobs: BullMQ on Redis, fed by the outbox relay and by recurring
 * schedules. The jobs themselves are the modules': src/job-handlers.ts names
 * them, beside main.ts; each is idempotent (BullMQ may run a job more than once).
 */
export type JobHandlers = Record<string, (app: AppContext, data: Record<string, unknown>) => Promise<unknown>>;
export type RecurringJob = {
  id: string;
  repeat: { pattern: string; tz: string } | { every: number };
  name: string;
  opts?: Record<string, unknown>;
};
const connectionOptions = (redisUrl: string) => ({ url: redisUrl, maxRetriesPerRequest: null });

export function createQueue(app: Pick<AppContext, 'config' | 'redisUrl'>): Queue {
  return new Queue(app.config.queueName, { connection: connectionOptions(app.redisUrl) });
}

export async function scheduleRecurringJobs(queue: Queue, jobs: readonly RecurringJob[]): Promise<void> {
  for (const job of jobs)
    await queue.upsertJobScheduler(job.id, job.repeat, { name: job.name, ...(job.opts ? { opts: job.opts } : {}) });
}

export type RunningJobs = { worker: Worker; queue: Queue; close: () => Promise<void> };

/** The worker and the outbox relay that feeds it, until close(). */
export type JobOptions = {
  relayEveryMs?: number;
  /** How often the relay looks for rows whose job vanished (Redis restarted without its data), and how old they must be. */
  sweepEveryMs?: number;
  sweepGraceMs?: number;
  /** How long a job stays claimed without a heartbeat before another worker takes it over (BullMQ's lock). */
  lockDurationMs?: number;
  /** How long close() waits for jobs in progress and for Redis before dropping the connections. */
  closeGraceMs?: number;
};

export function startJobs(app: AppContext, jobHandlers: JobHandlers, options: JobOptions = {}): RunningJobs {
  const queue = createQueue(app);
  const worker = new Worker(
    app.config.queueName,
    async (job) => {
      const handler = jobHandlers[job.name];
      if (!handler) throw new Error(`Unknown job ${job.name}`);
      return handler(app, job.data as Record<string, unknown>);
    },
    {
      connection: connectionOptions(app.redisUrl),
      concurrency: 4,
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    },
  );
  worker.on('completed', (job) => {
    markOutboxCompleted(app.db, job.id).catch((error: unknown) =>
      app.logger.warn({ err: error, jobId: job.id }, 'outbox row not marked done; the sweeper will look again'),
    );
  });
  worker.on('failed', (job, error) => app.logger.error({ err: error, job: job?.name, jobId: job?.id }, 'job failed'));
  // Redis going away is an event to log, not a reason to crash: BullMQ reconnects by itself.
  worker.on('error', (error) => app.logger.warn({ err: error }, 'job worker error'));
  queue.on('error', (error) => app.logger.warn({ err: error }, 'job queue error'));

  let running = true;
  let sweptAt = Date.now();
  const relayLoop = (async () => {
    while (running) {
      if (Date.now() - sweptAt > (options.sweepEveryMs ?? 30_000)) {
        sweptAt = Date.now();
        const swept = await sweepOutbox(app.db, queue, { graceMs: options.sweepGraceMs ?? 60_000 }).catch(
          (error: unknown) => {
            app.logger.warn({ err: error }, 'outbox sweep failed; will retry');
            return 0;
          },
        );
        if (swept > 0) app.logger.warn({ swept }, 'outbox rows whose job vanished from Redis handed again');
      }
      const relayed = await relayOutbox(app.db, queue).catch((error: unknown) => {
        app.logger.warn({ err: error }, 'outbox relay failed; will retry');
        return 0;
      });
      if (relayed === 0) await new Promise((resolve) => setTimeout(resolve, options.relayEveryMs ?? 500));
    }
  })();

  return {
    worker,
    queue,
    close: async () => {
      running = false;
      await relayLoop;
      await closeWithin(app, worker, queue, options.closeGraceMs ?? 10_000);
    },
  };
}

/**
 * Jobs in progress get a grace period. Past it — or when Redis is already gone (Ctrl-C in a terminal reaches
 * the local redis-server too), where BullMQ would wait for it forever — the connections are dropped: a job cut
 * short is still in Redis and its outbox row, and runs again at the next start.
 */
async function closeWithin(app: AppContext, worker: Worker, queue: Queue, graceMs: number): Promise<void> {
  let graceTimer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    Promise.all([worker.close(), queue.close()]).then(() => true),
    new Promise<false>((resolve) => (graceTimer = setTimeout(() => resolve(false), graceMs))),
  ]);
  clearTimeout(graceTimer);
  if (!inTime) {
    app.logger.warn('job worker did not close in time; its connections are dropped');
    // Not awaited: BullMQ's disconnect first waits for a connection to Redis, which may never come.
    void Promise.allSettled([worker.disconnect(), queue.disconnect()]);
  }
}
