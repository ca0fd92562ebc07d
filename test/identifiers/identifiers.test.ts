import fc from 'fast-check';
import { isValidBic, isValidIban, normaliseIban } from '../../src/identifiers/bank-account';
import { isValidSiren, isValidSiret, passesLuhn } from '../../src/identifiers/luhn';
import { isValidRna } from '../../src/identifiers/rna';

it('checks SIREN and SIRET with the Luhn key', () => {
  expect(isValidSiren('812345676')).toBe(true);
  expect(isValidSiren('812345677')).toBe(false);
  expect(isValidSiren('81234567')).toBe(false);
  const siret = ['00010', '00011', '00012', '00013', '00014', '00015', '00016', '00017', '00018', '00019']
    .map((nic) => `812345676${nic}`)
    .find(passesLuhn)!;
  expect(isValidSiret(siret)).toBe(true);
  expect(isValidSiret(`${siret.slice(0, 13)}${(Number(siret[13]) + 1) % 10}`)).toBe(false);
});

it("checks La Poste's SIRETs by the sum of their digits, not by Luhn", () => {
  // 3+5+6+5+2+1+3+5 = 30, a multiple of 5; the Luhn key would refuse it.
  expect(passesLuhn('35600000052135')).toBe(false);
  expect(isValidSiret('35600000052135')).toBe(true);
  expect(isValidSiret('35600000052136')).toBe(false);
});

it('detects any single-digit change in a valid SIREN', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (position, shift) => {
      const changed = [...'812345676']
        .map((digit, index) => (index === position ? String((Number(digit) + shift) % 10) : digit))
        .join('');
      return !isValidSiren(changed);
    }),
  );
});

it('checks RNA numbers: W, a prefecture code, six digits', () => {
  for (const rna of ['W751234567', 'W2A1002345', 'W9M1001234']) expect(isValidRna(rna)).toBe(true);
  for (const rna of ['751234567', 'W75123456', 'W7512345678', 'w751234567', 'W75123456A'])
    expect(isValidRna(rna)).toBe(false);
});

it('checks IBAN (mod 97) and BIC, keeping IBANs without spaces', () => {
  expect(isValidIban('FR76 3000 6000 0112 3456 7890 189')).toBe(true);
  expect(normaliseIban('fr76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
  expect(isValidIban('FR76 3000 6000 0112 3456 7890 188')).toBe(false);
  expect(isValidIban('FR7630006000011234567890')).toBe(false);
  for (const bic of ['AGRIFRPP', 'agrifrppxxx', 'BNPAFRPPXXX']) expect(isValidBic(bic)).toBe(true);
  for (const bic of ['AGRIFRP', 'AGRI12PP', 'AGRIFRPPXX']) expect(isValidBic(bic)).toBe(false);
});
