import type { Database, Transaction } from '../db/database';
import { documentIdsByKey, documentRequest } from '../documents/service';
import { NotFoundError, RuleViolationError } from '../errors';
import { actorOn } from '../fpci/access';
import { contactsOfInvestors, investorNames, investorsOfContact } from '../fpci/investors';
import { assertUnitFund } from '../fpci/rules';
import type { Principal } from '../identity/roles';
import { enqueueAll } from '../jobs/outbox';
import { getFund } from '../ledger/queries';
import { amount } from '../ledger/views';
import { notify } from '../notifications/service';
import { quarterEndAfter } from '../day-counts';
import { formatFrenchDay, todayInParis } from '../time';
import { findWorkflowIfAny, lockWorkflow, sendWorkflowEvent, workflowHistory } from '../workflow-runtime';
import {
  earlierHands,
  quarterlyReportWorkflow,
  type QuarterlyReportContext,
} from '../../workflows/quarterly-report.machine';
import { lineNames, type Lines, type Position, type QuarterFigures } from './capital-account';
import { reportingMessages } from './messages';
import { grossPerformance, netPerformance, type Performance } from './performance-figures';
import { closeAt, computeQuarter, reportSubject } from './quarter-close';
import { statementKey, statementKind, statementSubject } from './statement-document';
import { statementOf, type Column } from './statements';

/**
 * A quarter as the fund's team reads it — before its close, what stands in
 * the way (valuations missing, identities that do not hold) and the figures
 * as they would be frozen; after, the frozen figures, the report's step and
 * history, each investor's statement — and the report's steps to publishing.
 */
const linesView = (lines: Lines) => Object.fromEntries(lineNames.map((name) => [name, amount(lines[name])]));

function positionView(position: Position, names: ReadonlyMap<string, string>) {
  return {
    investorId: position.investorId,
    investorName: names.get(position.investorId) ?? '',
    classCode: position.classCode,
    units: position.units,
    commitment: amount(position.commitmentMinor),
    beginning: amount(position.beginningMinor),
    lines: linesView(position.lines),
    ending: amount(position.endingMinor),
    unfundedEnding: amount(position.unfundedEndingMinor),
  };
}

function figuresView(figures: QuarterFigures, names: ReadonlyMap<string, string>) {
  return {
    fund: {
      beginning: amount(figures.fund.beginningMinor),
      lines: linesView(figures.fund.lines),
      ending: amount(figures.fund.endingMinor),
    },
    classes: figures.classes.map((nav) => ({
      classCode: nav.classCode,
      units: nav.units,
      nav: amount(nav.navMinor),
      navPerUnit: nav.navPerUnit,
    })),
    positions: figures.positions.map((position) => positionView(position, names)),
  };
}

/** The frozen figures of a closed quarter, read back in the shape they were computed in. */
async function frozenFigures(db: Database, closeId: string) {
  const unordered = await db('quarter_positions')
    .where('close_id', closeId)
    .select<(Record<string, bigint> & { investor_id: string; class_code: string; units: number })[]>('*');
  const names = await investorNames(db, [...new Set(unordered.map((row) => row.investor_id))]);
  const rows = unordered.sort(
    (left, right) =>
      names.get(left.investor_id)!.localeCompare(names.get(right.investor_id)!) ||
      left.investor_id.localeCompare(right.investor_id) ||
      left.class_code.localeCompare(right.class_code),
  );
  const classes = await db('quarter_class_navs')
    .where('close_id', closeId)
    .orderBy('class_code')
    .select<{ class_code: string; units: number; nav_minor: bigint; nav_per_unit: string }[]>(
      'class_code',
      'units',
      'nav_minor',
      db.raw('nav_per_unit::text as nav_per_unit'),
    );
  const snake = (name: string) => `${name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)}_minor`;
  const positions: Position[] = rows.map((row) => ({
    investorId: row.investor_id,
    classCode: row.class_code,
    units: row.units,
    commitmentMinor: row.commitment_minor!,
    beginningMinor: row.beginning_minor!,
    lines: Object.fromEntries(lineNames.map((name) => [name, row[snake(name)]!])) as Lines,
    endingMinor: row.ending_minor!,
    unfundedBeginningMinor: row.unfunded_beginning_minor!,
    unfundedEndingMinor: row.unfunded_ending_minor!,
  }));
  const sum = (pick: (position: Position) => bigint) => positions.reduce((total, one) => total + pick(one), 0n);
  const fundLines = Object.fromEntries(
    lineNames.map((name) => [name, sum((position) => position.lines[name])]),
  ) as Lines;
  const figures: QuarterFigures = {
    positions,
    fund: {
      beginningMinor: sum((one) => one.beginningMinor),
      lines: fundLines,
      endingMinor: sum((one) => one.endingMinor),
    },
    classes: classes.map((nav) => ({
      classCode: nav.class_code,
      units: nav.units,
      navMinor: nav.nav_minor,
      navPerUnit: nav.nav_per_unit,
    })),
    problems: [],
  };
  return { figures, names };
}

export async function quarterView(db: Database, fundId: string, quarterEnd: string, principal: Principal) {
  actorOn(principal, fundId);
  await assertUnitFund(db, fundId);
  const close = await closeAt(db, fundId, quarterEnd);
  if (!close) {
    const computation = await computeQuarter(db, fundId, quarterEnd);
    return {
      fundId,
      quarterEnd,
      closed: false,
      closedAt: null,
      report: null,
      missingValuations: computation.missingValuations,
      problems: computation.figures.problems,
      ...figuresView(computation.figures, computation.investorNames),
      statements: [],
      performance: null,
    };
  }
  const { figures, names } = await frozenFigures(db, close.id);
  const instance = await findWorkflowIfAny<QuarterlyReportContext>(db, 'quarterly-report', reportSubject(close.id));
  const history = instance ? await workflowHistory(db, instance.id) : [];
  const investorIds = [...names.keys()];
  const documents = await documentIdsByKey(
    db,
    investorIds.map((investorId) => statementKey(close.id, investorId)),
  );
  return {
    fundId,
    quarterEnd,
    closed: true,
    closedAt: close.closed_at,
    report: instance && {
      state: instance.state,
      youTookAStep: earlierHands(instance.context).includes(principal.userId),
      history: history.map((one) => ({
        event: one.event,
        toState: one.toState,
        reason: one.reason,
        at: one.occurredAt,
      })),
    },
    missingValuations: [],
    problems: [],
    ...figuresView(figures, names),
    statements: investorIds.map((investorId) => ({
      investorId,
      investorName: names.get(investorId)!,
      documentId: documents.get(statementKey(close.id, investorId)) ?? null,
    })),
    performance: await performanceView(db, fundId, quarterEnd, names),
  };
}

const performanceFields = (figures: Performance) => ({
  paidIn: amount(figures.paidInMinor),
  distributed: amount(figures.distributedMinor),
  nav: amount(figures.navMinor),
  dpi: figures.dpi,
  rvpi: figures.rvpi,
  tvpi: figures.tvpi,
  irr: figures.irr,
});

/** Since inception at a closed quarter: each investor's figures, the fund's (net) and the portfolio's (gross). */
async function performanceView(db: Database, fundId: string, quarterEnd: string, names: ReadonlyMap<string, string>) {
  const net = await netPerformance(db, fundId, quarterEnd);
  const gross = await grossPerformance(db, fundId, quarterEnd);
  return {
    fund: performanceFields(net.fund),
    gross: { irr: gross.irr, moic: gross.moic },
    investors: [...names.keys()].map((investorId) => ({
      investorId,
      investorName: names.get(investorId)!,
      ...performanceFields(net.investors.get(investorId)!),
    })),
  };
}

/** The quarters closed, the latest first, with their net assets, and the next one to close. */
export async function quarterCloses(db: Database, fundId: string, principal: Principal) {
  actorOn(principal, fundId);
  const closes = await db('quarter_closes')
    .where('fund_id', fundId)
    .orderBy('quarter_end', 'desc')
    .select<{ quarter_end: string; net_assets_minor: bigint }[]>(
      db.raw('quarter_end::text as quarter_end'),
      'net_assets_minor',
    );
  const latest = closes[0]?.quarter_end;
  return {
    next: latest ? quarterEndAfter(latest, 1) : quarterEndAfter(todayInParis(), -1),
    closes: closes.map((close) => ({ quarterEnd: close.quarter_end, netAssets: amount(close.net_assets_minor) })),
  };
}

/** Reviewed, approved, published — each by someone who took no earlier step; published, the statements go out. */
export async function takeReportStep(
  trx: Transaction,
  fundId: string,
  quarterEnd: string,
  event: 'REVIEW' | 'APPROVE' | 'PUBLISH',
  principal: Principal,
): Promise<void> {
  const actor = actorOn(principal, fundId);
  const close = await closeAt(trx, fundId, quarterEnd);
  if (!close) throw new NotFoundError(reportingMessages.quarterNotClosed(formatFrenchDay(quarterEnd)));
  const instance = await lockWorkflow<QuarterlyReportContext>(trx, 'quarterly-report', reportSubject(close.id));
  if (earlierHands(instance.context).includes(principal.userId))
    throw new RuleViolationError('reporting/four-eyes', reportingMessages.reportStepBySameHands);
  await sendWorkflowEvent(trx, quarterlyReportWorkflow, instance, { type: event, by: principal.userId }, actor);
  if (event === 'PUBLISH') await publishStatements(trx, fundId, close.id, quarterEnd);
}

/** One statement per investor, rendered by the worker; its contacts told, in the app and by e-mail. */
async function publishStatements(trx: Transaction, fundId: string, closeId: string, quarterEnd: string) {
  const investorIds = await trx('quarter_positions')
    .where('close_id', closeId)
    .distinct()
    .pluck<string[]>('investor_id');
  await enqueueAll(
    trx,
    investorIds.map((investorId) =>
      documentRequest(statementKind, statementSubject(closeId, investorId), statementKey(closeId, investorId)),
    ),
  );
  const fund = (await getFund(trx, fundId)).name;
  const contacts = await contactsOfInvestors(trx, investorIds);
  for (const contact of contacts)
    await notify(trx, [contact.user_id], {
      subject: statementSubject(closeId, contact.investor_id),
      ...reportingMessages.statementPublished(fund, formatFrenchDay(quarterEnd)),
      link: '/investissement/releves',
    });
}

/** The published statements of the investors someone signs in for, in every fund, the latest first. */
export async function statementsOfContact(db: Database, principal: Principal) {
  const investors = await investorsOfContact(db, principal.userId);
  if (investors.length === 0) return { statements: [] };
  const closes = await db('quarter_closes')
    .whereIn('fund_id', [...new Set(investors.map((investor) => investor.fund_id))])
    .orderBy([{ column: 'quarter_end', order: 'desc' }, 'fund_id'])
    .select<{ id: string; fund_id: string; quarter_end: string }[]>(
      'id',
      'fund_id',
      db.raw('quarter_end::text as quarter_end'),
    );
  const pairs = closes.flatMap((close) =>
    investors
      .filter((investor) => investor.fund_id === close.fund_id)
      .map((investor) => ({ close, investor, key: statementKey(close.id, investor.id) })),
  );
  const documents = await documentIdsByKey(
    db,
    pairs.map((pair) => pair.key),
  );
  return {
    statements: pairs
      .filter((pair) => documents.has(pair.key))
      .map(({ close, investor, key }) => ({
        fundId: close.fund_id,
        quarterEnd: close.quarter_end,
        investorId: investor.id,
        investorName: investor.name,
        documentId: documents.get(key)!,
      })),
  };
}

const columnFields = (column: Column) => ({
  beginning: amount(column.beginningMinor),
  lines: Object.fromEntries(lineNames.map((name) => [name, amount(column.lines[name])])) as Record<keyof Lines, string>,
  ending: amount(column.endingMinor),
  unfundedBeginning: amount(column.unfundedBeginningMinor),
});

/**
 * One published statement as its investor's contact reads it on a page: the
 * same figures as its PDF. Nobody else — not even the fund's team, who read
 * the quarter — and never before the report is published (a 404 both ways).
 */
export async function publishedStatement(db: Database, principal: Principal, investorId: string, quarterEnd: string) {
  const investor = (await investorsOfContact(db, principal.userId)).find((one) => one.id === investorId);
  const close = investor && (await closeAt(db, investor.fund_id, quarterEnd));
  const key = close ? statementKey(close.id, investorId) : '';
  const documentId = close && (await documentIdsByKey(db, [key])).get(key);
  if (!investor || !documentId) throw new NotFoundError(reportingMessages.statementMissing);
  const statement = await statementOf(db, investor.fund_id, quarterEnd, investorId);
  return {
    fund: { id: statement.fund.id, name: statement.fund.name },
    investor: { id: investorId, name: statement.investor.name },
    quarterEnd,
    documentId,
    columns: {
      quarter: columnFields(statement.columns.quarter),
      yearToDate: columnFields(statement.columns.yearToDate),
      sinceInception: columnFields(statement.columns.sinceInception),
    },
    commitment: amount(statement.commitmentMinor),
    unfundedEnding: amount(statement.unfundedEndingMinor),
    classes: statement.classes.map((one) => ({
      classCode: one.class_code,
      units: one.units,
      nav: amount(one.ending_minor),
      navPerUnit: one.nav_per_unit,
    })),
    performance: {
      investor: performanceFields(statement.performance),
      fund: performanceFields(statement.fundPerformance),
    },
    gross: {
      irr: statement.gross.irr,
      moic: statement.gross.moic,
      investments: statement.gross.investments
        .filter((one) => !one.ended)
        .map((one) => ({
          name: one.name,
          instrument: one.instrument,
          cost: amount(one.costMinor),
          value: amount(one.valueMinor),
          moic: one.moic,
        })),
    },
    history: statement.history.map((one) => ({
      quarterEnd: one.quarterEnd,
      nav: amount(one.navMinor),
      paidIn: amount(one.paidInMinor),
    })),
  };
}
