import { randomBytes } from 'node:crypto';
import { generate } from 'iso-11649';

/** ISO 11649 structured creditor references ("RF" + mod-97 check digits), by iso-11649. */
const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A fresh reference for the payer to quote: ten characters drawn at random, without the easily misread I and O. */
export function newCreditorReference(): string {
  const body = [...randomBytes(10)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return generate(body);
}
