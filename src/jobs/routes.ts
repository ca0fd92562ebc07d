import { z } from 'zod';
import { NotFoundError, ConflictError } from '../errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { createQueue } from './queue';

/** Jobs that exhausted their retries, for the admin to read and send again. */
export const jobRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/admin/jobs/failed',
    summary: 'Les tâches en échec après toutes leurs tentatives, avec leur erreur',
    tag: 'jobs',
    access: { roles: [] },
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
    handler: async ({ app, query }) => {
      const queue = createQueue(app);
      try {
        const jobs = await queue.getFailed(0, query.limit - 1);
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
        await queue.close();
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
    response: { status: 202, description: 'Tâche relancée' },
    handler: async ({ app, params }) => {
      const queue = createQueue(app);
      try {
        const job = await queue.getJob(params.jobId);
        if (!job) throw new NotFoundError('Cette tâche est introuvable.');
        if (!(await job.isFailed())) throw new ConflictError("Cette tâche n'est pas en échec.");
        await job.retry('failed');
        return { status: 202, body: { id: job.id, name: job.name } };
      } finally {
        await queue.close();
      }
    },
  }),
];
