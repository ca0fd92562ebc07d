import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * The whole environment, parsed once. Every other module receives a `Config`
 * instead of reading `process.env`, so a bad variable is named at start-up
 * rather than discovered in the middle of a payment run.
 */
const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  LOCAL_REDIS_PORT: z.coerce.number().int().min(1024).max(65535).default(56379),
  ALLOW_APT_INSTALL: booleanFlag.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  API_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().min(1).max(1000).default(10),
  COOKIE_SECURE: booleanFlag.default(false),
  // The reverse proxies whose X-Forwarded-For is believed (express's forms: addresses, CIDRs, "loopback", "uniquelocal"), comma-separated; none by default.
  TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/,\s-]*$/, 'adresses, réseaux CIDR ou loopback, linklocal, uniquelocal, séparés par des virgules')
    .default(''),
  SEED_DEMO: booleanFlag.default(true),
  RUN: z.enum(['all', 'api', 'worker']).default('all'),
  QUEUE_NAME: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('milliard'),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('opération Milliard <ne-pas-repondre@milliard.local>'),
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:3000'),
  // Signs the pages' anti-forgery tokens; shared by every API process. Drawn at start when absent (not in production).
  CSRF_SECRET: z.string().min(32, 'au moins 32 caractères').optional(),
});

export type Config = {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  embeddedPostgresPort: number;
  localRedisPort: number;
  allowAptInstall: boolean;
  logLevel: string;
  sessionTtlHours: number;
  /** The longest life of an API token: every token expires. */
  apiTokenTtlDays: number;
  /** Failed logins allowed per address and account in 15 minutes (successful ones are not counted), shared by every process through Redis. */
  loginAttemptsPer15Min: number;
  cookieSecure: boolean;
  /** Proxies trusted to say the client's address; empty: the connection's own address is the client's. */
  trustProxy: string[];
  seedDemo: boolean;
  /** Which parts this process runs: everything (a newcomer's machine), or the API or the worker alone (containers). */
  run: 'all' | 'api' | 'worker';
  /** BullMQ queue; tests give each context its own so that parallel files never take each other's jobs. */
  queueName: string;
  /** E-mails go through SMTP when set, otherwise to .eml files in mailOutboxDir. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailOutboxDir: string;
  publicUrl: string;
  csrfSecret: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration invalide :\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const defined = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(defined);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.CSRF_SECRET)
    throw new ConfigError([
      'CSRF_SECRET: requis en production (au moins 32 caractères, le même pour chaque processus API), par exemple : openssl rand -hex 32',
    ]);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    dataDir: path.resolve(env.DATA_DIR),
    embeddedPostgresPort: env.EMBEDDED_POSTGRES_PORT,
    localRedisPort: env.LOCAL_REDIS_PORT,
    allowAptInstall: env.ALLOW_APT_INSTALL,
    logLevel: env.LOG_LEVEL,
    sessionTtlHours: env.SESSION_TTL_HOURS,
    apiTokenTtlDays: env.API_TOKEN_TTL_DAYS,
    loginAttemptsPer15Min: env.LOGIN_ATTEMPTS_PER_15_MIN,
    cookieSecure: env.COOKIE_SECURE,
    trustProxy: env.TRUST_PROXY.split(',')
      .map((item) => item.trim())
      .filter(Boolean),
    seedDemo: env.SEED_DEMO,
    run: env.RUN,
    queueName: env.QUEUE_NAME,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    mailOutboxDir: path.resolve(env.MAIL_OUTBOX_DIR ?? path.join(env.DATA_DIR, 'mail-outbox')),
    publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
    csrfSecret: env.CSRF_SECRET ?? randomBytes(32).toString('hex'),
  };
}
