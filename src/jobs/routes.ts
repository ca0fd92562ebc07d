import { z } from 'zod';
import { timestamp } from '../http/answers';
import { ConflictError, NotFoundError, UnavailableError } from '../errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { createQueue } from './queue';
import { jobsMessages } from './messages';

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

const failedJobsAnswer = z.strictObject({
  jobs: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      data: z.record(z.string(), z.unknown()),
      error: z.string(),
      attemptsMade: z.number().int(),
      queuedAt: timestamp,
      failedAt: timestamp.nullable(),
    }),
  ),
});

/** Jobs that exhausted their retries, for the admin to read and send again. */
export const jobRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/admin/jobs/failed',
    summary: 'Les tâches en échec après toutes leurs tentatives, avec leur erreur',
    tag: 'jobs',
    access: { roles: [] },
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    response: { status: 200, description: 'Les tâches en échec', schema: failedJobsAnswer },
    handler: async ({ app, query }) => {
      const queue = requestQueue(app);
      try {
        const jobs = await withinTime(queue.getFailed(0, query.limit - 1));
        return {
          body: {
            jobs: jobs.map((job) => ({
              id: job.id,
              name: job.name,
              data: job.data,
              error: job.failedReason,
              attemptsMade: job.attemptsMade,
              queuedAt: new Date(job.timestamp),
              failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
            })),
          },
        };
      } finally {
        // Closing waits for Redis too: let it finish in the background rather than hold the answer.
        void queue.close().catch(() => undefined);
      }
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/jobs/{jobId}/retry',
    summary: 'Relance une tâche en échec (ses effets sont idempotents)',
    tag: 'jobs',
    access: { roles: [] },
    params: z.strictObject({ jobId: z.string().min(1).max(200) }),
    response: {
      status: 202,
      description: 'Tâche relancée',
      schema: z.strictObject({ id: z.string(), name: z.string() }),
    },
    handler: async ({ app, params }) => {
      const queue = requestQueue(app);
      try {
        const job = await withinTime(queue.getJob(params.jobId));
        if (!job) throw new NotFoundError(jobsMessages.jobMissing);
        if (!(await job.isFailed())) throw new ConflictError(jobsMessages.jobNotFailed);
        await job.retry('failed');
        return { status: 202, body: { id: job.id, name: job.name } };
      } finally {
        // Closing waits for Redis too: let it finish in the background rather than hold the answer.
        void queue.close().catch(() => undefined);
      }
    },
  }),
];
