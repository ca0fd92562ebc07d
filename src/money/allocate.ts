import Decimal from 'decimal.js';
import { euros, minorUnits, type Money } from './money';

export const allocationPartsMax = 100_000;

/**
 * Splits `total` into parts proportional to `weights`, exactly: the parts
 * always add up to the total, to the cent.
 *
 * Largest-remainder method: each part first gets the floor of its exact share;
 * the cents left over go one each to the parts with the largest remainders,
 * ties going to the earlier part, so the same input always gives the same split.
 */
export function allocate(total: Money, weights: readonly Decimal.Value[]): Money[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weights.length > allocationPartsMax) throw new RangeError(`allocate takes at most ${allocationPartsMax} parts`);
  const integerWeights = toIntegerWeights(weights);
  const weightTotal = integerWeights.reduce((accumulated, weight) => accumulated + weight, 0n);
  if (weightTotal === 0n) throw new RangeError('allocate needs at least one positive weight');

  const totalMinor = minorUnits(total);
  const sign = totalMinor < 0n ? -1n : 1n;
  const absoluteTotal = totalMinor * sign;
  const floors = integerWeights.map((weight) => (absoluteTotal * weight) / weightTotal);
  const remainders = integerWeights.map((weight) => (absoluteTotal * weight) % weightTotal);
  let leftover = absoluteTotal - floors.reduce((accumulated, part) => accumulated + part, 0n);

  const byLargestRemainder = remainders
    .map((remainder, index) => ({ remainder, index }))
    .sort((left, right) =>
      left.remainder === right.remainder ? left.index - right.index : left.remainder > right.remainder ? -1 : 1,
    );
  for (const { index } of byLargestRemainder) {
    if (leftover === 0n) break;
    floors[index]! += 1n;
    leftover -= 1n;
  }
  return floors.map((part) => euros(part * sign));
}

/** Scales decimal weights (e.g. 50 %, 33.333 %) to integers without losing any digit. */
function toIntegerWeights(weights: readonly Decimal.Value[]): bigint[] {
  const decimals = weights.map((weight) => {
    const value = new Decimal(weight);
    if (!value.isFinite() || value.isNegative())
      throw new RangeError(`allocate weights must be finite and not negative, got ${String(weight)}`);
    return value;
  });
  const scale = Math.max(...decimals.map((value) => value.decimalPlaces()));
  return decimals.map((value) => BigInt(value.times(new Decimal(10).pow(scale)).toFixed(0)));
}
