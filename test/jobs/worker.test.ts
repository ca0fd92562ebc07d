import { QueueEvents } from 'bullmq';
import { createQueue, queueName, startWorker } from '../../src/jobs/queue';
import { createFunds, post, transfer } from '../support/ledger-fixtures';
import { createTestContext, testRedisUrl, type TestContext } from '../support/services';

let app: TestContext;

beforeAll(async () => {
  app = await createTestContext();
  await createFunds(app.db);
  await post(app.db, { lines: transfer('512', '7541', 10_00n) });
});
afterAll(() => app.drop());

it('runs the ledger verification as a queued job through real Redis', async () => {
  const queue = createQueue(testRedisUrl());
  const events = new QueueEvents(queueName, { connection: { url: testRedisUrl() } });
  const worker = startWorker(app, testRedisUrl());
  try {
    await events.waitUntilReady();
    const job = await queue.add('ledger.verify', {});
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toEqual({ ok: true, problems: 0 });
  } finally {
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
});
