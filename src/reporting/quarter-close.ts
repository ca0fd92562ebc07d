import type { Database, Transaction } from '../db/database';
import { quarterEndAfter, quarterStartOf } from '../day-counts';
import { ConflictError, RuleViolationError } from '../errors';
import { actorOn } from '../fpci/access';
import { holdingsInQuarter } from '../fpci/capital-accounts';
import { assertUnitFund } from '../fpci/rules';
import type { Principal } from '../identity/roles';
import { closeMonthsOf } from '../ledger/periods';
import { movementsBetween, netAssetsAt } from '../ledger/queries';
import { valuationsDueAt } from '../portfolio/valuations';
import { formatFrenchDay, todayInParis } from '../time';
import { startWorkflow } from '../workflow-runtime';
import { quarterlyReportWorkflow } from '../../workflows/quarterly-report.machine';
import { quarterFigures, type QuarterFigures } from './capital-account';
import { fundLinesFrom } from './fund-lines';
import { reportingMessages } from './messages';

/**
 * A unit fund's quarter close: once every investment held at the quarter end
 * has its approved valuation, the capital accounts of every holding are
 * rolled forward from the last quarter closed, checked against the books
 * (identities to the cent), and frozen with each class's NAV per unit; the
 * quarter's months close in the ledger so that nothing changes under them;
 * the quarterly report starts as a draft. Quarters close in order.
 */
export const reportSubject = (closeId: string) => ({ type: 'quarter-close', id: closeId });

type CloseRow = {
  id: string;
  fund_id: string;
  quarter_end: string;
  beginning_net_assets_minor: bigint;
  net_assets_minor: bigint;
  closed_by: string;
  closed_at: Date;
};

export async function latestClose(db: Database | Transaction, fundId: string): Promise<CloseRow | undefined> {
  return db('quarter_closes').where('fund_id', fundId).orderBy('quarter_end', 'desc').first<CloseRow | undefined>();
}

export async function closeAt(db: Database | Transaction, fundId: string, quarterEnd: string) {
  return db('quarter_closes').where({ fund_id: fundId, quarter_end: quarterEnd }).first<CloseRow | undefined>();
}

export type QuarterComputation = {
  quarterEnd: string;
  startsOn: string;
  previous: CloseRow | undefined;
  missingValuations: string[];
  figures: QuarterFigures;
  /** The net assets the quarter begins with: the last close's, or the books' on the eve of the first. */
  beginningNetAssetsMinor: bigint;
  investorNames: Map<string, string>;
};

/** The quarter's figures as they would be frozen now, with what stands in the way of its close. */
export async function computeQuarter(
  db: Database | Transaction,
  fundId: string,
  quarterEnd: string,
): Promise<QuarterComputation> {
  const startsOn = quarterStartOf(quarterEnd);
  const previous = await latestClose(db, fundId);
  // One after the other: inside a transaction, a connection runs one query at a time.
  const due = await valuationsDueAt(db, fundId, quarterEnd);
  const holdings = await holdingsInQuarter(db, fundId, { startsOn, endsOn: quarterEnd });
  const movements = await movementsBetween(db, fundId, startsOn, quarterEnd);
  const endingMinor = await netAssetsAt(db, fundId, quarterEnd);
  const beginnings = new Map<string, bigint>();
  if (previous) {
    const rows = await db('quarter_positions')
      .where('close_id', previous.id)
      .select<{ investor_id: string; class_code: string; ending_minor: bigint }[]>(
        'investor_id',
        'class_code',
        'ending_minor',
      );
    for (const row of rows) beginnings.set(`${row.investor_id}|${row.class_code}`, row.ending_minor);
  }
  const beginningNetAssetsMinor = previous
    ? previous.net_assets_minor
    : await netAssetsAt(db, fundId, dayBefore(startsOn));
  const figures = quarterFigures(
    holdings.map((holding) => ({
      ...holding,
      beginningMinor: beginnings.get(`${holding.investorId}|${holding.classCode}`) ?? 0n,
    })),
    fundLinesFrom(movements),
    { beginningMinor: beginningNetAssetsMinor, endingMinor },
  );
  return {
    quarterEnd,
    startsOn,
    previous,
    missingValuations: due.filter((one) => one.valuation === null).map((one) => one.name),
    figures,
    beginningNetAssetsMinor,
    investorNames: new Map(holdings.map((holding) => [holding.investorId, holding.investorName])),
  };
}

const dayBefore = (isoDate: string) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** What refuses a quarter's close, in the order a person would mend it. */
function assertClosable(computation: QuarterComputation, today: string): void {
  const { quarterEnd, previous, startsOn } = computation;
  const shown = formatFrenchDay(quarterEnd);
  if (quarterEnd >= today)
    throw new RuleViolationError('reporting/quarter-not-over', reportingMessages.quarterNotOver(shown));
  if (previous && previous.quarter_end >= quarterEnd) throw new ConflictError(reportingMessages.quarterClosed(shown));
  const expectedPrevious = quarterEndAfter(quarterEnd, -1);
  if (previous && previous.quarter_end !== expectedPrevious)
    throw new RuleViolationError(
      'reporting/previous-quarter-open',
      reportingMessages.previousQuarterOpen(formatFrenchDay(quarterEndAfter(previous.quarter_end, 1))),
    );
  if (!previous && computation.beginningNetAssetsMinor !== 0n)
    throw new RuleViolationError(
      'reporting/activity-before',
      reportingMessages.activityBefore(formatFrenchDay(startsOn)),
    );
  if (computation.missingValuations.length > 0)
    throw new RuleViolationError(
      'reporting/valuations-missing',
      reportingMessages.valuationsMissing(computation.missingValuations),
    );
  if (computation.figures.problems.length > 0)
    throw new RuleViolationError(
      'reporting/identities',
      reportingMessages.identitiesBroken(computation.figures.problems),
    );
}

export async function closeQuarter(
  trx: Transaction,
  fundId: string,
  quarterEnd: string,
  principal: Principal,
): Promise<string> {
  const actor = actorOn(principal, fundId);
  await assertUnitFund(trx, fundId);
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`quarter-close:${fundId}`]);
  const computation = await computeQuarter(trx, fundId, quarterEnd);
  assertClosable(computation, todayInParis());
  const { figures } = computation;
  const [close] = await trx('quarter_closes')
    .insert({
      fund_id: fundId,
      quarter_end: quarterEnd,
      beginning_net_assets_minor: figures.fund.beginningMinor,
      net_assets_minor: figures.fund.endingMinor,
      closed_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  await storeFigures(trx, close!.id, figures);
  const reason = reportingMessages.closedReason(formatFrenchDay(quarterEnd));
  await closeMonthsOf(trx, fundId, { startsOn: computation.startsOn, endsOn: quarterEnd }, reason, {
    userId: principal.userId,
  });
  await startWorkflow(
    trx,
    quarterlyReportWorkflow,
    reportSubject(close!.id),
    { draftedBy: principal.userId },
    actor,
    reason,
  );
  return close!.id;
}

async function storeFigures(trx: Transaction, closeId: string, figures: QuarterFigures): Promise<void> {
  const positions = figures.positions.map((position) => ({
    close_id: closeId,
    investor_id: position.investorId,
    class_code: position.classCode,
    units: position.units,
    commitment_minor: position.commitmentMinor,
    beginning_minor: position.beginningMinor,
    contributions_minor: position.lines.contributions,
    distributions_minor: position.lines.distributions,
    management_fees_minor: position.lines.managementFees,
    fee_offsets_minor: position.lines.feeOffsets,
    fund_expenses_minor: position.lines.fundExpenses,
    internal_chargebacks_minor: position.lines.internalChargebacks,
    income_minor: position.lines.income,
    realised_gains_minor: position.lines.realisedGains,
    unrealised_gains_minor: position.lines.unrealisedGains,
    other_minor: position.lines.other,
    ending_minor: position.endingMinor,
    unfunded_beginning_minor: position.unfundedBeginningMinor,
    unfunded_ending_minor: position.unfundedEndingMinor,
  }));
  // In slices: a fund of many investors stays under the protocol's parameter limit.
  for (let start = 0; start < positions.length; start += 1000)
    await trx('quarter_positions').insert(positions.slice(start, start + 1000));
  if (figures.classes.length > 0)
    await trx('quarter_class_navs').insert(
      figures.classes.map((nav) => ({
        close_id: closeId,
        class_code: nav.classCode,
        units: nav.units,
        nav_minor: nav.navMinor,
        nav_per_unit: nav.navPerUnit,
      })),
    );
}
