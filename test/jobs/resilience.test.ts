import { jobHandlers } from '../../src/job-handlers';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import request from 'supertest';
import { createUser } from '../../src/identity/service';
import { demoPassword, seedDemo } from '../../src/demo/seed';
import { createDonor, recordDonation } from '../../src/endowment/gifts';
import { createApp } from '../../src/app';
import { startLocalRedis, type LocalRedis } from '../../src/jobs/local-redis';
import { relayOutbox } from '../../src/jobs/outbox';
import { createQueue, startJobs } from '../../src/jobs/queue';
import { eventually } from '../support/pathway';
import { createTestContext, type TestContext } from '../support/services';

/**
 * The queue is allowed to fail; the books and the documents are not. Gifts are
 * taken while Redis is down and their receipts appear once it is back; a worker
 * killed in the middle of its work leaves every document exactly once.
 */
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const giftsFor = async (app: TestContext, count: number, prefix: string) => {
  const donorId = await app.db.transaction((trx) =>
    createDonor(trx, 'dotation', {
      kind: 'individual',
      lastName: 'Résiliente',
      firstNames: 'Anne',
      addressLine: '1 rue Haute',
      postalCode: '75001',
      city: 'Paris',
      country: 'France',
      receiptMode: 'per-gift',
      consentEmail: false,
      consentNewsletter: false,
    }),
  );
  const receipts: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { receiptId } = await app.db.transaction((trx) =>
      recordDonation(
        trx,
        'dotation',
        { donorId, amount: 5_000n + BigInt(index), receivedOn: '2026-11-02', method: 'transfer', recurring: false },
        { userId: null },
        `${prefix}-${index}`,
      ),
    );
    receipts.push(receiptId!);
  }
  return receipts;
};
const documentsOf = (app: TestContext, receiptIds: string[]) =>
  app.db('documents').whereIn('subject_id', receiptIds).where('kind', 'tax-receipt').pluck('subject_id');

describe('with Redis of its own, stopped and restarted', () => {
  let redis: LocalRedis | undefined;
  let app: TestContext;
  let port: number;
  const workFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-redis-'));
  const startRedis = async () =>
    (redis = await startLocalRedis({
      port,
      dataDir: workFolder,
      persistent: false,
      allowAptInstall: true,
      log: () => undefined,
    }));

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    app = await createTestContext({}, { redisUrl: redis!.url });
    await seedDemo(app.db);
  });
  afterAll(async () => {
    await redis?.stop();
    await app.drop();
    fs.rmSync(workFolder, { recursive: true, force: true });
  });

  it('takes gifts through the API while Redis is down; their receipts appear once it is back', async () => {
    const jobs = startJobs(app, jobHandlers, { relayEveryMs: 50 });
    try {
      // Let the demo data's own jobs finish first: this Redis keeps nothing on disk, so a job
      // in flight when it stops would come back unknown — a loss the test is not about.
      await eventually(async () => {
        const pending = await app.db('outbox').whereNull('relayed_at').count('* as count').first();
        const counts = await jobs.queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
        return BigInt(pending!.count ?? 0) === 0n && Object.values(counts).every((count) => count === 0)
          ? true
          : undefined;
      }, 60_000);
      await redis!.stop();
      redis = undefined;
      const http = createApp(app);
      const login = await request(http)
        .post('/api/auth/login')
        .send({ email: 'tresoriere@milliard.test', password: demoPassword })
        .expect(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const donor = await request(http)
        .post('/api/funds/dotation/donors')
        .set('Cookie', cookie)
        .send({
          kind: 'individual',
          lastName: 'Patiente',
          firstNames: 'Paule',
          addressLine: '2 rue Basse',
          postalCode: '75002',
          city: 'Paris',
          consentEmail: false,
        })
        .expect(201);
      const receiptIds: string[] = [];
      for (const index of [1, 2, 3]) {
        const gift = await request(http)
          .post('/api/funds/dotation/donations')
          .set('Cookie', cookie)
          .set('Idempotency-Key', `redis-down-${index}`)
          .send({ donorId: donor.body.id, amount: `${index}0.00`, receivedOn: '2026-11-03', method: 'card' })
          .expect(201);
        receiptIds.push(gift.body.receiptId);
      }
      expect(await app.db('outbox').whereNull('relayed_at').count('* as count').first()).toEqual({ count: 6n });
      expect(await documentsOf(app, receiptIds)).toEqual([]);
      // The admin's list of failed jobs says Redis is out of reach instead of waiting for it.
      await app.db.transaction((trx) =>
        createUser(trx, {
          email: 'admin-sans-redis@exemple.fr',
          displayName: 'Admin',
          password: demoPassword,
          roles: [{ role: 'admin' }],
        }),
      );
      const admin = String(
        (
          await request(http)
            .post('/api/auth/login')
            .send({ email: 'admin-sans-redis@exemple.fr', password: demoPassword })
            .expect(200)
        ).headers['set-cookie'],
      ).split(';')[0]!;
      const unavailable = await request(http).get('/api/admin/jobs/failed').set('Cookie', admin).expect(503);
      expect(unavailable.body.detail).toBe('La file de tâches (Redis) ne répond pas : réessayez dans un instant.');

      await startRedis();
      const rendered = await eventually(async () => {
        const found = await documentsOf(app, receiptIds);
        return found.length === 3 ? found : undefined;
      }, 60_000);
      expect(rendered.sort()).toEqual([...receiptIds].sort());
    } finally {
      await jobs.close();
    }
  });

  it('loses no job when Redis restarts without its data: rows whose job vanished are handed again and run', async () => {
    // Relayed to Redis but not run yet (no worker): the jobs live only in Redis's memory.
    const queue = createQueue(app);
    const receiptIds = await giftsFor(app, 20, 'redis-forgets');
    const relayed = await eventually(async () => {
      const pending = await app.db('outbox').whereNull('relayed_at').count('* as count').first();
      if (BigInt(pending!.count ?? 0) === 0n) return true;
      await relayOutbox(app.db, queue, 1000);
      return undefined;
    });
    expect(relayed).toBe(true);
    await queue.close();
    await redis!.stop();
    await startRedis();
    const jobs = startJobs(app, jobHandlers, { relayEveryMs: 50, sweepEveryMs: 200, sweepGraceMs: 0 });
    try {
      const rendered = await eventually(async () => {
        const found = await documentsOf(app, receiptIds);
        return found.length === receiptIds.length ? found : undefined;
      }, 60_000);
      expect(rendered.sort()).toEqual([...receiptIds].sort());
      await eventually(async () => {
        const open = await app.db('outbox').whereNull('completed_at').count('* as count').first();
        return BigInt(open!.count ?? 0) === 0n ? true : undefined;
      }, 30_000);
    } finally {
      await jobs.close();
    }
  });

  it('lists failed jobs to an admin with their error, and runs one again on demand', async () => {
    const jobs = startJobs(app, jobHandlers, { relayEveryMs: 50 });
    const queue = createQueue(app);
    try {
      const http = createApp(app);
      await app.db.transaction((trx) =>
        createUser(trx, {
          email: 'admin-jobs@exemple.fr',
          displayName: 'Admin',
          password: demoPassword,
          roles: [{ role: 'admin' }],
        }),
      );
      const login = await request(http)
        .post('/api/auth/login')
        .send({ email: 'admin-jobs@exemple.fr', password: demoPassword })
        .expect(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const job = await queue.add(
        'document.render',
        { kind: 'no-such-kind', subjectType: 'x', subjectId: 'y', documentKey: 'broken' },
        { attempts: 1 },
      );
      const failed = await eventually(async () => {
        const listed = (await request(http).get('/api/admin/jobs/failed').set('Cookie', cookie).expect(200)).body.jobs;
        return listed.find((item: { id: string }) => item.id === job.id);
      });
      expect(failed).toMatchObject({
        name: 'document.render',
        error: 'Unknown document kind no-such-kind',
        attemptsMade: 1,
      });
      await request(http).post(`/api/admin/jobs/${job.id}/retry`).set('Cookie', cookie).expect(202);
      await eventually(async () => ((await queue.getJob(job.id!))?.attemptsMade === 2 ? true : undefined));
      await request(http).post('/api/admin/jobs/nope/retry').set('Cookie', cookie).expect(404);
    } finally {
      await queue.close();
      await jobs.close();
    }
  });
});

describe('a worker killed in the middle of its work', () => {
  let app: TestContext;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    app = await createTestContext();
    await seedDemo(app.db);
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await app.drop();
  });

  const startWorkerProcess = () => {
    // Node itself, loading tsx as a hook: a kill reaches the worker, not a wrapper process.
    const worker = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/worker-process.ts')], {
      env: {
        ...process.env,
        DATABASE_URL: app.url,
        REDIS_URL: app.redisUrl,
        QUEUE_NAME: app.config.queueName,
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    workers.push(worker);
    return worker;
  };

  it('leaves every document exactly once after a restart', async () => {
    const receiptIds = await giftsFor(app, 40, 'killed');
    const first = startWorkerProcess();
    await eventually(async () => ((await documentsOf(app, receiptIds)).length >= 3 ? true : undefined), 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const afterKill = (await documentsOf(app, receiptIds)).length;
    expect(afterKill).toBeLessThan(40);

    startWorkerProcess();
    await eventually(async () => ((await documentsOf(app, receiptIds)).length === 40 ? true : undefined), 90_000);
    const keys = await app.db('documents').whereIn('subject_id', receiptIds).pluck('document_key');
    expect(new Set(keys).size).toBe(40);
    expect(keys).toHaveLength(40);
  });
});
