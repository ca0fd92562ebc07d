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
  notAHalfYearEnd: 'Une fin de semestre : 30 juin ou 31 décembre (AAAA-MM-JJ).',
  assetsDoNotAddUp:
    'L’inventaire à sa valeur, les livres et l’actif net arrêté ne concordent pas : la composition de l’actif n’est pas produite.',
  assets: {
    portfolio: 'Portefeuille à sa valeur',
    cash: 'Disponibilités',
    receivables: 'Créances',
    payables: 'Dettes',
    netAssets: 'Actif net',
    unitClass: 'Parts',
    uncalled: 'Engagements des porteurs non appelés',
    undrawn: 'Investissements signés non décaissés',
    guarantees: 'Garanties données',
  },
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
    paidIn: 'Versé (appels, rattrapages, primes)',
    calledToDate: 'Apports appelés cumulés',
    distributed: 'Distribué',
    nav: 'Valeur liquidative',
    irr: 'TRI net (XIRR, valeur liquidative en dernier flux)',
    chart: 'Valeur liquidative et apports appelés cumulés à chaque fin de trimestre',
  },
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

/** The words of the reporting pages. */
export const reportingPageMessages = {
  quartersTitle: (fund: string) => `Trimestres — ${fund}`,
  nextQuarter: (date: string) => `Le prochain trimestre à clore : au ${date}`,
  noQuarterClosed: 'Aucun trimestre n’est encore clos.',
  quartersColumns: { quarterEnd: 'Trimestre au', netAssets: 'Actif net' },
  quarterTitle: (date: string) => `Trimestre au ${date}`,
  openLead:
    'Avant la clôture : chaque investissement se valorise (une autre personne approuve), puis les comptes de capital sont arrêtés et vérifiés contre les livres.',
  closedLead: 'Trimestre clos : ses chiffres sont arrêtés et ses mois fermés dans les livres.',
  valuationsTitle: 'Valorisations à la fin du trimestre',
  nothingToValue: 'Aucun investissement n’était décaissé à cette date.',
  valuationColumns: {
    investment: 'Investissement',
    state: 'Valorisation',
    value: 'Juste valeur',
    technique: 'Technique',
    action: 'À faire',
  },
  valuationMissing: 'à proposer',
  valuationStates: { proposed: 'proposée', approved: 'approuvée', rejected: 'refusée' } as Record<string, string>,
  approveValuation: 'Approuver',
  valuationForOthers: 'Proposée par vous : une autre personne l’approuve.',
  closeTitle: 'Clôture',
  closeButton: 'Clore le trimestre',
  reportTitle: 'Rapport trimestriel',
  reportStepForOthers: (step: string) =>
    `Prochaine étape : « ${step} », par une personne qui n’a pris aucune étape de ce rapport — pas vous.`,
  reportState: (state: string) => `Étape : ${state}.`,
  reportStates: { draft: 'brouillon', reviewed: 'revu', approved: 'approuvé', published: 'publié' } as Record<
    string,
    string
  >,
  reportButtons: { REVIEW: 'Marquer comme revu', APPROVE: 'Approuver', PUBLISH: 'Publier les relevés' } as Record<
    string,
    string
  >,
  statementOf: (investor: string) => `Relevé de ${investor} (PDF)`,
  fundTitle: 'Le fonds',
  line: 'Ligne',
  amount: 'Montant',
  classesTitle: 'Valeur liquidative par catégorie de parts',
  classColumns: { classCode: 'Parts', units: 'Nombre', nav: 'Valeur liquidative', perUnit: 'Par part' },
  positionsTitle: 'Comptes de capital des porteurs',
  positionColumns: {
    investor: 'Porteur',
    classCode: 'Parts',
    beginning: 'Ouverture',
    contributions: 'Apports',
    distributions: 'Distributions',
    ending: 'Clôture',
    unfunded: 'Non appelé',
  },
  performanceTitle: 'Performance depuis l’origine',
  fundNet: 'Le fonds (net)',
  grossLine: (irr: string, moic: string) => `Le portefeuille (brut des frais du fonds) : TRI ${irr}, multiple ${moic}.`,
  performanceColumns: {
    who: 'Porteur',
    paidIn: 'Versé',
    distributed: 'Distribué',
    nav: 'Valeur liquidative',
    dpi: 'DPI',
    tvpi: 'TVPI',
    irr: 'TRI net',
  },
  assetsTitle: (fund: string) => `Composition de l’actif — ${fund}`,
  assetsLead:
    'Chaque semestre clos (30 juin, 31 décembre), la composition de l’actif est due huit semaines après (CMF L214-24-49) : inventaire, actif net, parts et valeurs liquidatives, engagements hors bilan.',
  noHalfYear: 'Aucune fin de semestre n’est encore close.',
  assetsColumns: { halfYearEnd: 'Semestre au', dueOn: 'À produire avant le', pdf: 'PDF', csv: 'CSV' },
  overdue: 'en retard',
  produce: 'Produire le PDF',
  producedPdf: 'PDF produit',
  csv: 'Télécharger le CSV',
  statementsTitle: 'Mes relevés trimestriels',
  statementsLead:
    'Le relevé de compte de capital de chaque trimestre clos, pour chaque porteur dont vous êtes le contact.',
  noStatement: 'Aucun relevé publié pour l’instant.',
  statementColumns: { quarterEnd: 'Trimestre au', investor: 'Porteur', document: 'Relevé' },
  download: 'Télécharger (PDF)',
  statementTitle: (investor: string, date: string) => `Relevé de ${investor} au ${date}`,
  capitalAccountTitle: 'Compte de capital',
  capitalAccountColumns: { line: 'Ligne', quarter: 'Trimestre', year: 'Année', inception: 'Depuis l’origine' },
  commitment: 'Engagement',
  unfundedBeginning: 'Non appelé en début de période',
  unfundedEnding: 'Non appelé en fin de période',
  yoursAndFund: { measure: 'Depuis l’origine', yours: 'Votre part', fund: 'Le fonds (net)' },
  portfolioTitle: 'Le portefeuille',
  portfolioColumns: {
    name: 'Investissement',
    instrument: 'Instrument',
    cost: 'Coût',
    value: 'Valeur',
    moic: 'Multiple',
  },
  historyColumns: { quarterEnd: 'Trimestre au', nav: 'Valeur liquidative', paidIn: 'Apports appelés cumulés' },
} as const;
