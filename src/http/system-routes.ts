import { z } from 'zod';
import { migrationsAreCurrent } from '../db/database';
import { defineRoute, type AnyRoute } from './route';

export const readinessTimeoutMs = 2_000;

async function check(name: string, probe: () => Promise<boolean>): Promise<[string, boolean]> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), readinessTimeoutMs).unref());
  const ok = await Promise.race([probe().catch(() => false), timeout]);
  return [name, ok];
}

export const systemRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/health',
    summary: 'Le processus répond',
    tag: 'system',
    access: 'public',
    response: {
      status: 200,
      description: 'Le processus répond (sans toucher la base)',
      schema: z.strictObject({ status: z.literal('ok') }),
    },
    handler: async () => ({ body: { status: 'ok' } }),
  }),
  defineRoute({
    method: 'get',
    path: '/ready',
    summary: 'PostgreSQL et Redis joignables, migrations à jour',
    tag: 'system',
    access: 'public',
    response: {
      status: 200,
      description: 'Prêt (503 sinon, avec le détail)',
      schema: z.strictObject({
        status: z.enum(['ready', 'not-ready']),
        checks: z.strictObject({ postgres: z.boolean(), migrations: z.boolean(), redis: z.boolean() }),
      }),
    },
    handler: async ({ app }) => {
      const checks = Object.fromEntries(
        await Promise.all([
          check('postgres', async () => (await app.db.raw('select 1')).rows.length === 1),
          check('migrations', () => migrationsAreCurrent(app.db)),
          check('redis', async () => (await app.redis.ping()) === 'PONG'),
        ]),
      );
      const ready = Object.values(checks).every(Boolean);
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not-ready', checks } };
    },
  }),
];
