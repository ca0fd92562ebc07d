import { add, dinero, EUR, isNegative, subtract, toSnapshot, type Dinero } from 'dinero.js/bigint';
import { ValidationError } from '../errors';
import { moneyMessages } from './messages';

/**
 * Money is EUR in integer minor units (cents), carried by dinero.js with a
 * bigint calculator so that no amount ever passes through a float.
 */
export type Money = Dinero<bigint>;

/** The largest amount we accept anywhere: under 10^15 €, far inside PostgreSQL's bigint. */
export const amountMaxMinor = 10n ** 17n - 1n;

export function euros(amountMinor: bigint): Money {
  if (amountMinor > amountMaxMinor || amountMinor < -amountMaxMinor) {
    throw new ValidationError([{ path: [], message: moneyMessages.amountOutOfBounds }]);
  }
  return dinero({ amount: amountMinor, currency: EUR });
}

export function minorUnits(money: Money): bigint {
  const { amount, scale } = toSnapshot(money);
  if (scale !== 2n) throw new Error(`Money with unexpected scale ${scale}`);
  return amount;
}

export const zero = (): Money => euros(0n);
export const sum = (amounts: readonly Money[]): Money => amounts.reduce((total, amount) => add(total, amount), zero());
export const minus = (left: Money, right: Money): Money => subtract(left, right);
export const isBelowZero = (money: Money): boolean => isNegative(money);

const apiAmountPattern = /^(0|[1-9]\d*)(?:\.(\d{1,2}))?$/;
const frenchAmountPattern = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d{1,2}))?(?:[ \u00a0\u202f]?€)?$/;

/**
 * Parses the API's amount strings ("1234.56", "12", "0.5"): never a number,
 * because JSON numbers arrive as floats.
 */
export function parseApiAmount(text: string): Money {
  return euros(parseWith(text, apiAmountPattern, '« 1234.56 »'));
}

/** Parses an amount as a French user writes it: « 1 234,56 € », « 1234,5 », « 12 ». */
export function parseFrenchAmount(text: string): Money {
  return euros(parseWith(text.trim(), frenchAmountPattern, '« 1 234,56 € »'));
}

export function amountRefusal(text: string, example: string): string | undefined {
  if (text.trim() === '') return 'Le montant est vide.';
  if (/^\s*-/.test(text)) return 'Un montant négatif est refusé ici.';
  if (/^\s*\d[\d.,]*\s*e[+-]?\d+\s*$/i.test(text))
    return 'La notation scientifique (1e3) est refusée : écrivez le montant en chiffres.';
  if (/nan|infinity/i.test(text)) return "Ce n'est pas un montant.";
  if (/[.,]\d{3,}$/.test(text.replace(/\s*€$/, ''))) return 'Au plus deux décimales (les centimes).';
  return `Montant illisible : écrivez-le comme ${example}.`;
}

function parseWith(text: string, pattern: RegExp, example: string): bigint {
  const match = pattern.exec(text);
  if (!match) {
    throw new ValidationError([{ path: [], message: amountRefusal(text, example) ?? 'Montant illisible.' }]);
  }
  const whole = match[1]!.replace(/[ \u00a0\u202f]/g, '');
  const cents = (match[2] ?? '').padEnd(2, '0');
  const amountMinor = BigInt(whole) * 100n + BigInt(cents);
  if (amountMinor > amountMaxMinor) {
    throw new ValidationError([{ path: [], message: moneyMessages.amountTooHigh }]);
  }
  return amountMinor;
}

/** "1234.56": the API's representation, exact. */
export function toApiAmount(money: Money): string {
  const amountMinor = minorUnits(money);
  const sign = amountMinor < 0n ? '-' : '';
  const absolute = amountMinor < 0n ? -amountMinor : amountMinor;
  return `${sign}${absolute / 100n}.${(absolute % 100n).toString().padStart(2, '0')}`;
}

/**
 * "1 234,56 €" for documents and screens. The thousands separator and the space
 * before € are no-break spaces so that an amount never wraps across lines.
 */
export function formatFrench(money: Money): string {
  const amountMinor = minorUnits(money);
  const sign = amountMinor < 0n ? '-' : '';
  const absolute = amountMinor < 0n ? -amountMinor : amountMinor;
  const grouped = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${sign}${grouped},${(absolute % 100n).toString().padStart(2, '0')}\u00a0€`;
}
