import { jobHandlers } from '../../src/job-handlers';
import { loadConfig } from '../../src/config';
import { createContext } from '../../src/context-factory';
import { startJobs } from '../../src/jobs/queue';

/**
 * A job worker in a process of its own, that a test can kill -9 in the middle
 * of its work: DATABASE_URL, REDIS_URL and QUEUE_NAME say where it works.
 */
const config = loadConfig();
const app = createContext(config, { databaseUrl: config.databaseUrl!, redisUrl: config.redisUrl! });
startJobs(app, jobHandlers, { relayEveryMs: 50, lockDurationMs: 1_000 });
