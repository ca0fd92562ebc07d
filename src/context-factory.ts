import { Redis } from 'ioredis';
import type { Config } from './config';
import type { AppContext } from './context';
import { connect } from './db/database';
import { createLogger } from './logger';

export function createContext(config: Config, urls: { databaseUrl: string; redisUrl: string }): AppContext {
  const logger = createLogger(config.logLevel);
  const redis = new Redis(urls.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  // Redis may go away for a while (the outbox keeps the work); say so in the logs, not on stderr.
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  return { config, db: connect(urls.databaseUrl), redis, redisUrl: urls.redisUrl, logger };
}

export async function closeContext(app: AppContext): Promise<void> {
  app.redis.disconnect();
  await app.db.destroy();
}
