/**
 * Ledger benchmark: `npm run bench:ledger`.
 *
 * Against one PostgreSQL server, in one run:
 *   1. pgbench's built-in TPC-B-like workload (itself a debit/credit ledger), 8 clients, 20 s;
 *   2. two-line entries posted through the ledger service, 8 concurrent workers, 20 s;
 *   3. 100,000 entries imported through the service's bulk path;
 * and, to tell the client stack's share from the ledger's, pgbench's own transaction
 * issued from Node through knex and pg on the same tables (1b).
 * Prints the results and appends them to bench/RESULTS.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, migrateToLatest, type Database } from '../../src/db/database';
import { startLocalPostgres } from '../../src/db/embedded-postgres';
import { createDatabaseIfMissing } from '../../src/infrastructure';
import { postEntriesInBulk } from '../../src/ledger/bulk';
import { postEntry, type NewEntry } from '../../src/ledger/entries';
import { ensureFund } from '../../src/ledger/funds';
import { runLedgerHousekeeping } from '../../src/ledger/housekeeping';
import { verifyLedger } from '../../src/ledger/verify';
import { appendResult, machineDescription, utcMinute } from '../support';

const durationSeconds = Number(process.env.BENCH_SECONDS ?? 20);
const clients = 8;
const bulkEntries = Number(process.env.BENCH_BULK_ENTRIES ?? 100_000);
const bulkBatchSize = 5_000;
const port = 54_331;

function pgbenchBinary(): string {
  const candidates = [
    '/usr/lib/postgresql/15/bin/pgbench',
    '/usr/lib/postgresql/16/bin/pgbench',
    '/usr/lib/postgresql/17/bin/pgbench',
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'pgbench est introuvable : installez le paquet Debian postgresql-15 (sudo apt-get install -y postgresql-15).',
    );
  }
  console.log('pgbench manquant : installation du paquet Debian postgresql-15…');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'postgresql-15']]) {
    const result = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} a échoué`);
  }
  return candidates[0]!;
}

function runPgbench(binary: string, url: URL, args: string[]): string {
  const result = spawnSync(
    binary,
    ['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), ...args, url.pathname.slice(1)],
    {
      env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`pgbench ${args.join(' ')} : ${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

const twoLines = (index: number, date = '2026-06-15'): NewEntry => ({
  fundId: 'bench',
  journalCode: 'OD',
  accountingDate: date,
  label: `Écriture ${index}`,
  lines: [
    { accountCode: '512', amountMinor: BigInt(100 + (index % 1000)) },
    { accountCode: '7541', amountMinor: -BigInt(100 + (index % 1000)) },
  ],
});

/** Transactions per second of `transaction` run by `clients` concurrent workers for the benchmark's duration. */
async function rate(transaction: (index: number) => Promise<unknown>): Promise<number> {
  const { done, seconds } = await runFor(transaction);
  return done / seconds;
}

async function runFor(transaction: (index: number) => Promise<unknown>): Promise<{ done: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const deadline = Date.now() + durationSeconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) {
        await transaction(done);
        done += 1;
      }
    }),
  );
  return { done, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Entries posted and numbered per second. The ledger's housekeeping (which numbers
 * entries committed while their counter was busy, and folds balance movements)
 * runs alongside as the worker does in production, and the last pass, after the
 * last posting, is counted in the time: an entry counts once it has its number.
 */
async function servicePosting(db: Database): Promise<{ rate: number; numberedAfterwardSeconds: number }> {
  let housekeeping = true;
  const loop = (async () => {
    while (housekeeping) {
      await runLedgerHousekeeping(db);
      await sleep(1_000);
    }
  })();
  const posting = await runFor((index) => db.transaction((trx) => postEntry(trx, twoLines(index), { userId: null })));
  housekeeping = false;
  await loop;
  const started = process.hrtime.bigint();
  await runLedgerHousekeeping(db);
  const numberedAfterwardSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: posting.done / (posting.seconds + numberedAfterwardSeconds), numberedAfterwardSeconds };
}

/** pgbench's TPC-B-like transaction (scale 1), statement for statement, through knex. */
const tpcbThroughKnex = (db: Database) =>
  rate(() =>
    db.transaction(async (trx) => {
      const aid = 1 + Math.floor(Math.random() * 100_000);
      const tid = 1 + Math.floor(Math.random() * 10);
      const delta = Math.floor(Math.random() * 10_001) - 5_000;
      await trx.raw('update pgbench_accounts set abalance = abalance + ? where aid = ?', [delta, aid]);
      await trx.raw('select abalance from pgbench_accounts where aid = ?', [aid]);
      await trx.raw('update pgbench_tellers set tbalance = tbalance + ? where tid = ?', [delta, tid]);
      await trx.raw('update pgbench_branches set bbalance = bbalance + ? where bid = 1', [delta]);
      await trx.raw(
        'insert into pgbench_history (tid, bid, aid, delta, mtime) values (?, 1, ?, ?, current_timestamp)',
        [tid, aid, delta],
      );
    }),
  );

async function bulkImport(
  db: Database,
): Promise<{ entriesPerSecond: number; postingsPerSecond: number; seconds: number }> {
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < bulkEntries; offset += bulkBatchSize) {
    const size = Math.min(bulkBatchSize, bulkEntries - offset);
    await postEntriesInBulk(
      db,
      'bench',
      Array.from({ length: size }, (_, index) => twoLines(offset + index, '2027-03-01')),
      { userId: null },
    );
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { entriesPerSecond: bulkEntries / seconds, postingsPerSecond: (bulkEntries * 2) / seconds, seconds };
}

/**
 * Lets the server settle between phases: each one starts after pgbench's tables
 * are vacuumed and a checkpoint is taken, instead of paying for the autovacuum
 * and checkpoint the phase before it left due (pgbench's own runs vacuum first
 * too). The ledger's tables are left as they are: statistics taken while they
 * are empty would plan the first minutes of the load for an empty table.
 */
async function settle(server: { url: (database: string) => string }): Promise<void> {
  const db = connect(server.url('pgbench'), { poolMax: 1 });
  try {
    await db.raw('vacuum analyze');
    await db.raw('checkpoint');
  } finally {
    await db.destroy();
  }
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(): Promise<void> {
  const pgbench = pgbenchBinary();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-bench-'));
  fs.chmodSync(folder, 0o755);
  // Default durability settings: the comparison is between two workloads on the same honest server.
  const server = await startLocalPostgres({
    dataDir: path.join(folder, 'postgres'),
    port,
    extraSettings: { max_connections: '100' },
  });
  try {
    await createDatabaseIfMissing(server.url('postgres'), 'pgbench');
    await createDatabaseIfMissing(server.url('postgres'), 'milliard_bench');
    const pgbenchUrl = new URL(server.url('pgbench'));
    runPgbench(pgbench, pgbenchUrl, ['-i', '-q', '-s', '1']);
    await settle(server);
    const pgbenchOutput = runPgbench(pgbench, pgbenchUrl, [
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(durationSeconds),
      '-n',
    ]);
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pgbenchOutput)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`sortie de pgbench illisible :\n${pgbenchOutput}`);
    console.log(`(1) pgbench TPC-B-like : ${tps.toFixed(0)} transactions/s`);
    await settle(server);
    const pgbenchDb = connect(pgbenchUrl.toString(), { poolMax: clients + 2 });
    const knexTps = await tpcbThroughKnex(pgbenchDb);
    await pgbenchDb.destroy();
    console.log(`(1b) la même transaction via knex : ${knexTps.toFixed(0)} transactions/s`);

    const db = connect(server.url('milliard_bench'), { poolMax: clients + 2 });
    await migrateToLatest(db);
    await db.transaction((trx) =>
      ensureFund(trx, { id: 'bench', kind: 'endowment', name: 'Banc d’essai', siren: '900000001' }),
    );
    await settle(server);
    const afterSetup = peakRssMb();
    const { rate: serviceRate, numberedAfterwardSeconds } = await servicePosting(db);
    const afterService = peakRssMb();
    console.log(
      `(2) service postEntry : ${serviceRate.toFixed(0)} écritures/s numérotées (dernière numérotation ${(numberedAfterwardSeconds * 1000).toFixed(0)} ms, pic RSS ${afterService} Mo)`,
    );
    const bulk = await bulkImport(db);
    const afterBulk = peakRssMb();
    console.log(
      `(3) import en lot : ${bulk.entriesPerSecond.toFixed(0)} écritures/s, ${bulk.postingsPerSecond.toFixed(0)} lignes/s (${bulk.seconds.toFixed(1)} s, pic RSS ${afterBulk} Mo)`,
    );
    await runLedgerHousekeeping(db);
    const verification = await verifyLedger(db);
    await db.destroy();

    const ratio = serviceRate / tps;
    console.log(
      `ratio (2)/(1) = ${ratio.toFixed(2)} (cible ≥ 0,5) ; (2)/(1b) = ${(serviceRate / knexTps).toFixed(2)} ; import ${bulk.postingsPerSecond >= 20_000 ? '≥' : '<'} 20 000 lignes/s`,
    );
    const machine = await machineDescription(server.url('postgres'));
    const line =
      `| ${utcMinute()} | ${machine} | ${durationSeconds} s, ${clients} clients, ${bulkEntries} en lot | ${tps.toFixed(0)} | ${knexTps.toFixed(0)} | ${serviceRate.toFixed(0)} | **${ratio.toFixed(2)}** | ${(serviceRate / knexTps).toFixed(2)} | ` +
      `${bulk.postingsPerSecond.toFixed(0)} | ${afterSetup} / ${afterService} / ${afterBulk} | ${verification.ok ? 'ledger:verify sans problème' : `PROBLÈMES : ${verification.problems.length}`} |`;
    appendResult(
      '## ledger',
      '`npm run bench:ledger`. (1) pgbench TPC-B-like (échelle 1), (1b) la même transaction émise par Node via knex, (2) postEntry du service, écritures numérotées comprises, (3) import en lot. Cibles : (2)/(1) ≥ 0,5 ; (3) ≥ 20 000 lignes/s.\n\n' +
        '| date (UTC) | machine | charge | (1) pgbench tps | (1b) knex tps | (2) écritures/s | (2)/(1) | (2)/(1b) | (3) lignes/s | pic RSS Mo (début / service / lot) | contrôle |\n' +
        '|---|---|---|---|---|---|---|---|---|---|---|\n',
      line,
    );
  } finally {
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
