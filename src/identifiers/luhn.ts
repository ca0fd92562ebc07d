/** Luhn checksum over a string of digits, as INSEE uses for SIREN and SIRET. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    total += digit;
  }
  return total % 10 === 0;
}

export const isValidSiren = (siren: string): boolean => /^\d{9}$/.test(siren) && passesLuhn(siren);

/** La Poste's establishments outnumber what the Luhn key can tell apart: INSEE checks them by digit sum. */
const laPosteSiren = '356000000';

export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(laPosteSiren)) {
    return [...siret].reduce((total, digit) => total + Number(digit), 0) % 5 === 0;
  }
  return passesLuhn(siret);
}
