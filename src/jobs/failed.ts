import type { AppContext } from '../context';
import { ConflictError, NotFoundError, UnavailableError } from '../errors';
import { jobsMessages } from './messages';
import { createQueue } from './queue';

/**
 * The jobs that exhausted their retries, for an administrator to read and send
 * again (their effects are idempotent: a job sent again does nothing twice).
 */
/** How long an admin waits for Redis before hearing it is out of reach. */
export const queueAnswerTimeoutMs = 2_000;

/** The queue's answer, or a 503 once Redis has not answered in time (it may be down: BullMQ would wait for it). */
async function withinTime<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new UnavailableError(jobsMessages.queueUnavailable)), queueAnswerTimeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A queue for one request: Redis being down is told by withinTime, not printed by every reconnection attempt. */
function requestQueue(app: Parameters<typeof createQueue>[0]) {
  const queue = createQueue(app);
  queue.on('error', () => undefined);
  return queue;
}

export type FailedJob = {
  id: string;
  name: string;
  data: Record<string, unknown>;
  error: string;
  attemptsMade: number;
  queuedAt: Date;
  failedAt: Date | null;
};

export async function failedJobs(app: AppContext, limit: number): Promise<FailedJob[]> {
  const queue = requestQueue(app);
  try {
    const jobs = await withinTime(queue.getFailed(0, limit - 1));
    return jobs.map((job) => ({
      id: job.id ?? '',
      name: job.name,
      data: job.data as Record<string, unknown>,
      error: job.failedReason,
      attemptsMade: job.attemptsMade,
      queuedAt: new Date(job.timestamp),
      failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    }));
  } finally {
    // Closing waits for Redis too: let it finish in the background rather than hold the answer.
    void queue.close().catch(() => undefined);
  }
}

export async function retryFailedJob(app: AppContext, jobId: string): Promise<{ id: string; name: string }> {
  const queue = requestQueue(app);
  try {
    const job = await withinTime(queue.getJob(jobId));
    if (!job) throw new NotFoundError(jobsMessages.jobMissing);
    if (!(await job.isFailed())) throw new ConflictError(jobsMessages.jobNotFailed);
    await job.retry('failed');
    return { id: job.id ?? jobId, name: job.name };
  } finally {
    void queue.close().catch(() => undefined);
  }
}
