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
