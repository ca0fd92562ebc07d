import { jobHandlers } from '../../src/job-handlers';
import { QueueEvents } from 'bullmq';
import { createQueue, startJobs } from '../../src/jobs/queue';
import { enqueue, relayOutbox } from '../../src/jobs/outbox';
import { createFunds, post, transfer } from '../support/ledger-fixtures';
import { createTestContext, type TestContext } from '../support/services';

let app: TestContext;

beforeAll(async () => {
  app = await createTestContext();
  await createFunds(app.db);
  await post(app.db, { lines: transfer('512', '7541', 10_00n) });
});
afterAll(() => app.drop());

it('runs the ledger verification and housekeeping as queued jobs through real Redis', async () => {
  const jobs = startJobs(app, jobHandlers);
  const events = new QueueEvents(app.config.queueName, { connection: { url: app.redisUrl } });
  try {
    await events.waitUntilReady();
    const job = await jobs.queue.add('ledger.verify', {});
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toEqual({ ok: true, problems: 0 });
    // The housekeeping job folds the pending balance movements the posting left.
    const housekeeping = await jobs.queue.add('ledger.housekeeping', {});
    expect(await housekeeping.waitUntilFinished(events, 30_000)).toEqual({ funds: ['dotation'] });
    expect(Number((await app.db('account_balance_movements').count({ n: '*' }).first())?.n)).toBe(0);
  } finally {
    await jobs.close();
    await events.close();
  }
});

it('relays only committed outbox rows, once per request, and marks them relayed', async () => {
  const queue = createQueue(app);
  try {
    await app.db
      .transaction(async (trx) => {
        await enqueue(trx, { jobName: 'ledger.verify', payload: {}, dedupeKey: 'rolled-back' });
        throw new Error('the business change failed');
      })
      .catch(() => undefined);
    await app.db.transaction(async (trx) => {
      await enqueue(trx, { jobName: 'ledger.verify', payload: { run: 1 }, dedupeKey: 'verify-once' });
      await enqueue(trx, { jobName: 'ledger.verify', payload: { run: 2 }, dedupeKey: 'verify-once' });
    });
    expect(await relayOutbox(app.db, queue)).toBe(1);
    expect(await relayOutbox(app.db, queue)).toBe(0);
    const rows = await app.db('outbox').select('id', 'dedupe_key', 'relayed_at');
    expect(rows.map((row) => row.dedupe_key)).toEqual(['verify-once']);
    expect(rows[0].relayed_at).not.toBeNull();
    const job = await queue.getJob(`outbox-${rows[0].id}`);
    expect([job?.name, job?.data]).toEqual(['ledger.verify', { run: 1 }]);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
  }
});
