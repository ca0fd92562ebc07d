/**
 * What the portfolio module says to people, in French, in one place: each
 * refusal of its services, routes and schemas. Code and API speak English.
 */
export const portfolioMessages = {
  investmentMissing: 'Cet investissement est introuvable dans ce fonds.',
  investmentIdInvalid: 'Identifiant d’investissement invalide.',
  fileNotOfThisFund:
    'Un investissement part du dossier de la structure dans ce fonds : ce dossier est introuvable ou d’un autre fonds.',
  graceTooLong: 'Le différé d’amortissement laisse au moins une échéance qui rembourse.',
  termsOfAnotherInstrument: (instrument: string) =>
    `Les conditions décrivent un autre instrument que celui de l’investissement (${instrument}).`,
  aboveVote: (voted: string) => `Au-delà de ce que le comité a voté (${voted}).`,
  drawdownAboveTerms: (left: string) => `Ce tirage dépasse ce qui reste à décaisser selon les conditions (${left}).`,
  drawdownNumber: (expected: number) =>
    `Le prochain tirage porte le n° ${expected} : indiquez ce numéro (un même numéro rejoue le même tirage).`,
  drawdownTwice: 'Ce tirage existe déjà avec un autre montant.',
  notDisbursing: (state: string) =>
    `Un tirage se demande une fois la lettre d’intention signée, jusqu’au dernier (l’investissement est à l’étape « ${state} »).`,
  receiptKeyReused: "Cette clé d'idempotence a déjà servi pour une autre rentrée.",
  nothingHeld: (state: string) =>
    `Rien n’est encore investi ou l’investissement a pris fin (étape « ${state} ») : aucune rentrée ne s’y rapporte.`,
  receivedInFuture: 'Une rentrée se date au plus tard aujourd’hui.',
  repaymentAboveCarrying: (carrying: string) => `Un remboursement ne dépasse pas ce qui reste investi (${carrying}).`,
  nothingToEnd: 'Rien à comptabiliser : ni prix, ni valeur restant investie.',
  receiptLabels: {
    interest: 'intérêts reçus',
    dividend: 'dividendes et rémunérations reçus',
    repayment: 'remboursement reçu',
    sale: 'cession',
  } as Record<string, string>,
  writeOffLabel: 'passage en perte',
  writeOffReason: 'Dites en une phrase pourquoi l’investissement est passé en perte (3 caractères au moins).',
  nameRequired: 'Nommez l’investissement (3 caractères au moins).',
  abandonReason: 'Dites en une phrase pourquoi l’investissement est abandonné (3 caractères au moins).',
  dueDiligenceNote: 'Résumez la due diligence pour le comité (3 caractères au moins).',
  notAQuarterEnd: 'Une valorisation se fait à une fin de trimestre (31 mars, 30 juin, 30 septembre, 31 décembre).',
  technique:
    'Technique inconnue (recent-investment-price, multiples, industry-benchmarks, market-price, discounted-cash-flows, net-assets).',
  inputName: 'Nommez chaque donnée de la valorisation (3 caractères au moins).',
  inputValue: 'Donnez la valeur de chaque donnée de la valorisation.',
  inputsRequired: 'Une valorisation dit ses données (au moins une : multiple retenu, taux d’actualisation…).',
  calibrationNote:
    'La note de calibrage dit comment la valeur se rattache au prix de l’investissement (3 caractères au moins).',
  valuationIdInvalid: 'Identifiant de valorisation invalide.',
  valuationMissing: 'Cette valorisation est introuvable dans ce fonds.',
  rejectReason: 'Dites en une phrase pourquoi la valorisation est refusée (3 caractères au moins).',
  valuationApprovedByProposer:
    'Règle des quatre yeux : une autre personne que celle qui a proposé la valorisation l’approuve.',
  valuedInFuture: 'Une valorisation se fait à une fin de trimestre passée.',
  valuedBeforeDrawn: 'Rien n’était encore décaissé à cette date : il n’y a rien à valoriser.',
  valuedAfterEnd: 'L’investissement avait pris fin à cette date : il n’y a rien à valoriser.',
  valuationTwice: (state: string) =>
    `Une valorisation de l’investissement à cette date existe déjà (${state}) : refusez-la avant d’en proposer une autre.`,
  valuationBeforeLatest: (latest: string) =>
    `Une valorisation plus récente est déjà approuvée (au ${latest}) : les valorisations se suivent dans l’ordre.`,
  valuationStates: { proposed: 'proposée', approved: 'approuvée', rejected: 'refusée' } as Record<string, string>,
  valuationProposed: 'Valorisation proposée',
  revaluationLabel: (date: string) => `différence d’estimation au ${date}`,
  instrument:
    'Instrument inconnu (shares, bonds, participating-loan, cooperative-shares, participating-securities, associative-securities).',
} as const;

/** The instruments and states as people read them. */
export const portfolioWords = {
  instruments: {
    shares: 'actions',
    bonds: 'obligations',
    'participating-loan': 'prêt participatif',
    'cooperative-shares': 'parts sociales',
    'participating-securities': 'titres participatifs',
    'associative-securities': 'titres associatifs',
  } as Record<string, string>,
  states: {
    sourcing: 'repérage',
    'due-diligence': 'due diligence',
    committee: 'devant le comité',
    'term-sheet': 'lettre d’intention',
    disbursing: 'en décaissement',
    held: 'en portefeuille',
    exited: 'cédé',
    'written-off': 'passé en perte',
    declined: 'non retenu',
    abandoned: 'abandonné',
  } as Record<string, string>,
} as const;

/** What the portfolio's pages say. */
export const portfolioPageMessages = {
  valuationsTitle: 'Valorisations (IPEV)',
  noValuation: 'Aucune valorisation pour l’instant.',
  valuationColumns: {
    measuredOn: 'Au',
    technique: 'Technique',
    value: 'Juste valeur',
    state: 'État',
    proposedBy: 'Proposée par',
    revaluation: 'Écart passé',
  },
  techniques: {
    'recent-investment-price': 'Prix d’un investissement récent (calibré)',
    multiples: 'Multiples',
    'industry-benchmarks': 'Références sectorielles',
    'market-price': 'Prix de marché',
    'discounted-cash-flows': 'Flux actualisés',
    'net-assets': 'Actif net',
  } as Record<string, string>,
  proposeValuation: 'Proposer la valorisation',
  valuationFields: {
    measuredOn: 'Fin de trimestre',
    technique: 'Technique',
    value: 'Juste valeur',
    inputName: 'Donnée principale (ex. multiple retenu)',
    inputValue: 'Sa valeur',
    calibrationNote: 'Note de calibrage',
  },
  listTitle: (fund: string) => `Investissements — ${fund}`,
  noInvestment: 'Aucun investissement : l’équipe en ouvre un depuis le dossier d’une structure dans ce fonds.',
  listColumns: {
    name: 'Investissement',
    instrument: 'Instrument',
    state: 'Étape',
    sought: 'Recherché',
    approved: 'Voté',
  },
  notYet: '—',
  facts: {
    file: 'Dossier de la structure',
    instrument: 'Instrument',
    state: 'Étape',
    sought: 'Montant recherché',
    approved: 'Montant voté',
    invested: 'Montant investi (conditions)',
    drawn: 'Décaissé',
    termSheetSignedOn: 'Lettre d’intention signée le',
  },
  openFile: 'Ouvrir le dossier',
  termsTitle: 'Conditions',
  termLabels: {
    shares: 'Nombre de titres',
    pricePerShare: 'Prix par titre',
    nominalPerShare: 'Nominal par part',
    remunerationCap: 'Rémunération plafonnée à',
    principal: 'Principal',
    yearlyRate: 'Taux annuel',
    dayCount: 'Base de calcul des intérêts',
    periodMonths: 'Périodicité (mois)',
    periods: 'Échéances',
    gracePeriods: 'Échéances de différé',
    amortisation: 'Amortissement',
    variableShare: 'Part variable',
    variableBasis: 'Assiette de la part variable',
  } as Record<string, string>,
  amortisations: { bullet: 'in fine', linear: 'constant', annuity: 'échéances constantes' } as Record<string, string>,
  drawdownsTitle: 'Tirages',
  noDrawdown: 'Aucun tirage.',
  requestDrawdown: 'Demander le tirage au trésorier',
  drawdownAmount: (number: number) => `Montant du tirage n° ${number}`,
  receiptsTitle: 'Rentrées',
  noReceipt: 'Aucune rentrée.',
  receiptsColumns: { receivedOn: 'Reçu le', kind: 'Nature', amount: 'Montant' },
  receiptFields: { kind: 'Nature', amount: 'Montant reçu', receivedOn: 'Reçu le' },
  recordReceipt: 'Enregistrer la rentrée',
  endTitle: 'Sortie',
  endFields: { price: 'Prix de cession', soldOn: 'Cédé le', reason: 'Motif du passage en perte' },
  recordExit: 'Enregistrer la cession',
  recordWriteOff: 'Passer en perte',
  drawdownsColumns: { number: 'Tirage', requestedOn: 'Demandé le', amount: 'Montant', payment: 'Virement' },
  scheduleTitle: 'Échéancier',
  scheduleColumns: {
    number: 'Échéance',
    dueOn: 'Date',
    outstanding: 'Capital restant dû',
    interest: 'Intérêts',
    principal: 'Remboursement',
  },
  historyTitle: 'Historique',
  numbered: (number: number) => `n° ${number}`,
} as const;
