import Decimal from 'decimal.js';
import fc from 'fast-check';
import { addMonths, dayCounts, yearFraction } from '../../src/day-counts';
import { accruedInterestMinor, amortisations, repaymentSchedule, type LoanTerms } from '../../src/portfolio/schedules';

/** Day counts as ISDA defines them, due dates from the drawdown, and schedules that repay exactly what was lent. */
it('counts the year fraction by the named convention', () => {
  const fraction = (dayCount: (typeof dayCounts)[number], from: string, to: string) =>
    yearFraction(dayCount, from, to).toString();
  const ratio = (days: number, year: number) => new Decimal(days).dividedBy(year).toString();
  expect(fraction('act/365f', '2024-01-01', '2025-01-01')).toBe(ratio(366, 365));
  expect(fraction('act/360', '2024-01-01', '2024-04-10')).toBe(ratio(100, 360));
  // 30E/360: the 31st counts as the 30th, February as it is.
  expect(fraction('30e/360', '2024-01-31', '2024-03-31')).toBe(ratio(60, 360));
  expect(fraction('30e/360', '2024-01-31', '2024-02-28')).toBe(ratio(28, 360));
  // ACT/ACT ISDA: 184 days of 2023 over 365, 182 days of 2024 over 366.
  expect(yearFraction('act/act-isda', '2023-07-01', '2024-07-01').toDecimalPlaces(12).toString()).toBe(
    (184 / 365 + 182 / 366).toFixed(12),
  );
  expect(fraction('act/365f', '2025-01-01', '2024-01-01')).toBe(ratio(-366, 365));
});

it('runs due dates from the drawdown, the month’s last day when the day is missing', () => {
  expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
  expect(addMonths('2023-01-31', 2)).toBe('2023-03-31');
  expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
  expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  expect(addMonths('2024-11-15', 3)).toBe('2025-02-15');
});

const loan = (changes: Partial<LoanTerms>): LoanTerms => ({
  principalMinor: 100_000_00n,
  yearlyRate: '0.05',
  dayCount: 'act/365f',
  startOn: '2025-01-01',
  periodMonths: 12,
  periods: 3,
  gracePeriods: 0,
  amortisation: 'bullet',
  ...changes,
});
const columns = (terms: LoanTerms) =>
  repaymentSchedule(terms).map((line) => [line.dueOn, line.interestMinor, line.principalMinor]);

it('repays a bond at maturity, interest each year', () => {
  expect(columns(loan({}))).toEqual([
    ['2026-01-01', 5_000_00n, 0n],
    ['2027-01-01', 5_000_00n, 0n],
    ['2028-01-01', 5_000_00n, 100_000_00n],
  ]);
});

it('repays a participating loan in equal parts after its grace years, the cents to the first', () => {
  expect(columns(loan({ periods: 4, gracePeriods: 1, amortisation: 'linear', yearlyRate: '0.03' }))).toEqual([
    ['2026-01-01', 3_000_00n, 0n],
    ['2027-01-01', 3_000_00n, 33_333_34n],
    // 66 666,66 € × 3 % = 1 999,9998 €; then 2028 has 366 days: 33 333,33 € × 3 % × 366/365.
    ['2028-01-01', 2_000_00n, 33_333_33n],
    ['2029-01-01', 1_002_74n, 33_333_33n],
  ]);
});

it('repays by a constant payment, the last closing what remains', () => {
  // 10 000 € at 12 % a year, monthly, 30E/360: 1 % a month; the payment 888,49 €.
  const lines = repaymentSchedule(
    loan({
      principalMinor: 10_000_00n,
      yearlyRate: '0.12',
      dayCount: '30e/360',
      periodMonths: 1,
      periods: 12,
      amortisation: 'annuity',
    }),
  );
  expect(lines[0]).toMatchObject({ interestMinor: 100_00n, principalMinor: 788_49n });
  expect(lines.slice(0, 11).every((line) => line.interestMinor + line.principalMinor === 888_49n)).toBe(true);
  expect(lines.reduce((total, line) => total + line.principalMinor, 0n)).toBe(10_000_00n);
});

it('gives the interest run and not yet due on any day', () => {
  const terms = loan({});
  const schedule = repaymentSchedule(terms);
  // 100 days of 5 % on 100 000 €: 1 369,863… €.
  expect(accruedInterestMinor(terms, schedule, '2025-04-11')).toBe(1_369_86n);
  expect(accruedInterestMinor(terms, schedule, '2026-01-01')).toBe(0n);
  expect(accruedInterestMinor(terms, schedule, '2024-12-31')).toBe(0n);
  expect(accruedInterestMinor(terms, schedule, '2030-01-01')).toBe(0n);
});

it('always repays exactly what was lent, never more than is outstanding', () => {
  const terms = fc
    .record({
      principalMinor: fc.bigInt({ min: 1n, max: 50_000_000_00n }),
      yearlyRate: fc.integer({ min: 0, max: 150_000 }).map((basisMillionths) => String(basisMillionths / 1_000_000)),
      dayCount: fc.constantFrom(...dayCounts),
      startOn: fc.date({ min: new Date('2015-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
      periodMonths: fc.constantFrom(1, 3, 6, 12),
      periods: fc.integer({ min: 1, max: 120 }),
      grace: fc.integer({ min: 0, max: 24 }),
      amortisation: fc.constantFrom(...amortisations),
    })
    .filter((one) => one.grace < one.periods)
    .map(({ startOn, grace, ...rest }): LoanTerms => ({
      ...rest,
      startOn: startOn.toISOString().slice(0, 10),
      gracePeriods: grace,
    }));
  fc.assert(
    fc.property(terms, (one) => {
      const lines = repaymentSchedule(one);
      expect(lines.reduce((total, line) => total + line.principalMinor, 0n)).toBe(one.principalMinor);
      for (const line of lines) {
        expect(line.principalMinor >= 0n && line.principalMinor <= line.outstandingMinor).toBe(true);
        expect(line.interestMinor >= 0n).toBe(true);
      }
      expect(lines.at(-1)!.outstandingMinor).toBe(lines.at(-1)!.principalMinor);
    }),
    { numRuns: 300 },
  );
});
