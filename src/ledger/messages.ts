import { formatFrenchDay } from '../time';

/**
 * What the ledger says to people, in French, in one place: each refusal of the
 * ledger's services, routes, schemas and database guards. Code and API speak
 * English; these words are what a person reads.
 */
export const ledgerMessages = {
  fundMissing: "Ce fonds n'existe pas.",
  accountMissing: (code: string) => `Le compte ${code} n'existe pas dans ce fonds.`,
  journalMissing: (code: string) => `Le journal ${code} n'existe pas.`,
  entryMissing: "Cette écriture n'existe pas dans ce fonds.",
  tooFewLines: 'Une écriture a au moins deux lignes.',
  tooManyLines: (max: number) => `Au plus ${max} lignes par écriture.`,
  zeroLine: 'Une ligne à zéro ne dit rien : retirez-la.',
  amountOutOfBounds: 'Montant hors des limites acceptées.',
  unbalanced: "L'écriture n'est pas équilibrée : le total des débits doit égaler celui des crédits.",
  debitOrCredit: 'Chaque ligne porte soit un débit, soit un crédit.',
  idempotencyKeyReused: "Cette clé d'idempotence a déjà servi pour une autre écriture.",
  openingNotReversible: "Une écriture d'à-nouveaux ne se contre-passe pas : elle découle de la clôture.",
  alreadyReversed: 'Cette écriture a déjà été contre-passée.',
  tooManyInBulk: (max: number) => `Au plus ${max} écritures par lot.`,
  bulkOneFund: "Un lot ne concerne qu'un seul fonds.",
  sirenInvalid: (siren: string) => `SIREN invalide : ${siren}`,
  closureMissing: "Cette clôture n'existe pas dans ce fonds.",
  alreadyReopened: 'Cette période a déjà été rouverte.',
  yearNotReopenable: (year: number) => `L'exercice ${year} est clos : il ne peut pas être rouvert.`,
  monthsOfClosedYear: (year: number) => `L'exercice ${year} est clos : ses mois ne peuvent pas être rouverts.`,
  yearAlreadyClosed: (year: number) => `L'exercice ${year} est déjà clos.`,
  previousYearOpen: (year: number) => `Clôturez d'abord l'exercice ${year}.`,
  periodAlreadyClosed: (kind: 'year' | 'month', startsOn: string) =>
    `Cette période est déjà close (${kind === 'year' ? 'exercice' : 'mois'} commençant le ${formatFrenchDay(startsOn)}).`,
  futureYear: 'Exercice futur.',
  dateFormat: 'Date attendue au format AAAA-MM-JJ.',
  accountFloor: 'Ce mouvement ferait passer un compte de trésorerie sous zéro.',
  balanceUnrepresentable:
    'Le solde du compte sortirait des montants représentables (au plus 999 999 999 999 999,99 €).',
  periodClosedConflict: 'Cette période est déjà close.',
} as const;
