/**
 * FPCI capital-call benchmark: `npm run bench:fpci-calls`.
 *
 * In one run, on one embedded PostgreSQL and one local Redis, a unit fund of
 * N investors (BENCH_INVESTORS, 500) who subscribed A units at one closing:
 *   (1) end to end: one capital call drafted, approved by a second person and
 *       issued through the FPCI's services — each investor's amount allocated to
 *       the cent by purpose, the call's entry posted, one notice per investor
 *       queued — while the real job worker (`RUN=worker`, its own process)
 *       relays the outbox, renders each notice from templates/ and stores it
 *       with its SHA-256; timed until the N-th notice is stored;
 *   (2) baseline: the same N notices (the same data, read beforehand) rendered
 *       by bare pdfmake calls on the same template, in this process.
 * Prints the time of each, the allocation and posting step alone (drafting,
 * approving and issuing, without the rendering), the worker's peak memory and
 * the ratio of the rates (1)/(2) (target ≥ 0.7), and appends them to
 * bench/RESULTS.md.
 */
import { addBusinessDays } from '../../src/business-days';
import { connect, migrateToLatest, type Database } from '../../src/db/database';
import { seedDemo } from '../../src/demo/seed';
import { renderPdf } from '../../src/documents/pdf';
import { draftCall, takeCallStep } from '../../src/fpci/calls';
import { openClosing, subscribe, takeClosingStep } from '../../src/fpci/closings';
import { createInvestor } from '../../src/fpci/investors';
import { capitalCallNoticeDocument } from '../../src/fpci/notices';
import { setRules } from '../../src/fpci/rules';
import { newInvestorBody, vehicleRulesSchema } from '../../src/fpci/schema';
import { principalOf, userIdByEmail } from '../../src/identity/service';
import type { Principal } from '../../src/identity/roles';
import { accountBalance } from '../../src/ledger/queries';
import { todayInParis } from '../../src/time';
import { appendResult, machineDescription, utcMinute, peakRssMbOf, startedWorker, benchServers } from '../support';

const investors = Number(process.env.BENCH_INVESTORS ?? 500);
const fundId = 'developpement';
const today = todayInParis();
const dayOffset = (days: number) => {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function principal(db: Database, email: string): Promise<Principal> {
  return (await principalOf(db, (await userIdByEmail(db, email))!, 'session'))!;
}

/** The fund's rules, N investors of 1 000 A units each, the team's carry units, one closing closed. */
async function fundOfInvestors(db: Database, treasurer: Principal, admin: Principal): Promise<void> {
  await db.transaction(async (trx) => {
    await setRules(
      trx,
      fundId,
      {
        effectiveFrom: dayOffset(-30),
        reason: 'Banc d’essai',
        rules: vehicleRulesSchema.parse({
          unitClasses: [
            { code: 'A', name: 'Parts A', holders: 'investors', nominalPerUnit: '1000.00' },
            { code: 'B', name: 'Parts B', holders: 'carry', nominalPerUnit: '1000.00' },
          ],
          subscriptionPeriodEndsOn: dayOffset(300),
          premiumSchedule: [{ from: dayOffset(-30), rate: '0' }],
          lateInterestRate: '0.05',
          noticeBusinessDays: 10,
          distributionsBeforePeriodEnd: false,
          equalisationInterestRate: null,
          carryFloorShare: '0.01',
          investorEligibility: 'open',
          ticketMin: '1000.00',
        }),
      },
      admin,
    );
    const closingId = await openClosing(trx, fundId, treasurer);
    const kyc = { status: 'verified', checkedOn: dayOffset(-10), expiresOn: dayOffset(355) };
    // Units of uneven sizes, so that the allocation has remainders to place; the team's carry units above 1 %.
    const unitsOf = (index: number) => 1 + (index % 25);
    const investorUnits = Array.from({ length: investors }, (_, index) => unitsOf(index)).reduce((a, b) => a + b, 0);
    for (let index = 0; index <= investors; index += 1) {
      const team = index === investors;
      const { id } = await createInvestor(
        trx,
        fundId,
        newInvestorBody.parse({
          kind: 'individual',
          name: team ? 'Équipe de gestion' : `Investisseur ${String(index + 1).padStart(4, '0')}`,
          identityDocument: `CNI ${100000 + index}`,
          addressLine: `${index + 1} rue du Banc`,
          postalCode: '75011',
          city: 'Paris',
          kyc,
        }),
      );
      const units = team ? Math.ceil(investorUnits / 99) + 1 : unitsOf(index);
      await subscribe(trx, fundId, closingId, { investorId: id, classCode: team ? 'B' : 'A', units }, treasurer);
    }
    await takeClosingStep(trx, fundId, closingId, { event: 'SUBMIT' }, treasurer);
    await takeClosingStep(trx, fundId, closingId, { event: 'APPROVE' }, admin);
  });
}

async function main(): Promise<void> {
  const { folder, server, redis, databaseUrl, stop } = await benchServers('fpci');
  try {
    const db = connect(databaseUrl, { poolMax: 6 });
    await migrateToLatest(db);
    await seedDemo(db);
    const treasurer = await principal(db, 'tresoriere@milliard.test');
    const admin = await principal(db, 'admin@milliard.test');
    await fundOfInvestors(db, treasurer, admin);
    console.log(`Fonds de ${investors} porteurs (et l’équipe) souscrit ; appel de fonds…`);

    const worker = await startedWorker({
      databaseUrl,
      redisUrl: redis.url,
      queueName: 'bench-fpci-calls',
      dataDir: folder,
    });
    const notices = async () =>
      Number((await db('documents').where('kind', 'capital-call-notice').count('* as count').first())!.count);

    const started = process.hrtime.bigint();
    const callId = await db.transaction((trx) =>
      draftCall(
        trx,
        fundId,
        {
          classShares: [
            { classCode: 'A', share: '0.137' },
            { classCode: 'B', share: '0.137' },
          ],
          purposes: [
            { purpose: 'investment', weight: '0.8' },
            { purpose: 'management-fee', weight: '0.15' },
            { purpose: 'fund-expenses', weight: '0.05' },
          ],
          dueOn: addBusinessDays(today, 10),
        },
        treasurer,
      ),
    );
    await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'APPROVE' }, admin));
    await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'ISSUE' }, treasurer));
    const allocationSeconds = seconds(started);
    console.log(`Allocation, écritures et avis mis en file : ${allocationSeconds.toFixed(2)} s ; le travailleur rend…`);
    while ((await notices()) < investors + 1) await new Promise((resolve) => setTimeout(resolve, 200));
    const endToEndSeconds = seconds(started);
    const workerPeakMb = peakRssMbOf(worker.pid!);
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    const count = investors + 1;
    console.log(
      `(1) de bout en bout : ${count} avis en ${endToEndSeconds.toFixed(1)} s (pic mémoire du travailleur ${workerPeakMb} Mo)`,
    );

    // The same notices' data, read beforehand: the baseline times pdfmake alone.
    const subjects = await db('documents')
      .where('kind', 'capital-call-notice')
      .orderBy('subject_id')
      .pluck<string[]>('subject_id');
    const definitions = [];
    for (const subjectId of subjects)
      definitions.push((await capitalCallNoticeDocument.build(db, subjectId, new Date())).definition);
    const baselineStarted = process.hrtime.bigint();
    for (const definition of definitions) await renderPdf(definition, new Date());
    const baselineSeconds = seconds(baselineStarted);
    console.log(`(2) pdfmake seul, même gabarit : ${count} avis en ${baselineSeconds.toFixed(1)} s`);

    // Nothing is paid yet: what investors owe on calls (4562) is this call, to the cent.
    const called = await db('capital_call_items')
      .where('call_id', callId)
      .sum<{ total: string }>('amount_minor as total')
      .first();
    const owed = await accountBalance(db, fundId, '4562');
    const check = BigInt(called!.total) === owed ? 'appelé = écrit au centime' : 'ÉCART ENTRE APPEL ET ÉCRITURE';
    const ratio = baselineSeconds / endToEndSeconds;
    await db.destroy();
    appendResult(
      '## fpci-calls',
      '`npm run bench:fpci-calls`. Un fonds de N porteurs : (1) un appel de fonds préparé, approuvé par une seconde personne et émis par les services (allocation au centime par objet, écriture, un avis par porteur en file) pendant que le travailleur (processus à part) rend et stocke chaque avis ; (2) les mêmes avis rendus par pdfmake seul, même gabarit, données lues d’avance. Cible : (2)/(1) en temps, soit (1)/(2) en débit, ≥ 0,7.\n\n' +
        '| date (UTC) | machine | avis | allocation et écritures s | (1) s | (2) s | (1)/(2) | pic mémoire travailleur Mo | contrôle |\n|---|---|---|---|---|---|---|---|---|\n',
      `| ${utcMinute()} | ${await machineDescription(server.url('postgres'))} | ${count} | ${allocationSeconds.toFixed(2)} | ${endToEndSeconds.toFixed(1)} | ${baselineSeconds.toFixed(1)} | **${ratio.toFixed(2)}** | ${workerPeakMb} | ${check} |`,
    );
    console.log(`pic mémoire du travailleur ${workerPeakMb} Mo ; ${check}`);
    console.log(`ratio (1)/(2) = ${ratio.toFixed(2)}`);
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
