import Decimal from 'decimal.js';
import { actualDays } from '../day-counts';

/**
 * A fund's and an investor's performance, from dated flows (pure): the
 * multiples (DPI, RVPI, TVPI, MOIC) and the internal rate of return by XIRR —
 * the yearly rate r at which the flows' present value is nil, each flow
 * discounted by (1 + r)^(days since the first flow / 365), as spreadsheets'
 * XIRR counts (actual/365). Everything in decimal.js.
 *
 * The solver: Newton's method from 10 % (first in floating point, for speed,
 * then in decimal.js from where that led), which converges in a few steps on the
 * usual series; when it leaves the domain (r ≤ -100 %), stalls or oscillates —
 * as it does on short series with a huge rate, or on rates near -100 % —,
 * a bracketing fallback: the present value is read on a ladder of rates from
 * -99.9999999 % to 10^18, and the sign change nearest 10 % is narrowed by
 * bisection. Flows that never change sign have no rate: the answer says why.
 */
// 30 significant digits: the rate to 1e-14 with room to spare, at a third of the cost of 40.
const IrrDecimal = Decimal.clone({ precision: 30, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 40 });
type IrrNumber = InstanceType<typeof IrrDecimal>;

export type DatedFlow = { on: string; amount: Decimal.Value };

export type IrrUndefinedReason = 'too-few-flows' | 'no-sign-change' | 'no-root';
export type Irr = { defined: true; rate: Decimal } | { defined: false; reason: IrrUndefinedReason };

const newtonStepsMax = 60;
const bisectionStepsMax = 400;
const tolerance = new IrrDecimal('1e-14');
const guess = new IrrDecimal('0.1');
const ladder = [
  '-0.999999999',
  '-0.9999',
  '-0.99',
  '-0.9',
  '-0.5',
  '-0.2',
  '0',
  '0.1',
  '0.3',
  '1',
  '3',
  '10',
  '100',
  '1e3',
  '1e4',
  '1e6',
  '1e9',
  '1e12',
  '1e15',
  '1e18',
].map((value) => new IrrDecimal(value));

type Term = { years: IrrNumber; amount: IrrNumber };

/** The flows' present value at a rate, and its derivative. */
function presentValue(terms: readonly Term[], rate: IrrNumber): { value: IrrNumber; slope: IrrNumber } {
  const base = rate.plus(1);
  // (1 + r)^-t as exp(-t · ln(1 + r)): one logarithm per rate, not one per flow.
  const logBase = base.ln();
  let value = new IrrDecimal(0);
  let slope = new IrrDecimal(0);
  for (const term of terms) {
    const discounted = term.amount.times(term.years.times(logBase).negated().exp());
    value = value.plus(discounted);
    slope = slope.minus(discounted.times(term.years).dividedBy(base));
  }
  return { value, slope };
}

/**
 * A first guess in floating point, cheap: Newton's method on the same present
 * value. Only a starting point — the rate itself is found in decimal.js, which
 * from so close a guess takes a step or two.
 */
function floatGuess(terms: readonly Term[]): IrrNumber {
  const plain = terms.map((term) => ({ years: term.years.toNumber(), amount: term.amount.toNumber() }));
  let rate = 0.1;
  for (let step = 0; step < newtonStepsMax; step++) {
    const logBase = Math.log1p(rate);
    let value = 0;
    let slope = 0;
    for (const term of plain) {
      const discounted = term.amount * Math.exp(-term.years * logBase);
      value += discounted;
      slope -= (discounted * term.years) / (1 + rate);
    }
    const next = rate - value / slope;
    if (!Number.isFinite(next) || next <= -1) return guess;
    if (Math.abs(next - rate) < 1e-12 * (Math.abs(next) + 1)) return new IrrDecimal(next);
    rate = next;
  }
  return guess;
}

function newton(terms: readonly Term[]): IrrNumber | undefined {
  let rate = floatGuess(terms);
  for (let step = 0; step < newtonStepsMax; step++) {
    const { value, slope } = presentValue(terms, rate);
    if (slope.isZero() || !slope.isFinite()) return undefined;
    const next = rate.minus(value.dividedBy(slope));
    if (!next.isFinite() || next.lessThanOrEqualTo(-1)) return undefined;
    if (
      next
        .minus(rate)
        .abs()
        .lessThanOrEqualTo(tolerance.times(next.abs().plus(1)))
    )
      return next;
    rate = next;
  }
  return undefined;
}

function bisection(terms: readonly Term[]): IrrNumber | undefined {
  const values = ladder.map((rate) => presentValue(terms, rate).value);
  const brackets = ladder
    .slice(1)
    .map((high, index) => ({ low: ladder[index]!, high, lowValue: values[index]!, highValue: values[index + 1]! }))
    .filter((bracket) => bracket.lowValue.isZero() || bracket.lowValue.isNegative() !== bracket.highValue.isNegative())
    // The root nearest the usual guess, when the flows have several.
    .sort((left, right) => distanceToGuess(left) - distanceToGuess(right));
  const bracket = brackets[0];
  if (!bracket) return undefined;
  let { low, high, lowValue } = bracket;
  if (lowValue.isZero()) return low;
  for (let step = 0; step < bisectionStepsMax; step++) {
    const middle = low.plus(high).dividedBy(2);
    const middleValue = presentValue(terms, middle).value;
    if (middleValue.isZero() || high.minus(low).lessThanOrEqualTo(tolerance.times(middle.abs().plus(1)))) return middle;
    if (middleValue.isNegative() === lowValue.isNegative()) {
      low = middle;
      lowValue = middleValue;
    } else high = middle;
  }
  return low.plus(high).dividedBy(2);
}

const distanceToGuess = (bracket: { low: IrrNumber; high: IrrNumber }) =>
  bracket.high.lessThan(guess)
    ? guess.minus(bracket.high).toNumber()
    : bracket.low.greaterThan(guess)
      ? bracket.low.minus(guess).toNumber()
      : 0;

/** The yearly internal rate of return of dated flows (paid in negative, received positive), or why there is none. */
export function xirr(flows: readonly DatedFlow[]): Irr {
  const nonZero = flows.filter((flow) => !new IrrDecimal(flow.amount).isZero());
  if (nonZero.length < 2) return { defined: false, reason: 'too-few-flows' };
  const amounts = nonZero.map((flow) => new IrrDecimal(flow.amount));
  if (!amounts.some((one) => one.isNegative()) || !amounts.some((one) => one.isPositive()))
    return { defined: false, reason: 'no-sign-change' };
  const first = nonZero.map((flow) => flow.on).sort()[0]!;
  const terms = nonZero.map((flow, index) => ({
    years: new IrrDecimal(actualDays(first, flow.on)).dividedBy(365),
    amount: amounts[index]!,
  }));
  const rate = newton(terms) ?? bisection(terms);
  return rate === undefined ? { defined: false, reason: 'no-root' } : { defined: true, rate: new Decimal(rate) };
}

/** What was paid in, received and is still held, and the multiples they make (undefined before anything is paid in). */
export function multiples(figures: { paidIn: Decimal.Value; distributed: Decimal.Value; nav: Decimal.Value }) {
  const paidIn = new Decimal(figures.paidIn);
  if (paidIn.isZero()) return { dpi: null, rvpi: null, tvpi: null };
  const dpi = new Decimal(figures.distributed).dividedBy(paidIn);
  const rvpi = new Decimal(figures.nav).dividedBy(paidIn);
  return { dpi, rvpi, tvpi: dpi.plus(rvpi) };
}

/** An investment's multiple on invested capital: what came back and what it is worth, over what was put in. */
export function moic(figures: { invested: Decimal.Value; realised: Decimal.Value; value: Decimal.Value }) {
  const invested = new Decimal(figures.invested);
  return invested.isZero() ? null : new Decimal(figures.realised).plus(figures.value).dividedBy(invested);
}
