import fc from 'fast-check';
import { ValidationError } from '../../src/errors';
import {
  allocate,
  applyRate,
  euros,
  formatFrench,
  minorUnits,
  parseApiAmount,
  parseFrenchAmount,
  percent,
  rate,
  toApiAmount,
} from '../../src/money';

const nbsp = '\u00a0';

describe('parsing amounts from the API', () => {
  it.each([
    ['1234.56', 123456n],
    ['0', 0n],
    ['12', 1200n],
    ['0.5', 50n],
    ['999999999.99', 99999999999n],
  ])('reads %s as %p cents', (text, cents) => {
    expect(minorUnits(parseApiAmount(text))).toBe(cents);
  });

  it.each([
    ['-12.00', /négatif/],
    ['1.234', /deux décimales/],
    ['1e3', /scientifique/],
    ['2.5E-2', /scientifique/],
    // A word with an « e » in it is no exponent: it is unreadable, and said so.
    ['cent euros', /1234\.56/],
    ['NaN', /pas un montant/],
    ['', /vide/],
    ['  ', /vide/],
    ['12,50', /1234\.56/],
    ['01.00', /1234\.56/],
    ['Infinity', /pas un montant/],
    ['0x10', /1234\.56/],
  ])('refuses %p with a clear message', (text, message) => {
    expect(() => parseApiAmount(text)).toThrow(ValidationError);
    expect(() => parseApiAmount(text)).toThrow(message);
  });
});

describe('French amounts', () => {
  it.each([
    ['1 234,56 €', 123456n],
    [`1${nbsp}234,56${nbsp}€`, 123456n],
    ['1\u202f234\u202f567,8', 123456780n],
    ['12', 1200n],
    ['1234,5 €', 123450n],
  ])('reads %p', (text, cents) => {
    expect(minorUnits(parseFrenchAmount(text))).toBe(cents);
  });

  it.each(['-5,00 €', '1,234', '1.234,56', '1 23,00', 'abc', ''])('refuses %p', (text) => {
    expect(() => parseFrenchAmount(text)).toThrow(ValidationError);
  });

  it('formats with no-break spaces, a comma and the euro sign', () => {
    expect(formatFrench(euros(123456n))).toBe(`1${nbsp}234,56${nbsp}€`);
    expect(formatFrench(euros(5n))).toBe(`0,05${nbsp}€`);
    expect(formatFrench(euros(-100000000n))).toBe(`-1${nbsp}000${nbsp}000,00${nbsp}€`);
  });

  it('round-trips any amount through display and API strings', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (cents) => {
        expect(minorUnits(parseFrenchAmount(formatFrench(euros(cents))))).toBe(cents);
        expect(minorUnits(parseApiAmount(toApiAmount(euros(cents))))).toBe(cents);
      }),
    );
  });
});

describe('rates', () => {
  it('rounds half away from zero to the cent, as stated', () => {
    // 0.5 % of 1.01 € = 0.505 cent → 1 cent; of 0.99 € = 0.495 cent → 0 cent.
    expect(minorUnits(applyRate(euros(101n), percent('0.5')))).toBe(1n);
    expect(minorUnits(applyRate(euros(99n), percent('0.5')))).toBe(0n);
    expect(minorUnits(applyRate(euros(-101n), percent('0.5')))).toBe(-1n);
    // 66 % of 1 234,57 € = 814,8162 € → 814,82 €
    expect(minorUnits(applyRate(euros(123457n), percent(66)))).toBe(81482n);
  });

  it('never goes through a float (0.1 + 0.2 is exactly 0.3)', () => {
    expect(rate('0.1').plus('0.2').equals('0.3')).toBe(true);
  });

  it('refuses a rate that is not a finite number', () => {
    expect(() => rate('Infinity')).toThrow(RangeError);
    expect(() => rate('abc')).toThrow();
  });
});

describe('allocate', () => {
  const sumOf = (parts: ReturnType<typeof allocate>) => parts.reduce((total, part) => total + minorUnits(part), 0n);

  it('splits 50 / 30 / 20 % of 100 000,01 € exactly', () => {
    const parts = allocate(euros(10_000_001n), [50, 30, 20]).map(minorUnits);
    expect(parts).toEqual([5_000_001n, 3_000_000n, 2_000_000n]);
  });

  it('gives the leftover cents to the largest remainders, ties to the earlier part', () => {
    expect(allocate(euros(100n), [1, 1, 1]).map(minorUnits)).toEqual([34n, 33n, 33n]);
    expect(allocate(euros(200n), [1, 1, 1]).map(minorUnits)).toEqual([67n, 67n, 66n]);
    // Remainders: 10·1/6=1.66 → 1 (r .66), 10·2/6=3.33 → 3 (r .33), 10·3/6=5 → 5: the first gets the cent.
    expect(allocate(euros(10n), [1, 2, 3]).map(minorUnits)).toEqual([2n, 3n, 5n]);
  });

  it('accepts decimal weights without losing digits', () => {
    expect(allocate(euros(100n), ['33.333', '33.333', '33.334']).map(minorUnits)).toEqual([33n, 33n, 34n]);
  });

  it('keeps the sign of a negative total', () => {
    expect(allocate(euros(-100n), [1, 1, 1]).map(minorUnits)).toEqual([-34n, -33n, -33n]);
  });

  it('refuses no weights, all-zero weights and negative weights', () => {
    expect(() => allocate(euros(100n), [])).toThrow(RangeError);
    expect(() => allocate(euros(100n), [0, 0])).toThrow(RangeError);
    expect(() => allocate(euros(100n), [1, -1])).toThrow(RangeError);
  });

  it('always sums to the total, for any weights (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc
          .array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 50 })
          .filter((weights) => weights.some((weight) => weight > 0)),
        (totalMinor, weights) => {
          const parts = allocate(euros(totalMinor), weights);
          expect(parts).toHaveLength(weights.length);
          expect(sumOf(parts)).toBe(totalMinor);
          // A part never strays more than a cent from its exact share.
          const weightTotal = weights.reduce((total, weight) => total + BigInt(weight), 0n);
          parts.forEach((part, index) => {
            const exactTimesWeightTotal = totalMinor * BigInt(weights[index]!);
            const distance = minorUnits(part) * weightTotal - exactTimesWeightTotal;
            expect(distance < 0n ? -distance : distance).toBeLessThan(weightTotal);
          });
        },
      ),
    );
  });

  it('sums to the total with 10,000 parts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc
          .array(fc.nat({ max: 1000 }), { minLength: 10_000, maxLength: 10_000 })
          .filter((weights) => weights.some((weight) => weight > 0)),
        (totalMinor, weights) => {
          expect(sumOf(allocate(euros(totalMinor), weights))).toBe(totalMinor);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('is deterministic', () => {
    const weights = Array.from({ length: 1000 }, (_, index) => (index * 7919) % 13);
    expect(allocate(euros(987_654_321n), weights).map(minorUnits)).toEqual(
      allocate(euros(987_654_321n), weights).map(minorUnits),
    );
  });
});
