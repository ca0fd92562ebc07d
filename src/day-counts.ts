import Decimal from 'decimal.js';

/**
 * Interest day counts, named as the market names them (ISDA 2006 §4.16): the
 * fraction of a year between two dates an instrument's interest runs for.
 * - `act/365f`: actual days / 365 (French loans, late interest);
 * - `act/360`: actual days / 360 (money-market, many bank loans);
 * - `30e/360`: each month 30 days, a 31st counted as the 30th (Eurobond basis);
 * - `act/act-isda`: the days in each calendar year over that year's length.
 */
export const dayCounts = ['act/365f', 'act/360', '30e/360', 'act/act-isda'] as const;
export type DayCount = (typeof dayCounts)[number];

const dayMs = 86_400_000;
const utc = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
export const actualDays = (from: string, to: string): number => Math.round((utc(to) - utc(from)) / dayMs);
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const parts = (isoDate: string) => isoDate.split('-').map(Number) as [number, number, number];

export function yearFraction(dayCount: DayCount, from: string, to: string): Decimal {
  if (to < from) return yearFraction(dayCount, to, from).negated();
  switch (dayCount) {
    case 'act/365f':
      return new Decimal(actualDays(from, to)).dividedBy(365);
    case 'act/360':
      return new Decimal(actualDays(from, to)).dividedBy(360);
    case '30e/360': {
      const [y1, m1, d1] = parts(from);
      const [y2, m2, d2] = parts(to);
      const days = 360 * (y2 - y1) + 30 * (m2 - m1) + (Math.min(d2, 30) - Math.min(d1, 30));
      return new Decimal(days).dividedBy(360);
    }
    case 'act/act-isda': {
      let fraction = new Decimal(0);
      for (let year = parts(from)[0]; year <= parts(to)[0]; year++) {
        const start = from > `${year}-01-01` ? from : `${year}-01-01`;
        const end = to < `${year + 1}-01-01` ? to : `${year + 1}-01-01`;
        if (end > start)
          fraction = fraction.plus(new Decimal(actualDays(start, end)).dividedBy(isLeap(year) ? 366 : 365));
      }
      return fraction;
    }
  }
}

/** The same day `months` later (or earlier), the month's last day when it has no such day (31 January + 1 month: 28 or 29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = parts(isoDate);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** Whether a day ends a calendar quarter (31 March, 30 June, 30 September, 31 December). */
export const isQuarterEnd = (isoDate: string): boolean =>
  ['03-31', '06-30', '09-30', '12-31'].includes(isoDate.slice(5));

/** The end of the quarter `quarters` after (or before) the quarter a day is in. */
export function quarterEndAfter(isoDate: string, quarters: number): string {
  const [year, month] = parts(isoDate);
  const lastMonthOfQuarter = Math.ceil(month / 3) * 3;
  return addMonths(`${String(year).padStart(4, '0')}-${String(lastMonthOfQuarter).padStart(2, '0')}-31`, 3 * quarters);
}

/** The first day of the quarter a day is in. */
export const quarterStartOf = (isoDate: string): string =>
  `${addMonths(quarterEndAfter(isoDate, 0), -2).slice(0, 8)}01`;
