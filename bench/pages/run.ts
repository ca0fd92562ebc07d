/**
 * Pages benchmark: `npm run bench:pages`.
 *
 * The treasurer's dashboard, the applicant's file page and the reconciliation
 * workspace, each under 20 concurrent connections (autocannon), against the
 * JSON API routes that give the same data, in the same process and run. A page
 * gathers what several routes give: the API side cycles through those routes,
 * and its pages' worth per second is its requests per second divided by how
 * many routes one page takes. Ratio: page requests/s over the API's pages'
 * worth per second (target ≥ 0.7: rendering costs at most 30 %). Prints the
 * results and appends them to bench/RESULTS.md.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import request from 'supertest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { closeContext, createContext } from '../../src/context-factory';
import { migrateToLatest, type Database } from '../../src/db/database';
import { startLocalPostgres } from '../../src/db/embedded-postgres';
import { demoPassword, seedDemo } from '../../src/demo/seed';
import { createDatabaseIfMissing } from '../../src/infrastructure';
import { startLocalRedis } from '../../src/jobs/local-redis';
import { appendResult, freePort, machineDescription, utcMinute } from '../support';

const connections = 20;
const durationSeconds = 10;
const warmUpSeconds = 2;

type Run = { requestsPerSecond: number; p95Ms: number; errors: number };

/** One load: autocannon's throughput, and the p95 of every response time it saw (it reports p90 and p97.5 only). */
async function load(baseUrl: string, cookie: string, paths: string[], seconds: number): Promise<Run> {
  const timesMs: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        duration: seconds,
        headers: { cookie },
        requests: paths.map((requestPath) => ({ method: 'GET', path: requestPath })),
      },
      (error: unknown, done) =>
        error ? reject(error instanceof Error ? error : new Error('autocannon a échoué')) : resolve(done),
    );
    instance.on('response', (_client, _status, _bytes, responseTimeMs) => timesMs.push(responseTimeMs));
  });
  timesMs.sort((a, b) => a - b);
  return {
    requestsPerSecond: result.requests.average,
    p95Ms: timesMs[Math.min(timesMs.length - 1, Math.floor(timesMs.length * 0.95))] ?? Number.NaN,
    errors: result.errors + result.non2xx,
  };
}

async function logIn(http: ReturnType<typeof createApp>, email: string): Promise<string> {
  const response = await request(http).post('/api/auth/login').send({ email, password: demoPassword }).expect(200);
  return String(response.headers['set-cookie']).split(';')[0]!;
}

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-bench-pages-'));
  fs.chmodSync(folder, 0o755);
  const postgres = await startLocalPostgres({ dataDir: path.join(folder, 'postgres'), port: await freePort() });
  const redis = await startLocalRedis({
    port: await freePort(),
    dataDir: path.join(folder, 'redis'),
    persistent: false,
    allowAptInstall: true,
    log: console.log,
  });
  await createDatabaseIfMissing(postgres.url('postgres'), 'milliard_bench');
  const databaseUrl = postgres.url('milliard_bench');
  const app = createContext(
    loadConfig({
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      LOG_LEVEL: 'warn',
      DATA_DIR: folder,
    }),
    { databaseUrl, redisUrl: redis.url },
  );
  const http = createApp(app);
  const server = http.listen(0, '127.0.0.1');
  try {
    await migrateToLatest(app.db);
    await seedDemo(app.db);
    const treasurer = await logIn(http, 'tresoriere@milliard.test');
    const applicant = await logIn(http, 'porteur@milliard.test');
    const file: { id: string } = await app.db('applications').where('organisation_id', 'tiers-lieu-demo').first('id');
    const statement: { id: string } = await app.db('bank_statements').where('fund_id', 'dotation').first('id');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cases = [
      {
        name: 'tableau de bord du trésorier',
        cookie: treasurer,
        page: '/tresorerie/dotation',
        api: [
          '/api/funds/dotation/balances',
          '/api/funds/dotation/disbursement-requests?status=requested',
          '/api/funds/dotation/disbursements?state=requested',
          '/api/funds/dotation/disbursements?state=approved',
          '/api/funds/dotation/payment-batches',
          '/api/funds/dotation/bank-statements',
        ],
      },
      {
        name: 'dossier (porteur)',
        cookie: applicant,
        page: `/dossiers/${file.id}`,
        api: [`/api/applications/${file.id}`],
      },
      {
        name: 'rapprochement',
        cookie: treasurer,
        page: `/tresorerie/dotation/releves/${statement.id}`,
        api: [
          `/api/funds/dotation/bank-statements/${statement.id}`,
          `/api/funds/dotation/bank-statements/${statement.id}/matches`,
        ],
      },
    ];
    const machine = await machineDescription(databaseUrl);
    const ratios: number[] = [];
    for (const one of cases) {
      await load(baseUrl, one.cookie, [one.page], warmUpSeconds);
      await load(baseUrl, one.cookie, one.api, warmUpSeconds);
      const page = await load(baseUrl, one.cookie, [one.page], durationSeconds);
      const api = await load(baseUrl, one.cookie, one.api, durationSeconds);
      const apiPagesPerSecond = api.requestsPerSecond / one.api.length;
      const ratio = page.requestsPerSecond / apiPagesPerSecond;
      ratios.push(ratio);
      const line = `| ${utcMinute()} | ${machine} | ${one.name} | ${page.requestsPerSecond.toFixed(0)} / ${page.p95Ms.toFixed(0)} | ${api.requestsPerSecond.toFixed(0)} / ${api.p95Ms.toFixed(0)} (${one.api.length}) | ${apiPagesPerSecond.toFixed(0)} | **${ratio.toFixed(2)}** | ${page.errors + api.errors} |`;
      console.log(line);
      appendResult(
        '## pages',
        '`npm run bench:pages`. Une page et les routes de l’API qui donnent les mêmes données, 20 connexions (autocannon), 10 s chacune après 2 s de chauffe, même processus. Côté API, les routes d’une page tour à tour : ses pages par seconde = ses requêtes par seconde ÷ le nombre de routes. Cible : rapport ≥ 0,7.\n\n| date (UTC) | machine | page | page req/s / p95 ms | API req/s / p95 ms (routes) | API pages/s | page ÷ API | erreurs |\n|---|---|---|---|---|---|---|---|\n',
        line,
      );
    }
    console.log(`ratio pages/API (le plus bas des trois) = ${Math.min(...ratios).toFixed(2)}`);
  } finally {
    server.close();
    await poolIdle(app.db);
    await closeContext(app);
    await redis.stop();
    await postgres.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Autocannon hangs up on the requests still running when its time is up; their
 * handlers go on. Closing the database under them would fail them: wait until
 * the pool has nothing in use nor waiting.
 */
async function poolIdle(db: Database, timeoutMs = 10_000): Promise<void> {
  const pool = (db.client as { pool: { numUsed(): number; numPendingAcquires(): number } }).pool;
  const until = Date.now() + timeoutMs;
  while ((pool.numUsed() > 0 || pool.numPendingAcquires() > 0) && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 50));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
