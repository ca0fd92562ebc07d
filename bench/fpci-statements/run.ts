/**
 * FPCI quarterly statements benchmark: `npm run bench:fpci-statements`.
 *
 * In one run, on one embedded PostgreSQL and one local Redis, a unit fund of
 * N investors (BENCH_INVESTORS, 500) and M investments (BENCH_INVESTMENTS,
 * 200) lived over Q quarters (BENCH_QUARTERS, 40: ten years) through the
 * services, the calendar of this process moved quarter by quarter: a call
 * every quarter for six years, then a distribution every quarter; the
 * investments opened, voted, signed and drawn a few each quarter, one of each
 * instrument in turn; interest, dividends, fees every quarter; some written
 * off, some sold at a gain; every investment held valued at every quarter
 * end (proposed by one person, approved by another); every quarter closed.
 * Then, for the last quarter:
 *   (0) the figures alone: every holding's capital account rolled forward and
 *       checked against the books (computeQuarter), and every investor's
 *       performance with its XIRR and the fund's (netPerformance);
 *   (1) end to end: the quarter closed (NAV, figures, identities, frozen), the
 *       report reviewed, approved and published by three other people, and the
 *       real job worker (`RUN=worker`, its own process) rendering and storing
 *       every investor's statement; timed until the last is stored;
 *   (2) baseline: the same statements (data read beforehand) rendered by bare
 *       pdfmake calls on the same template, in this process.
 * Prints and appends to bench/RESULTS.md the time of each, the worker's peak
 * memory, and the ratio of the rates (1)/(2) (target ≥ 0.7).
 */
import { addBusinessDays } from '../../src/business-days';
import { connect, migrateToLatest, type Database } from '../../src/db/database';
import { quarterEndAfter } from '../../src/day-counts';
import { seedDemo } from '../../src/demo/seed';
import { renderPdf } from '../../src/documents/pdf';
import { draftCall, takeCallStep } from '../../src/fpci/calls';
import { openClosing, subscribe, takeClosingStep } from '../../src/fpci/closings';
import { draftDistribution, takeDistributionStep } from '../../src/fpci/distributions';
import { recordExpense } from '../../src/fpci/expenses';
import { createInvestor } from '../../src/fpci/investors';
import { setRules } from '../../src/fpci/rules';
import { newInvestorBody, vehicleRulesSchema } from '../../src/fpci/schema';
import type { Principal } from '../../src/identity/roles';
import { createUser, principalOf, userIdByEmail } from '../../src/identity/service';
import { decideInCommittee } from '../../src/pathway/service';
import { requestDrawdown } from '../../src/portfolio/drawdowns';
import { decideInvestment, openInvestment, takeInvestmentStep } from '../../src/portfolio/investments';
import { endInvestment, recordReceipt } from '../../src/portfolio/returns';
import { termsSchema } from '../../src/portfolio/terms';
import { proposeValuation, takeValuationStep, valuationsDueAt } from '../../src/portfolio/valuations';
import { netPerformance } from '../../src/reporting/performance-figures';
import { closeQuarter, computeQuarter } from '../../src/reporting/quarter-close';
import { takeReportStep } from '../../src/reporting/quarters';
import { statementDocumentData } from '../../src/reporting/statement-document';
import { statementOf } from '../../src/reporting/statements';
import { todayInParis } from '../../src/time';
import { quarterlyStatement } from '../../templates/quarterly-statement';
import {
  appendResult,
  benchServers,
  machineDescription,
  peakRssMbOf,
  setBenchDay,
  startedWorker,
  utcMinute,
} from '../support';

const investors = Number(process.env.BENCH_INVESTORS ?? 500);
const investments = Number(process.env.BENCH_INVESTMENTS ?? 200);
const quarters = Number(process.env.BENCH_QUARTERS ?? 40);
const fundId = 'developpement';
const firstQuarterEnd = quarterEndAfter('2026-09-30', 1 - quarters);
const lastQuarterEnd = '2026-09-30';
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const dayAfter = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

type Team = {
  treasurer: Principal;
  admin: Principal;
  controller: Principal;
  reviewer: Principal;
  publisher: Principal;
};

async function principal(db: Database, email: string): Promise<Principal> {
  return (await principalOf(db, (await userIdByEmail(db, email))!, 'session'))!;
}

async function teamOf(db: Database): Promise<Team> {
  for (const email of ['controle@banc.test', 'revue@banc.test', 'publication@banc.test'])
    await db.transaction((trx) =>
      createUser(trx, {
        email,
        displayName: email.split('@')[0]!,
        password: 'Banc-d-essai-2026!',
        roles: [{ role: 'treasurer', scopeId: fundId }],
      }),
    );
  return {
    treasurer: await principal(db, 'tresoriere@milliard.test'),
    admin: await principal(db, 'admin@milliard.test'),
    controller: await principal(db, 'controle@banc.test'),
    reviewer: await principal(db, 'revue@banc.test'),
    publisher: await principal(db, 'publication@banc.test'),
  };
}

/** The rules, N investors of uneven A units and the team's carry units, one closing closed. */
async function fundOfInvestors(db: Database, team: Team): Promise<string[]> {
  return db.transaction(async (trx) => {
    await setRules(
      trx,
      fundId,
      {
        effectiveFrom: dayAfter(todayInParis(), -1),
        reason: 'Banc d’essai',
        rules: vehicleRulesSchema.parse({
          unitClasses: [
            { code: 'A', name: 'Parts A', holders: 'investors', nominalPerUnit: '1000.00' },
            { code: 'B', name: 'Parts B', holders: 'carry', nominalPerUnit: '1000.00' },
          ],
          subscriptionPeriodEndsOn: dayAfter(todayInParis(), 360),
          premiumSchedule: [],
          lateInterestRate: '0.05',
          noticeBusinessDays: 10,
          distributionsBeforePeriodEnd: false,
          equalisationInterestRate: null,
          carryFloorShare: '0.01',
          investorEligibility: 'open',
          ticketMin: '1000.00',
        }),
      },
      team.admin,
    );
    const closingId = await openClosing(trx, fundId, team.treasurer);
    const kyc = { status: 'verified', checkedOn: todayInParis(), expiresOn: '2040-12-31' };
    const unitsOf = (index: number) => 10 + (index % 40);
    const investorUnits = Array.from({ length: investors }, (_, index) => unitsOf(index)).reduce((a, b) => a + b, 0);
    const ids: string[] = [];
    for (let index = 0; index <= investors; index += 1) {
      const isTeam = index === investors;
      const { id } = await createInvestor(
        trx,
        fundId,
        newInvestorBody.parse({
          kind: 'individual',
          name: isTeam ? 'Équipe de gestion' : `Investisseur ${String(index + 1).padStart(4, '0')}`,
          identityDocument: `CNI ${100000 + index}`,
          kyc,
        }),
      );
      const units = isTeam ? Math.ceil(investorUnits / 99) + 1 : unitsOf(index);
      await subscribe(trx, fundId, closingId, { investorId: id, classCode: isTeam ? 'B' : 'A', units }, team.treasurer);
      ids.push(id);
    }
    await takeClosingStep(trx, fundId, closingId, { event: 'SUBMIT' }, team.treasurer);
    await takeClosingStep(trx, fundId, closingId, { event: 'APPROVE' }, team.admin);
    return ids;
  });
}

/** The file the investments are opened from: a demo file at the endowment committee, redirected to the FPCI. */
async function fpciFile(db: Database): Promise<string> {
  const atCommittee = await db('workflow_instances')
    .where({ workflow: 'application', state: 'committee' })
    .first<{ subject_id: string }>('subject_id');
  await db.transaction((trx) =>
    decideInCommittee(
      trx,
      atCommittee.subject_id,
      { type: 'REDIRECT', to: 'le fonds de développement', feedback: 'Des fonds propres conviendront.', fundId },
      null,
      'Banc d’essai',
    ),
  );
  return (await db('applications').where('redirected_from_id', atCommittee.subject_id).first<{ id: string }>('id')).id;
}

const instrumentTerms = (index: number, principal: string) => {
  const lent = {
    principal,
    dayCount: 'act/365f',
    periodMonths: 12,
    periods: 8,
    gracePeriods: 0,
    amortisation: 'bullet',
  };
  switch (index % 6) {
    case 0:
      return { instrument: 'shares', shares: 1000, pricePerShare: (Number(principal) / 1000).toFixed(2) };
    case 1:
      return { instrument: 'bonds', ...lent, yearlyRate: '0.05' };
    case 2:
      return { instrument: 'participating-loan', ...lent, yearlyRate: '0.04' };
    case 3:
      return {
        instrument: 'cooperative-shares',
        shares: 500,
        nominalPerShare: (Number(principal) / 500).toFixed(2),
        remunerationCap: '0.03',
      };
    case 4:
      return {
        instrument: 'participating-securities',
        ...lent,
        yearlyRate: '0.03',
        variableShare: '0.1',
        variableBasis: 'Résultat net',
      };
    default:
      return { instrument: 'associative-securities', ...lent, yearlyRate: '0.02' };
  }
};

type Held = { id: string; index: number; openedAt: number; principalMinor: bigint; instrument: string };

/** One investment opened, voted, signed and drawn in full, today. */
async function newInvestment(
  db: Database,
  team: Team,
  applicationId: string,
  index: number,
  quarter: number,
): Promise<Held> {
  const principalMinor = BigInt(100_000 + (index % 7) * 25_000) * 100n;
  const amount = (principalMinor / 100n).toString();
  const terms = termsSchema.parse(instrumentTerms(index, `${amount}.00`));
  const id = await db.transaction(async (trx) => {
    const opened = await openInvestment(
      trx,
      fundId,
      {
        applicationId,
        instrument: terms.instrument,
        name: `Investissement ${String(index + 1).padStart(3, '0')}`,
        amountSought: principalMinor,
      },
      team.treasurer,
    );
    await takeInvestmentStep(trx, fundId, opened, { event: 'START_DUE_DILIGENCE' }, team.treasurer);
    await takeInvestmentStep(
      trx,
      fundId,
      opened,
      { event: 'SUBMIT_TO_COMMITTEE', summary: 'Banc d’essai' },
      team.treasurer,
    );
    await decideInvestment(
      trx,
      opened,
      { type: 'COMMITTEE_APPROVED', amountMinor: principalMinor },
      null,
      'Banc d’essai',
    );
    await takeInvestmentStep(trx, fundId, opened, { event: 'SIGN_TERM_SHEET', terms }, team.treasurer);
    return opened;
  });
  await db.transaction((trx) =>
    requestDrawdown(trx, fundId, id, { number: 1, amount: principalMinor }, team.treasurer),
  );
  return { id, index, openedAt: quarter, principalMinor, instrument: terms.instrument };
}

/** What happens in a quarter, mid-quarter: a call or a distribution, new investments, income, a fee, ends. */
async function liveQuarter(db: Database, team: Team, state: { applicationId: string; held: Held[] }, quarter: number) {
  const { treasurer, admin } = team;
  if (quarter < 24) {
    const callId = await db.transaction((trx) =>
      draftCall(
        trx,
        fundId,
        {
          classShares: [
            { classCode: 'A', share: '0.03' },
            { classCode: 'B', share: '0.03' },
          ],
          purposes: [
            { purpose: 'investment', weight: '0.85' },
            { purpose: 'management-fee', weight: '0.15' },
          ],
          dueOn: addBusinessDays(todayInParis(), 10),
        },
        treasurer,
      ),
    );
    await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'APPROVE' }, admin));
    await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'ISSUE' }, treasurer));
  } else {
    const distributionId = await db.transaction((trx) =>
      draftDistribution(
        trx,
        fundId,
        { classCodes: ['A'], amountMinor: 150_000_00n, incomeMinor: 20_000_00n },
        treasurer,
      ),
    );
    await db.transaction((trx) => takeDistributionStep(trx, fundId, distributionId, { event: 'APPROVE' }, admin));
    await db.transaction((trx) => takeDistributionStep(trx, fundId, distributionId, { event: 'BOOK' }, treasurer));
  }
  const perQuarter = Math.ceil(investments / quarters);
  for (let index = quarter * perQuarter; index < Math.min(investments, (quarter + 1) * perQuarter); index += 1)
    state.held.push(await newInvestment(db, team, state.applicationId, index, quarter));
  await db.transaction(async (trx) => {
    for (const one of state.held) {
      if (one.openedAt === quarter) continue;
      const shares = one.instrument === 'shares' || one.instrument === 'cooperative-shares';
      const kind = shares ? 'dividend' : 'interest';
      await recordReceipt(
        trx,
        fundId,
        one.id,
        { kind, amount: one.principalMinor / 100n, receivedOn: todayInParis(), idempotencyKey: `q${quarter}` },
        treasurer,
      );
    }
    await recordExpense(
      trx,
      fundId,
      {
        kind: 'management-fee',
        amount: 90_000_00n,
        incurredOn: todayInParis(),
        label: `T${quarter}`,
        settlement: 'payable',
        idempotencyKey: `fee-${quarter}`,
      },
      treasurer,
    );
  });
  // Some end: one in ten written off after three years, one in ten sold at a gain after four.
  for (const one of [...state.held]) {
    const age = quarter - one.openedAt;
    const end =
      one.index % 10 === 0 && age === 12
        ? ({ how: 'write-off', reason: 'Cessation d’activité' } as const)
        : one.index % 10 === 5 && age === 16
          ? ({ how: 'exit', price: (one.principalMinor * 3n) / 2n, soldOn: todayInParis() } as const)
          : undefined;
    if (!end) continue;
    await db.transaction((trx) => endInvestment(trx, fundId, one.id, end, treasurer));
    state.held.splice(state.held.indexOf(one), 1);
  }
}

/** Every investment due a valuation at the quarter end valued by the treasurer and approved by the controller. */
async function valueQuarter(db: Database, team: Team, quarterEnd: string, quarter: number) {
  const due = await valuationsDueAt(db, fundId, quarterEnd);
  for (const one of due) {
    const cost = await db('investment_drawdowns')
      .where('investment_id', one.id)
      .first<{ amount_minor: bigint }>('amount_minor');
    const valueMinor = (cost.amount_minor * BigInt(95 + ((quarter + one.name.length) % 15))) / 100n;
    await db.transaction(async (trx) => {
      const valuationId = await proposeValuation(
        trx,
        fundId,
        one.id,
        {
          measuredOn: quarterEnd,
          technique: 'discounted-cash-flows',
          value: valueMinor,
          inputs: [{ name: 'Taux d’actualisation', value: '6 %' }],
          calibrationNote: 'Calibrée sur le prix d’entrée.',
        },
        team.treasurer,
      );
      await takeValuationStep(trx, fundId, valuationId, { event: 'APPROVE' }, team.controller);
    });
  }
}

async function history(db: Database, team: Team): Promise<void> {
  setBenchDay(dayAfter(quarterEndAfter(firstQuarterEnd, -1), 3));
  await fundOfInvestors(db, team);
  const state = { applicationId: await fpciFile(db), held: [] as Held[] };
  for (let quarter = 0; quarter < quarters; quarter += 1) {
    const quarterEnd = quarterEndAfter(firstQuarterEnd, quarter);
    setBenchDay(dayAfter(quarterEnd, -40));
    await liveQuarter(db, team, state, quarter);
    setBenchDay(dayAfter(quarterEnd, 6));
    await valueQuarter(db, team, quarterEnd, quarter);
    if (quarterEnd !== lastQuarterEnd)
      await db.transaction((trx) => closeQuarter(trx, fundId, quarterEnd, team.treasurer));
    if (quarter % 4 === 3) console.log(`… ${quarterEnd} : ${state.held.length} investissements en portefeuille`);
  }
  // The notices of ten years of calls and distributions are not what is measured: not rendered.
  await db('outbox').del();
}

async function main(): Promise<void> {
  const { folder, server, redis, databaseUrl, stop } = await benchServers('fpci-statements');
  try {
    const db = connect(databaseUrl, { poolMax: 6 });
    await migrateToLatest(db);
    await seedDemo(db);
    const team = await teamOf(db);
    const built = process.hrtime.bigint();
    await history(db, team);
    console.log(`Historique de ${quarters} trimestres construit en ${seconds(built).toFixed(0)} s.`);

    const figuresStarted = process.hrtime.bigint();
    const computation = await computeQuarter(db, fundId, lastQuarterEnd);
    const rollForwardSeconds = seconds(figuresStarted);
    if (computation.figures.problems.length > 0) throw new Error(computation.figures.problems.join(' ; '));

    const worker = await startedWorker({
      databaseUrl,
      redisUrl: redis.url,
      queueName: 'bench-fpci-statements',
      dataDir: folder,
    });
    const stored = async () =>
      Number((await db('documents').where('kind', 'quarterly-statement').count('* as count').first())!.count);
    const started = process.hrtime.bigint();
    await db.transaction((trx) => closeQuarter(trx, fundId, lastQuarterEnd, team.treasurer));
    for (const [event, who] of [
      ['REVIEW', team.reviewer],
      ['APPROVE', team.controller],
      ['PUBLISH', team.publisher],
    ] as const)
      await db.transaction((trx) => takeReportStep(trx, fundId, lastQuarterEnd, event, who));
    const count = investors + 1;
    while ((await stored()) < count) await new Promise((resolve) => setTimeout(resolve, 200));
    const endToEndSeconds = seconds(started);
    const workerPeakMb = peakRssMbOf(worker.pid!);
    worker.kill('SIGTERM');
    await new Promise((resolve) => worker.once('exit', resolve));
    console.log(
      `(1) de bout en bout : clôture et ${count} relevés en ${endToEndSeconds.toFixed(1)} s (pic mémoire du travailleur ${workerPeakMb} Mo)`,
    );

    const performanceStarted = process.hrtime.bigint();
    const performance = await netPerformance(db, fundId, lastQuarterEnd);
    const performanceSeconds = seconds(performanceStarted);
    const figuresSeconds = rollForwardSeconds + performanceSeconds;
    console.log(
      `(0) chiffres seuls : comptes de capital ${rollForwardSeconds.toFixed(2)} s + performances (${performance.investors.size} TRI et celui du fonds) ${performanceSeconds.toFixed(2)} s`,
    );

    const definitions = [];
    for (const investorId of performance.investors.keys())
      definitions.push(
        quarterlyStatement(await statementDocumentData(await statementOf(db, fundId, lastQuarterEnd, investorId))),
      );
    const baselineStarted = process.hrtime.bigint();
    for (const definition of definitions) await renderPdf(definition, new Date());
    const baselineSeconds = seconds(baselineStarted);
    console.log(`(2) pdfmake seul, même gabarit : ${definitions.length} relevés en ${baselineSeconds.toFixed(1)} s`);

    const flows = Number((await db('capital_call_items').count('* as count').first())!.count);
    const ratio = baselineSeconds / endToEndSeconds;
    await db.destroy();
    appendResult(
      '## fpci-statements',
      '`npm run bench:fpci-statements`. Un fonds de N porteurs et M investissements sur Q trimestres (appels puis distributions chaque trimestre, revenus, frais, valorisations, sorties) bâti par les services ; pour le dernier trimestre : (0) les chiffres seuls — comptes de capital de chaque porteur vérifiés contre les livres, puis performance de chacun (TRI par XIRR) et du fonds ; (1) de bout en bout — clôture (valeurs liquidatives, identités, gel), rapport revu, approuvé, publié, et le travailleur (processus à part) qui rend et stocke chaque relevé ; (2) les mêmes relevés rendus par pdfmake seul, même gabarit, données lues d’avance. Cible : (2)/(1) en temps, soit (1)/(2) en débit, ≥ 0,7.\n\n' +
        '| date (UTC) | machine | porteurs | investissements | trimestres | lignes d’appel | (0) comptes s | (0) performances s | (1) s | (2) s | (1)/(2) | pic mémoire travailleur Mo |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n',
      `| ${utcMinute()} | ${await machineDescription(server.url('postgres'))} | ${count} | ${investments} | ${quarters} | ${flows} | ${rollForwardSeconds.toFixed(2)} | ${performanceSeconds.toFixed(2)} | ${endToEndSeconds.toFixed(1)} | ${baselineSeconds.toFixed(1)} | **${ratio.toFixed(2)}** | ${workerPeakMb} |`,
    );
    console.log(
      `chiffres de tous les porteurs : ${figuresSeconds.toFixed(2)} s, soit ${((figuresSeconds / count) * 100).toFixed(3)} s pour 100 porteurs`,
    );
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
