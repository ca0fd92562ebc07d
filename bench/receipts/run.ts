/**
 * Receipts benchmark: `npm run bench:receipts`.
 *
 * In one run, on one embedded PostgreSQL and one local Redis:
 *   (1) end to end: N gifts recorded through the endowment service (ledger
 *       entry, gapless receipt number, outbox rows) by 8 concurrent clients,
 *       while the real job worker (`RUN=worker`, its own process) relays the
 *       outbox, renders each receipt from templates/ and stores it with its
 *       SHA-256 — timed until the N-th document is stored;
 *   (2) baseline: the same N receipts rendered by bare pdfmake calls on the same
 *       template, in one process, one after the other.
 * Prints receipts/s for both, their ratio (target ≥ 0.7) and the worker's peak
 * resident memory (target < 512 MB), and appends them to bench/RESULTS.md.
 */
import { connect, migrateToLatest } from '../../src/db/database';
import { seedDemo } from '../../src/demo/seed';
import { renderPdf } from '../../src/documents/pdf';
import { recordDonation } from '../../src/endowment/gifts';
import { taxReceipt } from '../../templates/tax-receipt';
import {
  appendResult,
  machineDescription,
  perGiftDonors,
  utcMinute,
  peakRssMbOf,
  startedWorker,
  benchServers,
} from '../support';

const receipts = Number(process.env.BENCH_RECEIPTS ?? 10_000);
const clients = 8;
const donors = 100;

async function main(): Promise<void> {
  const { folder, server, redis, databaseUrl, stop } = await benchServers('receipts');
  try {
    const db = connect(databaseUrl, { poolMax: clients + 2 });
    await migrateToLatest(db);
    await seedDemo(db);
    const donorIds = await perGiftDonors(db, donors);

    const worker = await startedWorker({
      databaseUrl,
      redisUrl: redis.url,
      queueName: 'bench-receipts',
      dataDir: folder,
    });
    const stored = async () =>
      Number((await db('documents').where('kind', 'tax-receipt').count('* as count').first())!.count) - 1; // the demo's own receipt
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < receipts) {
          const index = next++;
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
              `bench-${index}`,
            ),
          );
        }
      }),
    );
    const recordedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${receipts} dons enregistrés en ${recordedSeconds.toFixed(1)} s ; le travailleur rattrape…`);
    while ((await stored()) < receipts) await new Promise((resolve) => setTimeout(resolve, 200));
    const endToEndSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const workerPeakMb = peakRssMbOf(worker.pid!);
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    const endToEndRate = receipts / endToEndSeconds;
    console.log(
      `(1) de bout en bout : ${endToEndRate.toFixed(1)} reçus/s (${endToEndSeconds.toFixed(1)} s ; pic mémoire du travailleur ${workerPeakMb} Mo)`,
    );

    const contents = await db('tax_receipts').whereNot('reference', '2026-000001').orderBy('number').pluck('content');
    const baselineStarted = process.hrtime.bigint();
    for (const content of contents) await renderPdf(taxReceipt(content), new Date());
    const baselineSeconds = Number(process.hrtime.bigint() - baselineStarted) / 1e9;
    const baselineRate = contents.length / baselineSeconds;
    console.log(
      `(2) pdfmake seul, même gabarit : ${baselineRate.toFixed(1)} reçus/s (${baselineSeconds.toFixed(1)} s)`,
    );
    const ratio = endToEndRate / baselineRate;
    console.log(
      `ratio (1)/(2) = ${ratio.toFixed(2)} (cible ≥ 0,7) ; pic mémoire du travailleur ${workerPeakMb} Mo (cible < 512 Mo)`,
    );

    const gapless = await db.raw(
      "select count(*)::int as count, max(number) as last from tax_receipts where fund_id = 'dotation' and fiscal_year = 2026",
    );
    const check = gapless.rows[0].count === gapless.rows[0].last ? 'numéros sans trou' : 'TROU DANS LES NUMÉROS';
    await db.destroy();
    appendResult(
      '## receipts',
      '`npm run bench:receipts`. (1) dons enregistrés par le service (8 clients) → écriture → outbox → travailleur (processus à part) → PDF stocké ; (2) les mêmes reçus rendus par pdfmake seul, même gabarit, un processus. Cibles : (1)/(2) ≥ 0,7 ; pic mémoire du travailleur < 512 Mo.\n\n' +
        '| date (UTC) | machine | reçus | (1) reçus/s | (2) reçus/s | (1)/(2) | pic mémoire travailleur Mo | contrôle |\n|---|---|---|---|---|---|---|---|\n',
      `| ${utcMinute()} | ${await machineDescription(server.url('postgres'))} | ${receipts} | ${endToEndRate.toFixed(1)} | ${baselineRate.toFixed(1)} | **${ratio.toFixed(2)}** | ${workerPeakMb} | ${check} |`,
    );
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
