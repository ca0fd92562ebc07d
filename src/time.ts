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
/** "12 mars 2026" for a calendar date 'YYYY-MM-DD' (taken at noon, so no time zone moves it a day). */
export const formatFrenchDay = (isoDate: string): string => formatFrenchDate(new Date(`${isoDate}T12:00:00Z`));
