import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';

/** What every part of a running process shares: built once at start-up, passed down. */
export type AppContext = {
  config: Config;
  db: Database;
  redis: Redis;
  /** For BullMQ, which opens its own connections. */
  redisUrl: string;
  logger: Logger;
};
