/**
 * RNA (répertoire national des associations): "W", the three-character code of
 * the prefecture that registered it (digits, or a letter for Corsica and some
 * overseas prefectures), then six digits.
 */
export const rnaPattern = /^W[0-9][0-9A-Z]{2}[0-9]{6}$/;

export const isValidRna = (rna: string): boolean => rnaPattern.test(rna);
