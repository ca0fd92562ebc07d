import { toCardinal } from 'n2words/fr-FR';

/**
 * An amount in French words, as a tax receipt prints it (RULES.md §1):
 * "mille deux cent trente-quatre euros et cinquante-six centimes".
 */
export function amountInFrenchWords(amountMinor: bigint): string {
  if (amountMinor < 0n) throw new RangeError('A receipt amount is positive');
  const euros = amountMinor / 100n;
  const cents = amountMinor % 100n;
  const eurosWords = toCardinal(euros);
  // "un million d'euros", "deux milliards d'euros": de before the noun after million and milliard.
  const unit = euros <= 1n ? 'euro' : /(million|milliard)s?$/.test(eurosWords) ? 'd’euros' : 'euros';
  const eurosPart = `${eurosWords} ${unit}`;
  if (cents === 0n) return eurosPart;
  const centsPart = `${toCardinal(cents)} ${cents === 1n ? 'centime' : 'centimes'}`;
  return euros === 0n ? centsPart : `${eurosPart} et ${centsPart}`;
}
