import Decimal from 'decimal.js';
import { moic, multiples, xirr, type DatedFlow } from '../../src/fpci/performance';

/**
 * XIRR on series known to break naive solvers — a one-day series whose rate is
 * in the quadrillions, losses near -100 %, a leap year, a borrower's series —,
 * each against a value computed independently: bisection to 600 halvings of
 * the present value in Python's `decimal` at 60 digits (the script is in the
 * issue's note); and the multiples.
 */
const flows = (...pairs: [string, number][]): DatedFlow[] => pairs.map(([on, amount]) => ({ on, amount }));
const closeTo = (actual: Decimal, expected: string) =>
  expect(actual.minus(expected).abs().lessThanOrEqualTo(new Decimal(expected).abs().plus(1).times('1e-6'))).toBe(true);

const vectors: [string, DatedFlow[], string][] = [
  [
    'the spreadsheet manual’s example',
    flows(
      ['2008-01-01', -10000],
      ['2008-03-01', 2750],
      ['2008-10-30', 4250],
      ['2009-02-15', 3250],
      ['2009-04-01', 2750],
    ),
    '0.3733625335188315',
  ],
  [
    'one day, +10 %: a rate in the quadrillions',
    flows(['2026-01-01', -1000], ['2026-01-02', 1100]),
    '1283305580313352',
  ],
  ['a loss over a leap year', flows(['2020-01-01', -1000], ['2021-01-01', 100]), '-0.8993688952633127'],
  ['nearly everything lost', flows(['2025-01-01', -1000], ['2026-01-01', 1]), '-0.999'],
  [
    'a fund: calls, a distribution, a later call, the NAV last',
    flows(
      ['2020-03-31', -2500],
      ['2020-09-30', -2500],
      ['2021-06-30', -2000],
      ['2022-12-31', 1500],
      ['2023-06-30', -1000],
      ['2024-12-31', 3000],
      ['2025-12-31', 6200],
    ),
    '0.0721142673891625',
  ],
  [
    'a fund losing money',
    flows(
      ['2021-01-15', -400000],
      ['2021-07-15', -300000],
      ['2022-01-15', -300000],
      ['2023-03-31', 50000],
      ['2024-03-31', 520000],
    ),
    '-0.190408972056107',
  ],
  ['a borrower’s series (received first)', flows(['2024-01-01', 1000], ['2025-01-01', -1200]), '0.199402373269094'],
];

it.each(vectors)('finds the rate of %s', (_name, series, expected) => {
  const irr = xirr(series);
  expect(irr.defined).toBe(true);
  if (irr.defined) closeTo(irr.rate, expected);
});

it('says why there is no rate', () => {
  expect(xirr(flows(['2024-01-01', -1000], ['2025-01-01', -10]))).toEqual({ defined: false, reason: 'no-sign-change' });
  expect(xirr(flows(['2024-01-01', 1000]))).toEqual({ defined: false, reason: 'too-few-flows' });
  expect(xirr(flows(['2024-01-01', -1000], ['2025-01-01', 0]))).toEqual({ defined: false, reason: 'too-few-flows' });
});

it('takes the flows in any order, and counts days from the earliest', () => {
  const irr = xirr(
    flows(
      ['2009-04-01', 2750],
      ['2008-03-01', 2750],
      ['2008-01-01', -10000],
      ['2009-02-15', 3250],
      ['2008-10-30', 4250],
    ),
  );
  expect(irr.defined && irr.rate.toDecimalPlaces(9).toString()).toBe('0.373362534');
});

it('gives the multiples, none before anything is paid in', () => {
  const figures = multiples({ paidIn: '800000', distributed: '200000', nav: '900000' });
  expect([figures.dpi?.toString(), figures.rvpi?.toString(), figures.tvpi?.toString()]).toEqual([
    '0.25',
    '1.125',
    '1.375',
  ]);
  expect(multiples({ paidIn: 0, distributed: 0, nav: 0 })).toEqual({ dpi: null, rvpi: null, tvpi: null });
  expect(moic({ invested: '500000', realised: '200000', value: '450000' })?.toString()).toBe('1.3');
  expect(moic({ invested: 0, realised: 0, value: 0 })).toBeNull();
});
