import type { Database, Transaction } from '../db/database';
import { investorFlows } from '../fpci/capital-accounts';
import { multiples, moic, xirr, type Irr } from '../fpci/performance';
import { portfolioAt, portfolioFlows } from '../portfolio/summary';

/**
 * The performance a quarter's statements give, from the frozen capital
 * accounts and the dated flows: for each investor and for the fund (net),
 * paid-in, distributed, NAV, DPI, RVPI, TVPI and the IRR by XIRR with the NAV
 * as the last flow; for the portfolio (gross), its IRR on drawdowns and what
 * came back with its value as the last flow, and its multiple.
 */
type Reader = Database | Transaction;

export type Performance = {
  paidInMinor: bigint;
  distributedMinor: bigint;
  navMinor: bigint;
  dpi: string | null;
  rvpi: string | null;
  tvpi: string | null;
  irr: { defined: true; rate: string } | { defined: false; reason: string };
};

const shownIrr = (irr: Irr): Performance['irr'] =>
  irr.defined ? { defined: true, rate: irr.rate.toSignificantDigits(12).toString() } : irr;
const fixed = (value: { toFixed: (places: number) => string } | null) => (value === null ? null : value.toFixed(4));

/** The figures from what was paid in, given back and is held, and the dated flows with the NAV last. */
export function performanceOf(
  flows: readonly { on: string; amountMinor: bigint }[],
  totals: { paidInMinor: bigint; distributedMinor: bigint; navMinor: bigint },
  navOn: string,
): Performance {
  const ratios = multiples({
    paidIn: String(totals.paidInMinor),
    distributed: String(totals.distributedMinor),
    nav: String(totals.navMinor),
  });
  const dated = flows.map((flow) => ({ on: flow.on, amount: String(flow.amountMinor) }));
  if (totals.navMinor !== 0n) dated.push({ on: navOn, amount: String(totals.navMinor) });
  return {
    ...totals,
    dpi: fixed(ratios.dpi),
    rvpi: fixed(ratios.rvpi),
    tvpi: fixed(ratios.tvpi),
    irr: shownIrr(xirr(dated)),
  };
}

/** Paid in: every amount the investor paid (calls, catch-ups, premiums); given back: every distribution. */
function paidAndGiven(flows: readonly { amountMinor: bigint }[]) {
  let paidInMinor = 0n;
  let distributedMinor = 0n;
  for (const flow of flows)
    if (flow.amountMinor < 0n) paidInMinor -= flow.amountMinor;
    else distributedMinor += flow.amountMinor;
  return { paidInMinor, distributedMinor };
}

/** Each investor's figures at a closed quarter, and the fund's (net): one pass over the fund. */
export async function netPerformance(
  db: Reader,
  fundId: string,
  quarterEnd: string,
  onlyInvestorId?: string,
): Promise<{ investors: Map<string, Performance>; fund: Performance }> {
  const [flows, navs] = await Promise.all([
    investorFlows(db, fundId, quarterEnd),
    db('quarter_positions as p')
      .join('quarter_closes as c', 'c.id', 'p.close_id')
      .where({ 'c.fund_id': fundId, 'c.quarter_end': quarterEnd })
      .groupBy('p.investor_id')
      .select<{ investor_id: string; nav: bigint }[]>('p.investor_id', db.raw('sum(p.ending_minor)::bigint as nav')),
  ]);
  const flowsOf = new Map<string, { on: string; amountMinor: bigint }[]>();
  for (const flow of flows) flowsOf.set(flow.investorId, [...(flowsOf.get(flow.investorId) ?? []), flow]);
  const investors = new Map<string, Performance>();
  const fundTotals = { paidInMinor: 0n, distributedMinor: 0n, navMinor: 0n };
  for (const row of navs) {
    const own = { ...paidAndGiven(flowsOf.get(row.investor_id) ?? []), navMinor: row.nav };
    fundTotals.paidInMinor += own.paidInMinor;
    fundTotals.distributedMinor += own.distributedMinor;
    fundTotals.navMinor += own.navMinor;
    if (onlyInvestorId === undefined || row.investor_id === onlyInvestorId)
      investors.set(row.investor_id, performanceOf(flowsOf.get(row.investor_id) ?? [], own, quarterEnd));
  }
  const fundFlows = new Map<string, bigint>();
  for (const flow of flows) fundFlows.set(flow.on, (fundFlows.get(flow.on) ?? 0n) + flow.amountMinor);
  const merged = [...fundFlows.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([on, amountMinor]) => ({ on, amountMinor }));
  return { investors, fund: performanceOf(merged, fundTotals, quarterEnd) };
}

/** The portfolio's own performance (gross of the fund's fees) and each investment's multiple. */
export async function grossPerformance(db: Reader, fundId: string, quarterEnd: string) {
  const [investments, flows] = await Promise.all([
    portfolioAt(db, fundId, quarterEnd),
    portfolioFlows(db, fundId, quarterEnd),
  ]);
  const valueMinor = investments.reduce((total, one) => total + one.valueMinor, 0n);
  const dated = flows.map((flow) => ({ on: flow.on, amount: String(flow.amountMinor) }));
  if (valueMinor !== 0n) dated.push({ on: quarterEnd, amount: String(valueMinor) });
  const multipleOf = (one: { drawnMinor: bigint; realisedMinor: bigint; valueMinor: bigint }) =>
    moic({ invested: String(one.drawnMinor), realised: String(one.realisedMinor), value: String(one.valueMinor) });
  const totals = investments.reduce(
    (sum, one) => ({
      drawnMinor: sum.drawnMinor + one.drawnMinor,
      realisedMinor: sum.realisedMinor + one.realisedMinor,
      valueMinor: sum.valueMinor + one.valueMinor,
    }),
    { drawnMinor: 0n, realisedMinor: 0n, valueMinor: 0n },
  );
  return {
    irr: shownIrr(xirr(dated)),
    moic: fixed(multipleOf(totals)),
    investments: investments.map((one) => ({ ...one, moic: fixed(multipleOf(one)) })),
  };
}
