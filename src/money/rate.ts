import Decimal from 'decimal.js';
import { euros, minorUnits, type Money } from './money';

/**
 * Rates and ratios (tax-reduction rates, coverage rates, fees, pro-rata shares)
 * are decimal.js values, never floats.
 *
 * Rounding rule: an amount computed from a rate is rounded to the cent, half away
 * from zero (decimal.js ROUND_HALF_UP, « arrondi commercial »): 0,005 € → 0,01 €,
 * -0,005 € → -0,01 €. Splits that must add up to a whole use `allocate` instead.
 */
export const RateDecimal = Decimal.clone({
  precision: 50,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -30,
  toExpPos: 30,
});
export type Rate = InstanceType<typeof RateDecimal>;

export function rate(value: Decimal.Value): Rate {
  const parsed = new RateDecimal(value);
  if (!parsed.isFinite()) throw new RangeError(`Rate must be finite, got ${String(value)}`);
  return parsed;
}

/** "66 %" → 0.66 */
export function percent(value: Decimal.Value): Rate {
  return rate(value).dividedBy(100);
}

/** An amount in minor units computed with a rate, rounded to the cent by the rule above (half away from zero). */
export function roundedMinor(value: Decimal.Value): bigint {
  return BigInt(new Decimal(value).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
}

export function applyRate(money: Money, factor: Rate): Money {
  return euros(roundedMinor(new RateDecimal(minorUnits(money).toString()).times(factor)));
}
