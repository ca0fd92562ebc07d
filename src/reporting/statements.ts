import type { Database, Transaction } from '../db/database';
import { NotFoundError } from '../errors';
import { investorRow } from '../fpci/investors';
import { getFund } from '../ledger/queries';
import { addLines, lineNames, netChangeMinor, noLines, type LineName, type Lines } from './capital-account';
import { reportingMessages } from './messages';
import { grossPerformance, netPerformance, type Performance } from './performance-figures';

/**
 * An investor's quarterly statement, from the frozen capital accounts: the
 * ILPA lines for the quarter, the year to date and since inception (its
 * holdings of every class together), its commitment and what remains
 * unfunded, its performance and the fund's, the portfolio's summary, and its
 * NAV and paid-in at each quarter closed (the chart). Each column's identity —
 * beginning plus movements equals ending — is checked here again: a statement
 * that does not add up is not drawn.
 */
type Reader = Database | Transaction;

type PositionRow = { quarter_end: string } & Record<string, bigint | string>;

const columnOf: Record<LineName, string> = {
  contributions: 'contributions_minor',
  distributions: 'distributions_minor',
  managementFees: 'management_fees_minor',
  feeOffsets: 'fee_offsets_minor',
  fundExpenses: 'fund_expenses_minor',
  internalChargebacks: 'internal_chargebacks_minor',
  income: 'income_minor',
  realisedGains: 'realised_gains_minor',
  unrealisedGains: 'unrealised_gains_minor',
  other: 'other_minor',
};

export type Column = { beginningMinor: bigint; lines: Lines; endingMinor: bigint; unfundedBeginningMinor: bigint };

/** An investor's quarters up to one, each summed over its classes. */
async function quartersOf(db: Reader, fundId: string, investorId: string, quarterEnd: string) {
  const rows = await db('quarter_positions as p')
    .join('quarter_closes as c', 'c.id', 'p.close_id')
    .where({ 'c.fund_id': fundId, 'p.investor_id': investorId })
    .andWhere('c.quarter_end', '<=', quarterEnd)
    .groupBy('c.quarter_end')
    .orderBy('c.quarter_end')
    .select<PositionRow[]>(
      db.raw(`c.quarter_end::text as quarter_end`),
      ...[
        'beginning_minor',
        'ending_minor',
        'commitment_minor',
        'unfunded_beginning_minor',
        'unfunded_ending_minor',
        ...Object.values(columnOf),
      ].map((column) => db.raw(`sum(p.${column})::bigint as ${column}`)),
    );
  return rows.map((row) => ({
    quarterEnd: row.quarter_end,
    beginningMinor: BigInt(row.beginning_minor!),
    endingMinor: BigInt(row.ending_minor!),
    commitmentMinor: BigInt(row.commitment_minor!),
    unfundedBeginningMinor: BigInt(row.unfunded_beginning_minor!),
    unfundedEndingMinor: BigInt(row.unfunded_ending_minor!),
    lines: Object.fromEntries(lineNames.map((name) => [name, BigInt(row[columnOf[name]]!)])) as Lines,
  }));
}

export type StatementQuarter = Pick<
  Awaited<ReturnType<typeof quartersOf>>[number],
  'beginningMinor' | 'lines' | 'endingMinor' | 'unfundedBeginningMinor'
>;

/** The quarters of a period as one column: the first one's beginning, every movement, the last one's ending. */
export function columnFrom(quarters: readonly StatementQuarter[]): Column {
  if (quarters.length === 0)
    return { beginningMinor: 0n, lines: noLines(), endingMinor: 0n, unfundedBeginningMinor: 0n };
  return {
    beginningMinor: quarters[0]!.beginningMinor,
    lines: quarters.reduce((total, quarter) => addLines(total, quarter.lines), noLines()),
    endingMinor: quarters.at(-1)!.endingMinor,
    unfundedBeginningMinor: quarters[0]!.unfundedBeginningMinor,
  };
}

export const columnAddsUp = (column: Column) =>
  column.beginningMinor + netChangeMinor(column.lines) === column.endingMinor;

export type Statement = Awaited<ReturnType<typeof statementOf>>;

export async function statementOf(db: Reader, fundId: string, quarterEnd: string, investorId: string) {
  const investor = await investorRow(db, fundId, investorId);
  const quarters = await quartersOf(db, fundId, investorId, quarterEnd);
  const current = quarters.at(-1);
  if (current?.quarterEnd !== quarterEnd) throw new NotFoundError(reportingMessages.statementMissing);
  const year = quarterEnd.slice(0, 4);
  const columns = {
    quarter: columnFrom([current]),
    yearToDate: columnFrom(quarters.filter((quarter) => quarter.quarterEnd.startsWith(year))),
    sinceInception: columnFrom(quarters),
  };
  const [fund, { net, gross }, classes] = await Promise.all([
    getFund(db, fundId),
    figuresAtClose(db, fundId, quarterEnd),
    classesOf(db, fundId, quarterEnd, investorId),
  ]);
  let paidIn = 0n;
  return {
    fund: { id: fundId, name: fund.name, siren: fund.siren },
    investor: {
      id: investorId,
      name: investor.name,
      address: [investor.address_line, [investor.postal_code, investor.city].filter(Boolean).join(' ')]
        .filter(Boolean)
        .join(', '),
    },
    quarterEnd,
    columns,
    addsUp: Object.values(columns).every(columnAddsUp),
    commitmentMinor: current.commitmentMinor,
    unfundedEndingMinor: current.unfundedEndingMinor,
    classes,
    performance: net.investors.get(investorId) as Performance,
    fundPerformance: net.fund,
    gross,
    history: quarters.map((quarter) => {
      paidIn += quarter.lines.contributions;
      return { quarterEnd: quarter.quarterEnd, navMinor: quarter.endingMinor, paidInMinor: paidIn };
    }),
  };
}

/**
 * Every investor's performance and the portfolio's at a closed quarter,
 * computed once per quarter in this process and kept for the statements that
 * follow (a closed quarter never changes): the fund's flows are read once,
 * not once per investor.
 */
const figuresKept = new Map<
  string,
  Promise<{ net: Awaited<ReturnType<typeof netPerformance>>; gross: Awaited<ReturnType<typeof grossPerformance>> }>
>();
const quartersKeptMax = 8;

function figuresAtClose(db: Reader, fundId: string, quarterEnd: string) {
  const key = `${fundId}|${quarterEnd}`;
  const known = figuresKept.get(key);
  if (known) return known;
  const figures = (async () => ({
    net: await netPerformance(db, fundId, quarterEnd),
    gross: await grossPerformance(db, fundId, quarterEnd),
  }))();
  figures.catch(() => figuresKept.delete(key));
  if (figuresKept.size >= quartersKeptMax) figuresKept.delete(figuresKept.keys().next().value!);
  figuresKept.set(key, figures);
  return figures;
}

/** The investor's units of each class at the quarter end and each class's NAV per unit. */
async function classesOf(db: Reader, fundId: string, quarterEnd: string, investorId: string) {
  return db('quarter_positions as p')
    .join('quarter_closes as c', 'c.id', 'p.close_id')
    .join('quarter_class_navs as n', function joinNav() {
      this.on('n.close_id', 'p.close_id').andOn('n.class_code', 'p.class_code');
    })
    .where({ 'c.fund_id': fundId, 'c.quarter_end': quarterEnd, 'p.investor_id': investorId })
    .orderBy('p.class_code')
    .select<{ class_code: string; units: number; nav_per_unit: string; ending_minor: bigint }[]>(
      'p.class_code',
      'p.units',
      db.raw('n.nav_per_unit::text as nav_per_unit'),
      'p.ending_minor',
    );
}
