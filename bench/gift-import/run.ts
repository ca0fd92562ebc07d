/**
 * Gift-import benchmark: `npm run bench:gift-import`.
 *
 * In one run, on one embedded PostgreSQL:
 *   (1) baseline: after 5 s of warm-up, 8 clients record single gifts (each with
 *       its per-gift receipt, so they share the receipt counter) for 20 s, no
 *       import running;
 *   (2) the same 8 clients, the same gifts, while a 100,000-line CSV is imported
 *       as a job — queued through the service, run to its end by the import's job
 *       handler in a process of its own, as the worker runs it — until it is done.
 * Prints the import's lines/s and the single gifts' p50/p95/max wait in each
 * phase; the last line is the ratio of the p95s (target ≤ 2). The import's
 * receipts are numbered and queued for rendering; rendering them is
 * `bench:receipts`'s subject, so no PDF worker runs here.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, migrateToLatest, type Database } from '../../src/db/database';
import { startLocalPostgres } from '../../src/db/embedded-postgres';
import { seedDemo } from '../../src/demo/seed';
import { recordDonation } from '../../src/endowment/gifts';
import { importColumns, requestDonationImport } from '../../src/endowment/import';
import { createDatabaseIfMissing } from '../../src/infrastructure';
import { appendResult, freePort, machineDescription, perGiftDonors, utcMinute } from '../support';

const importLines = Number(process.env.BENCH_LINES ?? 100_000);
const baselineMs = Number(process.env.BENCH_BASELINE_MS ?? 20_000);
const clients = 8;
const donors = 100;

/** A spreadsheet as a fund's team exports it: 20,000 donors giving five times each, a line in a hundred refused. */
function giftsCsv(lines: number): Buffer {
  const rows = [importColumns.join(';')];
  for (let index = 0; index < lines; index += 1) {
    const donor = index % 20_000;
    const amount = index % 100 === 99 ? 'abc' : `${10 + (index % 90)},${String(index % 100).padStart(2, '0')}`;
    rows.push(
      `particulier;Import${donor};Camille;;;${donor} rue des Dons;75011;Paris;;import${donor}@exemple.fr;${amount};0${1 + (index % 9)}/10/2026;virement;non;BENCH-${index}`,
    );
  }
  return Buffer.from(rows.join('\n'));
}

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;

/** 8 clients recording single gifts until `until` says stop; each gift's wait in ms. */
async function singleGifts(db: Database, donorIds: string[], prefix: string, until: () => boolean): Promise<number[]> {
  const waits: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!until()) {
        const index = next++;
        const started = process.hrtime.bigint();
        await db.transaction((trx) =>
          recordDonation(
            trx,
            'dotation',
            {
              donorId: donorIds[index % donors]!,
              amount: BigInt(1_000 + index),
              receivedOn: '2026-11-02',
              method: 'transfer',
              recurring: false,
            },
            { userId: null },
            `${prefix}-${index}`,
          ),
        );
        waits.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }),
  );
  return waits.sort((a, b) => a - b);
}

const describe = (waits: number[]) =>
  `${waits.length} dons, attente p50 ${percentile(waits, 0.5).toFixed(1)} ms, p95 ${percentile(waits, 0.95).toFixed(1)} ms, max ${waits.at(-1)!.toFixed(0)} ms`;

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-bench-import-'));
  fs.chmodSync(folder, 0o755);
  const server = await startLocalPostgres({
    dataDir: path.join(folder, 'postgres'),
    port: await freePort(),
    extraSettings: { max_connections: '100' },
  });
  try {
    await createDatabaseIfMissing(server.url('postgres'), 'milliard_bench');
    const databaseUrl = server.url('milliard_bench');
    const db = connect(databaseUrl, { poolMax: clients + 2 });
    await migrateToLatest(db);
    await seedDemo(db);
    const donorIds = await perGiftDonors(db, donors);
    const treasurer = (await db('users').where('email', 'tresoriere@milliard.test').first('id')).id as string;

    // Warm-up (discarded): the first gifts pay for cold caches and compilation.
    const warmUpEnds = Date.now() + 5_000;
    await singleGifts(db, donorIds, 'chauffe', () => Date.now() > warmUpEnds);
    const baselineEnds = Date.now() + baselineMs;
    const baseline = await singleGifts(db, donorIds, 'seul', () => Date.now() > baselineEnds);
    console.log(`(1) sans import : ${describe(baseline)}`);

    const file = giftsCsv(importLines);
    const { import: queued } = await requestDonationImport(db, 'dotation', file, {
      contentType: 'text/csv; charset=utf-8',
      dryRun: false,
      userId: treasurer,
    });
    const started = process.hrtime.bigint();
    const job = spawn(
      process.execPath,
      ['--import', 'tsx', path.resolve(__dirname, 'import-job.ts'), databaseUrl, queued.id],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    let importRunning = true;
    const importDone = new Promise<void>((resolve, reject) =>
      job.once('exit', (code) => {
        importRunning = false;
        if (code === 0) resolve();
        else reject(new Error(`l’import s’est arrêté (code ${code})`));
      }),
    );
    const during = await singleGifts(db, donorIds, 'pendant', () => !importRunning);
    await importDone;
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = await db('donation_imports').where('id', queued.id).first();
    const linesPerSecond = importLines / importSeconds;
    console.log(`(2) pendant l’import : ${describe(during)}`);
    console.log(
      `import : ${importLines} lignes en ${importSeconds.toFixed(1)} s, ${linesPerSecond.toFixed(0)} lignes/s (${report.created_count} créées, ${report.refused_count} refusées)`,
    );

    const receipts = await db.raw(
      "select count(*)::int as count, max(number) as last from tax_receipts where fund_id = 'dotation' and fiscal_year = 2026",
    );
    const imported = await db('donation_import_lines')
      .where({ import_id: queued.id, outcome: 'created' })
      .whereNotNull('receipt_id')
      .count('* as count')
      .first();
    const complete =
      report.state === 'done' &&
      report.processed_lines === importLines &&
      Number(imported!.count) === report.created_count;
    const check = `${complete ? 'chaque ligne traitée, chaque don avec son reçu' : 'IMPORT INCOMPLET'} ; ${receipts.rows[0].count === receipts.rows[0].last ? 'numéros sans trou' : 'TROU DANS LES NUMÉROS'}`;
    const ratio = percentile(during, 0.95) / percentile(baseline, 0.95);
    await db.destroy();
    appendResult(
      '## gift-import',
      '`npm run bench:gift-import`. (1) 8 clients enregistrent des dons un à un (reçu par don : ils partagent le compteur des reçus), sans import ; (2) les mêmes, pendant l’import d’un CSV de 100 000 lignes comme tâche (lots de 200 lignes, chacun sa transaction) dans un processus à part. Attentes des dons un à un en ms. Cible : p95 (2) ≤ 2 × p95 (1).\n\n' +
        '| date (UTC) | machine | lignes | import lignes/s | (1) dons, p50 / p95 / max | (2) dons, p50 / p95 / max | p95 (2)/(1) | contrôle |\n|---|---|---|---|---|---|---|---|\n',
      `| ${utcMinute()} | ${await machineDescription(server.url('postgres'))} | ${importLines} | ${linesPerSecond.toFixed(0)} | ${baseline.length}, ${percentile(baseline, 0.5).toFixed(1)} / ${percentile(baseline, 0.95).toFixed(1)} / ${baseline.at(-1)!.toFixed(0)} | ${during.length}, ${percentile(during, 0.5).toFixed(1)} / ${percentile(during, 0.95).toFixed(1)} / ${during.at(-1)!.toFixed(0)} | **${ratio.toFixed(2)}** | ${check} |`,
    );
    console.log(`ratio p95 pendant l’import / p95 sans = ${ratio.toFixed(2)}`);
    if (!complete) throw new Error(check);
  } finally {
    await server.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
