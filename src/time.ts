const parisDay = new Intl.DateTimeFormat('fr-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Paris, 'YYYY-MM-DD': the accounting day of a French fund. */
export const todayInParis = (now: Date = new Date()): string => parisDay.format(now);

const frenchDate = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const frenchDateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** The first of a month is written "1er" in French ("1er décembre 2026"), which Intl does not do. */
const firstOfMonth = (text: string): string => text.replace(/^1 /, '1er ');

/** "25 novembre 2026", "1er décembre 2026", as the day was in Paris: for documents. */
export const formatFrenchDate = (date: Date): string => firstOfMonth(frenchDate.format(date));
/** "25 novembre 2026 à 17:04" (Paris time). */
export const formatFrenchDateTime = (date: Date): string => firstOfMonth(frenchDateTime.format(date));
const frenchShortMonth = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', month: 'short', year: 'numeric' });
/** « mars 2026 », « janv. 2026 » for a month 'YYYY-MM' (a chart's axis). */
export const shownMonth = (isoMonth: string): string => frenchShortMonth.format(new Date(`${isoMonth}-15T12:00:00Z`));
/** "12 mars 2026" for a calendar date 'YYYY-MM-DD' (taken at noon, so no time zone moves it a day). */
export const formatFrenchDay = (isoDate: string): string => formatFrenchDate(new Date(`${isoDate}T12:00:00Z`));

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Paris is ahead of UTC at that instant, in milliseconds (one or two hours, by daylight saving). */
function parisOffsetMs(instant: Date): number {
  const part = (type: string) =>
    Number(parisParts.formatToParts(instant).find((candidate) => candidate.type === type)!.value);
  const asIfUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return asIfUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * A wall-clock time in Paris as people type it in a form ('2026-12-09T18:00')
 * to the instant it names; undefined when it is not one.
 */
export function parisWallClockToInstant(local: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute] = match.map(Number) as [number, number, number, number, number, number];
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(asIfUtc)) return undefined;
  const first = new Date(asIfUtc - parisOffsetMs(new Date(asIfUtc)));
  return new Date(asIfUtc - parisOffsetMs(first));
}

/** The instant as a Paris wall-clock time for a form's `datetime-local` input. */
export function parisWallClock(instant: Date): string {
  const shifted = new Date(instant.getTime() + parisOffsetMs(instant));
  return shifted.toISOString().slice(0, 16);
}
