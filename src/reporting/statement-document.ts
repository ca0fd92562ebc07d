import Decimal from 'decimal.js';
import type { Database } from '../db/database';
import type { DocumentKind } from '../documents/service';
import type { Principal } from '../identity/roles';
import { actorOn } from '../fpci/access';
import { isInvestorContact } from '../fpci/investors';
import { amount } from '../ledger/views';
import { euros, formatFrench } from '../money';
import { chartSvg, seriesChartSpec } from '../web/charts';
import { portfolioWords } from '../portfolio/messages';
import { shownMonth } from '../time';
import {
  quarterlyStatement,
  type QuarterlyStatementData,
  type StatementColumn,
} from '../../templates/quarterly-statement';
import { fundLineNames, type Lines } from './capital-account';
import { reportingMessages } from './messages';
import type { Performance } from './performance-figures';
import { statementOf, type Column, type Statement } from './statements';

/**
 * The quarterly statement as a document: one per investor and quarter closed,
 * rendered by the worker when the report is published, kept with its hash;
 * read by the fund's team and by the investor's own contacts — nobody else.
 */
export const statementKind = 'quarterly-statement';
export const statementSubject = (closeId: string, investorId: string) => ({
  type: statementKind,
  id: `${closeId}.${investorId}`,
});
export const statementKey = (closeId: string, investorId: string) => `${statementKind}:${closeId}:${investorId}`;
const manager = 'Citizen Capital';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const columnView = (column: Column): StatementColumn => ({
  beginning: amount(column.beginningMinor),
  lines: Object.fromEntries(Object.entries(column.lines).map(([name, minor]) => [name, amount(minor)])),
  ending: amount(column.endingMinor),
});

const shownPercent = (rate: string) => `${new Decimal(rate).times(100).toFixed(2).replace('.', ',')} %`;
export const shownIrr = (irr: Performance['irr']) =>
  irr.defined ? shownPercent(irr.rate) : reportingMessages.irrUndefined[irr.reason]!;
export const shownMultiple = (multiple: string | null) => (multiple === null ? '—' : `${multiple.replace('.', ',')}x`);
const shownMoney = (minor: bigint) => formatFrench(euros(minor));
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function performanceLines(own: Performance, fund: Performance) {
  const words = reportingMessages.performance;
  return [
    { label: words.paidIn, investor: shownMoney(own.paidInMinor), fund: shownMoney(fund.paidInMinor) },
    { label: words.distributed, investor: shownMoney(own.distributedMinor), fund: shownMoney(fund.distributedMinor) },
    { label: words.nav, investor: shownMoney(own.navMinor), fund: shownMoney(fund.navMinor) },
    { label: 'DPI', investor: shownMultiple(own.dpi), fund: shownMultiple(fund.dpi) },
    { label: 'RVPI', investor: shownMultiple(own.rvpi), fund: shownMultiple(fund.rvpi) },
    { label: 'TVPI', investor: shownMultiple(own.tvpi), fund: shownMultiple(fund.tvpi) },
    { label: words.irr, investor: shownIrr(own.irr), fund: shownIrr(fund.irr) },
  ];
}

/** The NAV and the paid-in at each quarter closed, as a chart (the statement's and its page's). */
export function navAndPaidInSpec(history: readonly { quarterEnd: string; navEuros: number; paidInEuros: number }[]) {
  const words = reportingMessages.performance;
  const points = history.flatMap((quarter) => {
    const label = shownMonth(quarter.quarterEnd.slice(0, 7));
    return [
      { label, series: words.nav, value: quarter.navEuros },
      { label, series: words.calledToDate, value: quarter.paidInEuros },
    ];
  });
  return seriesChartSpec(points, words.chart);
}

/** Nothing to draw before two quarters. */
async function historyChart(history: Statement['history']): Promise<string | null> {
  if (history.length < 2) return null;
  return chartSvg(
    navAndPaidInSpec(
      history.map((quarter) => ({
        quarterEnd: quarter.quarterEnd,
        navEuros: Number(quarter.navMinor) / 100,
        paidInEuros: Number(quarter.paidInMinor) / 100,
      })),
    ),
  );
}

/** The lines that take from the capital account, shown with a minus. */
export const subtractedLines: readonly (keyof Lines)[] = [
  'distributions',
  'managementFees',
  'fundExpenses',
  'internalChargebacks',
];
/** The statement's lines in their order: contributions and distributions, then the fund's. */
export const statementLineNames = ['contributions', 'distributions', ...fundLineNames] as (keyof Lines)[];

export async function statementDocumentData(statement: Statement): Promise<QuarterlyStatementData> {
  const labels = reportingMessages.lines;
  return {
    fund: { name: statement.fund.name, siren: statement.fund.siren, manager },
    investor: { name: statement.investor.name, address: statement.investor.address },
    quarterEnd: statement.quarterEnd,
    lineLabels: statementLineNames.map((key) => ({
      key,
      label: labels[key]!,
      sign: subtractedLines.includes(key) ? '-' : '+',
    })),
    labels: { beginning: labels.beginning!, ending: labels.ending! },
    columns: {
      quarter: columnView(statement.columns.quarter),
      yearToDate: columnView(statement.columns.yearToDate),
      sinceInception: columnView(statement.columns.sinceInception),
    },
    commitment: amount(statement.commitmentMinor),
    unfunded: {
      quarter: amount(statement.columns.quarter.unfundedBeginningMinor),
      yearToDate: amount(statement.columns.yearToDate.unfundedBeginningMinor),
      sinceInception: amount(statement.columns.sinceInception.unfundedBeginningMinor),
      ending: amount(statement.unfundedEndingMinor),
    },
    classes: statement.classes.map((one) => ({
      classCode: one.class_code,
      units: one.units,
      navPerUnit: one.nav_per_unit,
      nav: amount(one.ending_minor),
    })),
    performance: performanceLines(statement.performance, statement.fundPerformance),
    gross: { irr: shownIrr(statement.gross.irr), moic: shownMultiple(statement.gross.moic) },
    portfolio: statement.gross.investments
      .filter((one) => !one.ended)
      .map((one) => ({
        name: one.name,
        instrument: capitalised(portfolioWords.instruments[one.instrument] ?? one.instrument),
        cost: amount(one.costMinor),
        value: amount(one.valueMinor),
        moic: shownMultiple(one.moic),
      })),
    chartSvg: await historyChart(statement.history),
  };
}

export const quarterlyStatementDocument: DocumentKind = {
  kind: statementKind,
  build: async (db, subjectId) => {
    const [closeId, investorId] = subjectId.split('.') as [string, string];
    const close = await db('quarter_closes').where('id', closeId).first<{ fund_id: string; quarter_end: string }>();
    const statement = await statementOf(db, close.fund_id, close.quarter_end, investorId);
    // A statement that does not add up is not sent: the job fails and says so.
    if (!statement.addsUp) throw new Error(`statement ${subjectId} does not add up`);
    return {
      fileName: `releve-${close.quarter_end}-${investorId.slice(0, 8)}.pdf`,
      definition: quarterlyStatement(await statementDocumentData(statement)),
    };
  },
};

/** The fund's team, or one of the investor's own contacts. */
export async function assertStatementVisible(db: Database, subjectId: string, principal: Principal): Promise<void> {
  const [closeId = '', investorId = ''] = subjectId.split('.');
  if (!uuidPattern.test(closeId) || !uuidPattern.test(investorId)) throw new Error('not a statement');
  const close = await db('quarter_closes').where('id', closeId).first<{ fund_id: string } | undefined>('fund_id');
  if (!close) throw new Error('no such statement');
  if (!(await isInvestorContact(db, investorId, principal.userId))) actorOn(principal, close.fund_id);
}
