import { z } from 'zod';
import { timestamp } from '../http/answers';
import { defineRoute, type AnyRoute } from '../http/route';
import { failedJobs, retryFailedJob } from './failed';

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
    handler: async ({ app, query }) => ({ body: { jobs: await failedJobs(app, query.limit) } }),
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
    handler: async ({ app, params }) => ({ status: 202, body: await retryFailedJob(app, params.jobId) }),
  }),
];
