import type { AccountType } from './types';

/** Accounts every fund's books need, whatever its kind (plan comptable général). */
export const commonAccounts: [string, string, AccountType, boolean?][] = [
  ['110', 'Report à nouveau (solde créditeur)', 'equity'],
  ['119', 'Report à nouveau (solde débiteur)', 'equity'],
  ['120', "Résultat de l'exercice (excédent)", 'equity'],
  ['129', "Résultat de l'exercice (déficit)", 'equity'],
  ['401', 'Fournisseurs', 'liability'],
  ['512', 'Banques', 'asset', false],
  ['580', 'Virements internes', 'asset'],
  ['6226', 'Honoraires', 'expense'],
  ['627', 'Services bancaires et assimilés', 'expense'],
  ['768', 'Autres produits financiers', 'income'],
];

/** The result of the year lands on one of these in the opening entry of the next. */
/** The bank account of every fund (PCG 512): what the bank's statements are set against. */
export const bankAccountCode = '512';
/** Cash in hand (PCG 530). */
export const cashAccountCode = '530';
export const resultSurplusAccountCode = '120';
export const resultDeficitAccountCode = '129';
/** Balance-sheet classes and off-balance-sheet commitments (class 8) carry over to the next year. */
export const carriedForwardClasses = ['1', '2', '3', '4', '5', '8'];
export const resultClasses = ['6', '7'];
