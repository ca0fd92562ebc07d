const parisDay = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Paris, 'YYYY-MM-DD': the accounting day of a French fund. */
export const todayInParis = (now: Date = new Date()): string => parisDay.format(now);
