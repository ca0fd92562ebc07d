import { electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN } from 'ibantools';

/** IBAN (ISO 13616, mod 97) and BIC (ISO 9362) checks, by ibantools; IBANs are kept without spaces. */
export const normaliseIban = (iban: string): string => electronicFormatIBAN(iban) ?? '';
export const isValidIban = (iban: string): boolean => isValidIBAN(normaliseIban(iban));
export const isValidBic = (bic: string): boolean => isValidBIC(bic.trim().toUpperCase());
/** An IBAN of a country of the SEPA scheme: the only ones a SEPA credit transfer reaches. */
export const isSepaIban = (iban: string): boolean =>
  isValidIban(iban) && isSEPACountry(normaliseIban(iban).slice(0, 2));
