import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, migrateToLatest } from '../src/db/database';
import { startLocalPostgres } from '../src/db/embedded-postgres';
import { createDatabaseIfMissing } from '../src/infrastructure';
import { startLocalRedis } from '../src/jobs/local-redis';
import { ensureChromium } from './support/chromium';

/**
 * `npm test`: starts a real PostgreSQL and a real Redis of its own (the same
 * mechanism as `npm start`), migrates a template database that each test file
 * clones, runs jest, and stops everything, whatever the outcome.
 */
export const templateDatabase = 'milliard_template';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<number> {
  const workFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-test-'));
  fs.chmodSync(workFolder, 0o755);
  const say = (message: string) => process.stdout.write(`[test] ${message}\n`);
  const stops: (() => Promise<void>)[] = [];
  try {
    say('PostgreSQL embarqué…');
    const postgres = await startLocalPostgres({
      dataDir: path.join(workFolder, 'postgres'),
      port: await freePort(),
      // Durability is not under test here; speed is welcome.
      extraSettings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    });
    stops.push(postgres.stop);
    await createDatabaseIfMissing(postgres.url('postgres'), templateDatabase);
    const template = connect(postgres.url(templateDatabase));
    await migrateToLatest(template);
    await template.destroy();

    say('redis-server…');
    const redis = await startLocalRedis({
      port: await freePort(),
      dataDir: path.join(workFolder, 'redis'),
      persistent: false,
      allowAptInstall: true,
      log: () => undefined,
    });
    stops.push(redis.stop);

    say('chromium…');
    const chromium = ensureChromium(say);

    const jest = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: {
        ...process.env,
        NODE_ENV: 'test',
        MILLIARD_TEST_POSTGRES_URL: postgres.url('postgres'),
        MILLIARD_TEST_TEMPLATE: templateDatabase,
        MILLIARD_TEST_REDIS_URL: redis.url,
        MILLIARD_TEST_CHROMIUM: chromium,
      },
    });
    return await new Promise<number>((resolve) => jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    fs.rmSync(workFolder, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
