import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config';
import type { AppContext } from '../../src/context';
import { connect, type Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';

/**
 * Each test file gets its own database, cloned from the migrated template that
 * `npm test` prepared, so files never see each other's rows and can run in parallel.
 */
function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} manquant : lancez les tests avec \`npm test\`, qui démarre PostgreSQL et Redis.`);
  return value;
}

export type TestDatabase = { db: Database; url: string; drop: () => Promise<void> };

/** `fresh`: an empty database (no migration applied), as a new installation has. */
export async function createTestDatabase(options: { poolMax?: number; fresh?: boolean } = {}): Promise<TestDatabase> {
  const maintenanceUrl = required('MILLIARD_TEST_POSTGRES_URL');
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(maintenanceUrl);
  await admin.connect();
  await admin.query(
    options.fresh
      ? `create database ${name}`
      : `create database ${name} template ${pg.escapeIdentifier(required('MILLIARD_TEST_TEMPLATE'))}`,
  );
  await admin.end();
  const url = maintenanceUrl.replace(/\/[^/]*$/, `/${name}`);
  const db = connect(url, options);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      const client = new pg.Client(maintenanceUrl);
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export const testRedisUrl = (): string => required('MILLIARD_TEST_REDIS_URL');

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false' }), ...overrides };
}

export type TestContext = AppContext & { drop: () => Promise<void>; url: string };

export async function createTestContext(
  overrides: Partial<Config> = {},
  options: { redisUrl?: string } = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  // Each context its own queue and its own mail outbox: parallel files never see each other's jobs or e-mails.
  const mailOutboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-mail-'));
  const config = testConfig({ queueName: `test-${randomBytes(4).toString('hex')}`, mailOutboxDir, ...overrides });
  const redisUrl = options.redisUrl ?? testRedisUrl();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', () => undefined);
  return {
    config,
    db: database.db,
    url: database.url,
    redis,
    redisUrl,
    logger: createLogger('silent'),
    drop: async () => {
      redis.disconnect();
      await database.drop();
      fs.rmSync(mailOutboxDir, { recursive: true, force: true });
    },
  };
}
