import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect, type Database } from '../src/db/database';
import { startLocalPostgres, type LocalPostgres } from '../src/db/embedded-postgres';
import { createDatabaseIfMissing } from '../src/infrastructure';
import { startLocalRedis, type LocalRedis } from '../src/jobs/local-redis';
import { createDonor } from '../src/endowment/gifts';

/** What every benchmark row says of the machine it ran on. */
export async function machineDescription(postgresUrl: string): Promise<string> {
  const db = connect(postgresUrl, { poolMax: 1 });
  try {
    const version = (await db.raw('show server_version')).rows[0]?.server_version ?? '?';
    return `${os.cpus().length} cœurs ${os.cpus()[0]?.model.trim() ?? ''}, ${Math.round(os.totalmem() / 2 ** 30)} Gio, Node ${process.version}, PostgreSQL embarqué (${version})`;
  } finally {
    await db.destroy();
  }
}

// The real time, even when a benchmark has moved its calendar (setBenchDay).
const realDate = Date;
export const utcMinute = () => new realDate(realDate.now()).toISOString().slice(0, 16).replace('T', ' ');

/** Appends a row to a benchmark's table in bench/RESULTS.md, creating the table the first time. */
export function appendResult(heading: string, tableHeader: string, line: string): void {
  const file = path.resolve(__dirname, 'RESULTS.md');
  if (!fs.existsSync(file)) fs.writeFileSync(file, '# Benchmark results\n');
  const content = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    content.includes(heading)
      ? insertUnder(content, heading, line)
      : `${content.replace(/\n*$/, '\n')}\n${heading}\n\n${tableHeader}${line}\n`,
  );
}

/** Keeps each benchmark's table together when several benchmarks share the file. */
function insertUnder(content: string, heading: string, line: string): string {
  const start = content.indexOf(heading);
  const next = content.indexOf('\n## ', start + heading.length);
  const end = next === -1 ? content.length : next;
  return `${content.slice(0, end).replace(/\n*$/, '\n')}${line}\n${content.slice(end)}`;
}

/** A port nobody listens on now, for a server of the benchmark's own. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

/** Donors of the endowment fund who want a receipt for each gift, so that every gift takes the receipt counter. */
export async function perGiftDonors(db: Database, count: number): Promise<string[]> {
  return db.transaction(async (trx) => {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      ids.push(
        await createDonor(trx, 'dotation', {
          kind: 'individual',
          lastName: `Donatrice ${index}`,
          firstNames: 'Banc',
          addressLine: `${index} rue du Banc`,
          postalCode: '75011',
          city: 'Paris',
          country: 'France',
          receiptMode: 'per-gift',
          consentEmail: false,
          consentNewsletter: false,
        }),
      );
    }
    return ids;
  });
}

/** Peak resident set of a live process, from Linux's /proc (VmHWM), in MB. */
export const peakRssMbOf = (pid: number) =>
  Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

/**
 * The real job worker (`RUN=worker`) in a process of its own, on the benchmark's
 * database and Redis, once it says it is up: its start-up is not part of what is timed.
 */
export async function startedWorker(options: {
  databaseUrl: string;
  redisUrl: string;
  queueName: string;
  dataDir: string;
}): Promise<ChildProcess> {
  const worker = spawn(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../src/main.ts')], {
    env: {
      ...process.env,
      RUN: 'worker',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      QUEUE_NAME: options.queueName,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      DATA_DIR: options.dataDir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on('data', (chunk: Buffer) =>
      chunk.toString().includes('Travailleur de tâches démarré') ? resolve() : undefined,
    );
    worker.once('exit', (code) => reject(new Error(`le travailleur s'est arrêté (code ${code})`)));
  });
  return worker;
}

/**
 * A PostgreSQL and a Redis of the benchmark's own, in a fresh folder, with its
 * database created; `stop` ends both and removes the folder.
 */
export async function benchServers(name: string): Promise<{
  folder: string;
  server: LocalPostgres;
  redis: LocalRedis;
  databaseUrl: string;
  stop: () => Promise<void>;
}> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `milliard-bench-${name}-`));
  fs.chmodSync(folder, 0o755);
  const server = await startLocalPostgres({
    dataDir: path.join(folder, 'postgres'),
    port: await freePort(),
    extraSettings: { max_connections: '100' },
  });
  const redis = await startLocalRedis({
    port: await freePort(),
    dataDir: path.join(folder, 'redis'),
    persistent: false,
    allowAptInstall: true,
    log: console.log,
  });
  await createDatabaseIfMissing(server.url('postgres'), 'milliard_bench');
  return {
    folder,
    server,
    redis,
    databaseUrl: server.url('milliard_bench'),
    stop: async () => {
      await redis.stop();
      await server.stop();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

const RealDate = realDate;
let benchOffsetMs = 0;
/** `Date` with the bench's calendar: now is the day set (and time flows from there); any other date as it is. */
class BenchDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(RealDate.now() + benchOffsetMs);
    else super(...(args as [string]));
  }
  static override now(): number {
    return RealDate.now() + benchOffsetMs;
  }
}

/**
 * Sets the calendar of this process to a day (10:00 in Paris), for a benchmark
 * that builds years of history through the services, which date what they do
 * by today. The database's clock is not moved; nothing of ours dates a
 * business fact by it.
 */
export function setBenchDay(isoDate: string): void {
  globalThis.Date = BenchDate as DateConstructor;
  benchOffsetMs = RealDate.parse(`${isoDate}T10:00:00+01:00`) - RealDate.now();
}
