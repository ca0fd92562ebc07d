import { formatFrenchDate, formatFrenchDay, formatFrenchDateTime } from '../../src/time';

it('writes the first of a month "1er", as French does, and other days as numbers', () => {
  expect(formatFrenchDay('2026-12-01')).toBe('1er décembre 2026');
  expect(formatFrenchDay('2026-12-11')).toBe('11 décembre 2026');
  expect(formatFrenchDay('2026-03-12')).toBe('12 mars 2026');
  expect(formatFrenchDate(new Date('2026-06-30T23:30:00Z'))).toBe('1er juillet 2026');
  expect(formatFrenchDateTime(new Date('2026-01-01T09:05:00Z'))).toMatch(/^1er janvier 2026 à 10:05$/);
});
