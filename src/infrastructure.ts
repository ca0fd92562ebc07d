import path from 'node:path';
import pg from 'pg';
import type { Config } from './config';
import { startLocalPostgres } from './db/embedded-postgres';
import { startLocalRedis } from './jobs/local-redis';

/**
 * PostgreSQL and Redis for this process: the ones named by DATABASE_URL and
 * REDIS_URL, or, when absent, a real PostgreSQL (embedded-postgres) and a
 * local redis-server started here, with their data under DATA_DIR.
 */
export type Infrastructure = { databaseUrl: string; redisUrl: string; stop: () => Promise<void> };

type Needs = { redis: boolean };

export const applicationDatabase = 'milliard';

export async function startInfrastructure(
  config: Config,
  log: (message: string) => void,
  needs: Needs = { redis: true },
): Promise<Infrastructure> {
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      log(`Démarrage de PostgreSQL embarqué (données : ${path.join(config.dataDir, 'postgres')})…`);
      const postgres = await startLocalPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        say: log,
      });
      stops.push(postgres.stop);
      await createDatabaseIfMissing(postgres.url('postgres'), applicationDatabase);
      databaseUrl = postgres.url(applicationDatabase);
    }
    let redisUrl = config.redisUrl ?? `redis://127.0.0.1:${config.localRedisPort}`;
    if (!config.redisUrl && needs.redis) {
      log('Démarrage de redis-server local…');
      const redis = await startLocalRedis({
        port: config.localRedisPort,
        dataDir: path.join(config.dataDir, 'redis'),
        persistent: true,
        allowAptInstall: config.allowAptInstall,
        log,
      });
      stops.push(redis.stop);
      redisUrl = redis.url;
    }
    return { databaseUrl, redisUrl, stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
}

export async function createDatabaseIfMissing(
  maintenanceUrl: string,
  database: string,
  template?: string,
): Promise<void> {
  const client = new pg.Client(maintenanceUrl);
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(
        `create database ${pg.escapeIdentifier(database)}${template ? ` template ${pg.escapeIdentifier(template)}` : ''}`,
      );
    }
  } finally {
    await client.end();
  }
}
