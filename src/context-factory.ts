import { Redis } from 'ioredis';
import type { Config } from './config';
import type { AppContext } from './context';
import { connect } from './db/database';
import { createLogger } from './logger';

export function createContext(config: Config, urls: { databaseUrl: string; redisUrl: string }): AppContext {
  return {
    config,
    db: connect(urls.databaseUrl),
    redis: new Redis(urls.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }),
    redisUrl: urls.redisUrl,
    logger: createLogger(config.logLevel),
  };
}

export async function closeContext(app: AppContext): Promise<void> {
  app.redis.disconnect();
  await app.db.destroy();
}
