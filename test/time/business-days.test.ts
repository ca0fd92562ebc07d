import { addBusinessDays, businessDaysBetween, isBusinessDay } from '../../src/business-days';

/** French business days: weekends and public holidays (Easter Monday, Ascension, 14 July…) are not counted. */
it('knows the French public holidays, movable ones included, whatever the time zone', () => {
  for (const holiday of [
    '2026-01-01',
    '2026-04-06',
    '2026-05-01',
    '2026-05-08',
    '2026-05-14',
    '2026-05-25',
    '2026-07-14',
    '2026-08-15',
    '2026-11-11',
    '2026-12-25',
    '2027-03-29',
  ])
    expect([holiday, isBusinessDay(holiday)]).toEqual([holiday, false]);
  expect(isBusinessDay('2026-12-02')).toBe(true);
  expect(isBusinessDay('2026-12-05')).toBe(false);
  // Good Friday and St Stephen's Day are Alsace-Moselle's only.
  expect(isBusinessDay('2026-04-03')).toBe(true);
  expect(isBusinessDay('2026-12-28')).toBe(true);
});

it('counts ten business days of notice past weekends and holidays', () => {
  // From Friday 18 December 2026: Christmas and New Year's Day fall on Fridays.
  expect(addBusinessDays('2026-12-18', 10)).toBe('2027-01-05');
  expect(businessDaysBetween('2026-12-18', '2027-01-05')).toBe(10);
  expect(businessDaysBetween('2026-12-18', '2027-01-04')).toBe(9);
  // Ascension Thursday and Whit Monday 2026 within the span.
  expect(addBusinessDays('2026-05-11', 10)).toBe('2026-05-27');
  expect(businessDaysBetween('2026-05-27', '2026-05-11')).toBe(0);
});
