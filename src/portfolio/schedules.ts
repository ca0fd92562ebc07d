import Decimal from 'decimal.js';
import { allocate, euros, minorUnits, roundedMinor } from '../money';
import { addMonths, yearFraction, type DayCount } from '../day-counts';

/**
 * The schedule of an instrument lent at a rate — an *obligation*, a *prêt
 * participatif*, a *titre associatif*: for each period, what is outstanding,
 * the interest it bears (outstanding × rate × the day count's year fraction,
 * rounded to the cent, half up) and the principal repaid. The principal
 * repaid always sums exactly to what was lent:
 * - `bullet`: all of it at maturity;
 * - `linear`: equal parts after the grace periods, split by `allocate`;
 * - `annuity`: a constant payment (principal + interest at the periodic rate)
 *   after the grace periods, the last period closing what remains.
 * Due dates run from the drawdown date (31 January monthly: 28 February, 31 March…).
 */
export const amortisations = ['bullet', 'linear', 'annuity'] as const;
export type Amortisation = (typeof amortisations)[number];

export type LoanTerms = {
  principalMinor: bigint;
  /** Yearly, e.g. "0.045". */
  yearlyRate: string;
  dayCount: DayCount;
  startOn: string;
  periodMonths: number;
  periods: number;
  /** Periods at the start when only interest is paid (différé d'amortissement). */
  gracePeriods: number;
  amortisation: Amortisation;
};

export type ScheduleLine = {
  number: number;
  startOn: string;
  dueOn: string;
  outstandingMinor: bigint;
  interestMinor: bigint;
  principalMinor: bigint;
};

const interestOn = (terms: LoanTerms, outstandingMinor: bigint, from: string, to: string) =>
  roundedMinor(
    new Decimal(outstandingMinor.toString()).times(terms.yearlyRate).times(yearFraction(terms.dayCount, from, to)),
  );

/** The constant payment of an annuity at the periodic rate (yearly rate × months / 12), rounded to the cent. */
function annuityMinor(principalMinor: bigint, periodicRate: Decimal, periods: number): bigint {
  if (periodicRate.isZero()) return roundedMinor(new Decimal(principalMinor.toString()).dividedBy(periods));
  const factor = periodicRate.dividedBy(new Decimal(1).minus(periodicRate.plus(1).pow(-periods)));
  return roundedMinor(new Decimal(principalMinor.toString()).times(factor));
}

export function repaymentSchedule(terms: LoanTerms): ScheduleLine[] {
  const amortising = terms.periods - terms.gracePeriods;
  if (terms.periods < 1 || amortising < 1 || terms.principalMinor <= 0n)
    throw new RangeError('a schedule needs a principal and at least one period that repays');
  const linearParts =
    terms.amortisation === 'linear'
      ? allocate(euros(terms.principalMinor), Array(amortising).fill(1)).map(minorUnits)
      : [];
  const payment =
    terms.amortisation === 'annuity'
      ? annuityMinor(
          terms.principalMinor,
          new Decimal(terms.yearlyRate).times(terms.periodMonths).dividedBy(12),
          amortising,
        )
      : 0n;
  const lines: ScheduleLine[] = [];
  let outstandingMinor = terms.principalMinor;
  for (let number = 1; number <= terms.periods; number++) {
    const startOn = addMonths(terms.startOn, terms.periodMonths * (number - 1));
    const dueOn = addMonths(terms.startOn, terms.periodMonths * number);
    const interestMinor = interestOn(terms, outstandingMinor, startOn, dueOn);
    const repaying = number > terms.gracePeriods;
    const principalMinor =
      number === terms.periods
        ? outstandingMinor
        : !repaying || terms.amortisation === 'bullet'
          ? 0n
          : terms.amortisation === 'linear'
            ? linearParts[number - terms.gracePeriods - 1]!
            : clamp(payment - interestMinor, outstandingMinor);
    lines.push({ number, startOn, dueOn, outstandingMinor, interestMinor, principalMinor });
    outstandingMinor -= principalMinor;
  }
  return lines;
}

const clamp = (value: bigint, max: bigint) => (value < 0n ? 0n : value > max ? max : value);

/** The interest run and not yet due on a day: on what is outstanding in the period that day falls in, from its start. */
export function accruedInterestMinor(terms: LoanTerms, schedule: readonly ScheduleLine[], on: string): bigint {
  const period = schedule.find((line) => line.startOn < on && on <= line.dueOn);
  if (!period || on === period.dueOn) return 0n;
  return interestOn(terms, period.outstandingMinor, period.startOn, on);
}
