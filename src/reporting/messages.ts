/**
 * What the reporting module says to people, in French, in one place: its
 * refusals, the lines of a capital-account statement, its notices.
 */
export const reportingMessages = {
  quarterNotOver: (quarterEnd: string) =>
    `Le trimestre qui finit le ${quarterEnd} n’est pas terminé : il se clôt ensuite.`,
  quarterClosed: (quarterEnd: string) => `Le trimestre au ${quarterEnd} est déjà clos.`,
  quarterNotClosed: (quarterEnd: string) => `Le trimestre au ${quarterEnd} n’est pas clos.`,
  previousQuarterOpen: (previous: string) =>
    `Les trimestres se closent dans l’ordre : clôturez d’abord celui au ${previous}.`,
  activityBefore: (startsOn: string) =>
    `Le fonds avait déjà un actif net avant le ${startsOn} : clôturez d’abord le trimestre de ses premiers mouvements.`,
  valuationsMissing: (names: readonly string[]) =>
    `Chaque investissement se valorise à la fin du trimestre avant la clôture ; il manque la valorisation approuvée de : ${names.join(', ')}.`,
  identitiesBroken: (problems: readonly string[]) =>
    `Les comptes de capital ne tombent pas juste, le trimestre n’est pas clos : ${problems.join(' ; ')}.`,
  closedReason: (quarterEnd: string) => `Trimestre clos au ${quarterEnd} : valeurs liquidatives arrêtées`,
  reportStepBySameHands:
    'Chaque étape du rapport trimestriel revient à une personne qui n’a pris aucune des précédentes (préparation, revue, approbation).',
  statementMissing: 'Ce relevé est introuvable.',
  quarterEnd: 'Une fin de trimestre : 31 mars, 30 juin, 30 septembre ou 31 décembre (AAAA-MM-JJ).',
  statementPublished: (fund: string, quarter: string) => ({
    title: `Votre relevé trimestriel — ${fund}`,
    body: `Le relevé de votre compte de capital au ${quarter} est disponible dans votre espace investisseur.`,
  }),
  irrUndefined: {
    'too-few-flows': 'non défini (trop peu de flux)',
    'no-sign-change': 'non défini (aucun flux de sens contraire)',
    'no-root': 'non défini (aucun taux n’annule les flux)',
  } as Record<string, string>,
  performance: {
    paidIn: 'Apports (appelés)',
    distributed: 'Distribué',
    nav: 'Valeur liquidative',
    irr: 'TRI net (XIRR, valeur liquidative en dernier flux)',
    chart: 'Valeur liquidative et apports cumulés à chaque fin de trimestre',
  },
  instruments: {
    shares: 'Actions',
    bonds: 'Obligations',
    'participating-loan': 'Prêt participatif',
    'cooperative-shares': 'Parts sociales',
    'participating-securities': 'Titres participatifs',
    'associative-securities': 'Titres associatifs',
  } as Record<string, string>,
  lines: {
    beginning: 'Valeur liquidative d’ouverture',
    contributions: 'Appels de fonds (apports)',
    distributions: 'Distributions',
    managementFees: 'Frais de gestion (bruts)',
    feeOffsets: 'Réductions et compensations de frais de gestion',
    fundExpenses: 'Frais du fonds',
    internalChargebacks: 'Refacturations internes de la société de gestion',
    income: 'Revenus (intérêts, dividendes)',
    realisedGains: 'Plus ou moins-values réalisées',
    unrealisedGains: 'Variation des plus ou moins-values latentes',
    other: 'Autres (primes de souscription)',
    ending: 'Valeur liquidative de clôture',
  } as Record<string, string>,
} as const;
