import joursFeries from '@socialgouv/jours-feries';

/**
 * Business days in France: Monday to Friday, French public holidays excepted
 * (from @socialgouv/jours-feries; the Alsace-Moselle days are not counted).
 * Dates are calendar days as ISO strings (`2026-12-24`), as the fund's notices
 * state them.
 */
const holidaysByYear = new Map<number, Set<string>>();

/**
 * The library builds each holiday at local midnight and adds days in
 * milliseconds, so a date past a daylight-saving change may sit an hour early:
 * read it six hours on, the same calendar day either way.
 */
const calendarDay = (date: Date) => {
  const shifted = new Date(date.getTime() + 6 * 3_600_000);
  const month = String(shifted.getMonth() + 1).padStart(2, '0');
  const day = String(shifted.getDate()).padStart(2, '0');
  return `${shifted.getFullYear()}-${month}-${day}`;
};

function holidays(year: number): Set<string> {
  let days = holidaysByYear.get(year);
  if (!days) {
    days = new Set(Object.values(joursFeries(year)).map(calendarDay));
    holidaysByYear.set(year, days);
  }
  return days;
}

const utcDate = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);
const isoOf = (date: Date) => date.toISOString().slice(0, 10);

export function isBusinessDay(isoDate: string): boolean {
  const weekday = utcDate(isoDate).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

/** The day that many business days after this one (the day itself not counted). */
export function addBusinessDays(isoDate: string, days: number): string {
  const date = utcDate(isoDate);
  for (let counted = 0; counted < days;) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (isBusinessDay(isoOf(date))) counted += 1;
  }
  return isoOf(date);
}

/** How many business days come after `from`, up to and including `to` (0 when `to` is not after `from`). */
export function businessDaysBetween(from: string, to: string): number {
  let counted = 0;
  const date = utcDate(from);
  const end = utcDate(to);
  while (date < end) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (isBusinessDay(isoOf(date))) counted += 1;
  }
  return counted;
}
