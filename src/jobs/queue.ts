import { Queue, Worker, type Job } from 'bullmq';
import type { AppContext } from '../context';
import { verifyLedger } from '../ledger/verify';

/**
 * Queued jobs. Later modules add their job names here (documents, notifications,
 * imports). Handlers are idempotent: BullMQ may run a job more than once.
 */
export const queueName = 'milliard';

type JobHandler = (app: AppContext, job: Job) => Promise<unknown>;

const handlers: Record<string, JobHandler> = {
  /** The nightly independent check of the books; a problem is logged at error level for the on-call admin. */
  'ledger.verify': async (app) => {
    const verification = await verifyLedger(app.db);
    const log = verification.ok ? app.logger.info.bind(app.logger) : app.logger.error.bind(app.logger);
    log({ problems: verification.problems, funds: verification.funds.length }, 'ledger verification');
    return { ok: verification.ok, problems: verification.problems.length };
  },
};

export const jobNames = Object.keys(handlers);

const connectionOptions = (redisUrl: string) => ({ url: redisUrl, maxRetriesPerRequest: null });

export function createQueue(redisUrl: string): Queue {
  return new Queue(queueName, { connection: connectionOptions(redisUrl) });
}

export async function scheduleRecurringJobs(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(
    'nightly-ledger-verification',
    { pattern: '0 3 * * *', tz: 'Europe/Paris' },
    { name: 'ledger.verify', opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } } },
  );
}

export function startWorker(app: AppContext, redisUrl: string): Worker {
  const worker = new Worker(
    queueName,
    async (job) => {
      const handler = handlers[job.name];
      if (!handler) throw new Error(`Unknown job ${job.name}`);
      return handler(app, job);
    },
    { connection: connectionOptions(redisUrl), concurrency: 4 },
  );
  worker.on('failed', (job, error) => app.logger.error({ err: error, job: job?.name, jobId: job?.id }, 'job failed'));
  return worker;
}
