/**
 * What the FPCI module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const fpciMessages = {
  expenseInFuture: 'Un frais se date au plus tard aujourd’hui.',
  expenseLabels: {
    'management-fee': 'Frais de gestion',
    'management-fee-offset': 'Réduction de frais de gestion',
    'fund-expense': 'Frais du fonds',
    'internal-chargeback': 'Refacturation interne',
  } as Record<string, string>,
  expenseLabel: 'Dites ce que paie ce frais (3 caractères au moins).',
  notAUnitFund:
    'Ce fonds n’est pas un fonds de parts (FPCI ou fonds d’investissement) : il n’a ni porteurs ni closings.',
  fundMissing: 'Ce fonds est introuvable.',
  rulesMissing: 'Les règles de ce fonds ne sont pas encore établies : un administrateur les enregistre d’abord.',
  rulesBeforePrevious: (previous: string) =>
    `Une nouvelle version des règles prend effet au plus tôt le jour de la précédente (${previous}).`,
  shareFormat: 'Une part entre 0 et 1, en décimal avec au plus 6 décimales (ex. "0.02" pour 2 %).',
  classCode: 'Code de catégorie : une lettre majuscule, puis jusqu’à trois lettres ou chiffres (ex. "A", "B").',
  classCodesTwice: 'Deux catégories de parts portent le même code.',
  nominalPositive: 'La valeur nominale d’une part est un montant positif (ex. "100.00").',
  premiumScheduleOrder: 'Le barème de la prime de souscription va dans l’ordre des dates, sans date répétée.',
  carryClassMissing:
    'Un plancher de parts de carried interest demande une catégorie de parts réservée à l’équipe (holders "carry").',
  investorIdInvalid: 'Identifiant de porteur invalide.',
  closingIdInvalid: 'Identifiant de closing invalide.',
  ibanInvalid: 'IBAN invalide : vérifiez-le, sa clé de contrôle ne correspond pas.',
  ibanNotSepa: 'IBAN hors zone SEPA : le fonds ne paie que par virement SEPA.',
  investorMissing: 'Ce porteur de parts est introuvable dans ce fonds.',
  paymentMissing: 'Ce versement est introuvable.',
  interestPassedOn: (closingNumber: number) =>
    `Les intérêts d’égalisation du closing n° ${closingNumber} sont déjà reversés aux porteurs antérieurs : ce versement, qui en porte une part, ne s’annule plus ; une écriture de régularisation le corrige.`,
  subscriptionNothingOwed:
    'Cette souscription n’a ni rattrapage, ni intérêts d’égalisation, ni prime à verser (ou elle est inconnue).',
  sirenTaken: 'Un porteur de ce fonds a déjà ce SIREN.',
  legalPersonNeedsSiren: 'Une personne morale se reconnaît à son SIREN.',
  individualNeedsIdentity: 'Une personne physique se reconnaît à sa pièce d’identité (nature et numéro).',
  kycDates: 'Une vérification KYC a une date et une échéance postérieure.',
  eligibilityDetails:
    'Cette voie d’éligibilité se justifie : le critère rempli (RG AMF 423-49, 3°) ou le prestataire de services d’investissement.',
  closingMissing: 'Ce closing est introuvable dans ce fonds.',
  closingStillOpen: (number: number) =>
    `Le closing n° ${number} est encore ouvert : clôturez-le avant d’en ouvrir un autre.`,
  subscriptionPeriodOver: (date: string) => `La période de souscription a pris fin le ${date} : plus de closing.`,
  closingNotOpen: 'Ce closing ne prend plus de souscriptions : il est soumis ou clos.',
  classUnknown: (code: string, known: string) => `Catégorie de parts « ${code} » inconnue (catégories : ${known}).`,
  kycNotVerified: 'Le KYC de ce porteur n’est pas vérifié : pas de souscription avant.',
  kycExpired: (date: string) =>
    `Le KYC de ce porteur a expiré le ${date} : faites-le renouveler avant la souscription.`,
  notEligible: (amount: string) =>
    `Souscription refusée : un FPCI n’est ouvert qu’aux investisseurs de l’art. 423-49 du règlement général de l’AMF — investisseurs de l’art. L214-160 du CMF, souscription d’au moins 100 000 €, d’au moins 30 000 € avec l’un des critères de l’article, ou par un prestataire de services d’investissement (art. L533-13). Ce porteur n’a aucune voie enregistrée qui couvre ${amount}.`,
  ticket100kShort: (amount: string) =>
    `Souscription refusée : la voie « au moins 100 000 € » (RG AMF 423-49) ne couvre pas un engagement total de ${amount}.`,
  ticket30kShort: (amount: string) =>
    `Souscription refusée : la voie « au moins 30 000 € avec un critère » (RG AMF 423-49) ne couvre pas un engagement total de ${amount}.`,
  ticketBelowMinimum: (minimum: string) => `Le ticket minimum de ce fonds est ${minimum}.`,
  subscriptionTwice:
    'Ce porteur a déjà souscrit dans cette catégorie à ce closing : corrigez la souscription existante.',
  closedOnOutOfRange: (openedOn: string) => `Un closing se clôt entre son ouverture (${openedOn}) et aujourd’hui.`,
  subscribedClassChanged: (code: string) =>
    `Des parts ${code} sont souscrites : la catégorie garde son code et sa valeur nominale dans toute nouvelle version des règles.`,
  closingEmpty: 'Un closing sans souscription ne se clôt pas.',
  closingWhileCallPending: (number: number) =>
    `L’appel de fonds n° ${number} est en préparation : émettez-le ou annulez-le avant de clore ce closing (ses montants sont répartis sur les porteurs d’aujourd’hui, sans les nouvelles parts).`,
  carryBelowFloor: (carry: string, floor: string) =>
    `Les parts de carried interest (${carry}) sont sous le plancher de 1 % des souscriptions (0,5 % au-delà d’un milliard) : il en faut au moins ${floor} (CGI art. 150-0 A, II, 8).`,
  closingApprovedBySubmitter: 'Règle des quatre yeux : une autre personne que celle qui a soumis le closing le clôt.',
  callIdInvalid: 'Identifiant d’appel invalide.',
  weightFormat: 'Un poids positif en décimal (ex. "0.8" ou "80000.00").',
  purposeTwice: 'Chaque objet de l’appel ne figure qu’une fois.',
  weightsAllZero: 'Au moins un objet de l’appel a un poids positif.',
  callMissing: 'Cet appel de fonds est introuvable dans ce fonds.',
  callNotOnACent: (nominal: string) =>
    `Cette part de la valeur nominale (${nominal} € par part) ne tombe pas au centime : chaque part d’une catégorie est libérée du même montant, choisissez une part qui y tombe.`,
  callOverCommitment: (classCode: string, percent: string) =>
    `Appel refusé : les parts ${classCode} seraient appelées à ${percent} % de leur nominal, au-delà de l’engagement non appelé.`,
  nothingToCall: 'Aucune part souscrite (closing clos) dans les catégories appelées.',
  callApprovedByDrafter: 'Règle des quatre yeux : une autre personne que celle qui a préparé l’appel l’approuve.',
  noticeTooShort: (days: number, earliest: string) =>
    `Préavis trop court : ${days} jours ouvrés au moins entre l’émission et l’échéance (échéance au plus tôt le ${earliest}), sauf motif enregistré avec l’appel.`,
  callNotIssued: 'Cet appel n’est pas encore émis : aucun versement ne s’y rapporte.',
  callDueInThePast: (today: string) =>
    `L’échéance d’un appel ne précède pas son émission : le ${today} au plus tôt, même avec un préavis court motivé.`,
  idempotencyKeyReused: "Cette clé d'idempotence a déjà servi pour un autre versement.",
  receivedInFuture: 'Un versement se date du jour où il a été reçu : pas après aujourd’hui.',
  investorNotCalled: 'Ce porteur n’est pas appelé par cet appel.',
  overPayment: (remaining: string) => `Ce versement dépasse ce qui reste dû sur l’appel (${remaining}).`,
  distributionTooEarly: (date: string) =>
    `Pas de distribution avant la fin de la période de souscription (${date}) : le règlement du fonds ne le permet pas (CMF art. R214-75).`,
  nothingToDistribute: 'Aucune part souscrite (closing clos) dans les catégories distribuées.',
  incomeAboveGains:
    'Le revenu distribué dépasse ce qui, au-delà du remboursement du capital versé, revient aux porteurs.',
  distributionMissing: 'Cette distribution est introuvable dans ce fonds.',
  distributionIdInvalid: 'Identifiant de distribution invalide.',
  distributionApprovedByDrafter:
    'Règle des quatre yeux : une autre personne que celle qui a préparé la distribution l’approuve.',
  auditorReportMissing:
    'Cette distribution touche les parts de carried interest : le rapport spécial du commissaire aux comptes doit être enregistré avant (CMF art. R214-75).',
  auditorReportNotNeeded:
    'Cette distribution ne touche pas de parts à droits particuliers : aucun rapport spécial n’est demandé.',
} as const;

/** What a capital call is for, as its notice says it. */
export const callPurposeLabels = {
  investment: 'Investissements',
  'management-fee': 'Frais de gestion',
  'fund-expenses': 'Frais du fonds',
  'organisation-costs': 'Frais de constitution',
} as const;

/** What the investor's pages say, in French, in one place. */
export const fpciPageMessages = {
  title: 'Espace investisseur',
  lead: 'Pour chaque porteur de parts dont vous êtes le contact : son engagement, ce qui a été appelé et versé, ses appels de fonds et ses distributions.',
  noPosition:
    'Aucun porteur de parts ne vous a encore désigné comme contact : l’équipe du fonds le fait à la souscription.',
  positionTitle: (investor: string, fund: string) => `${investor} — ${fund}`,
  facts: {
    commitment: 'Engagement',
    called: 'Appelé',
    paid: 'Versé',
    uncalled: 'Non appelé',
    distributed: 'Distribué',
  },
  callsTitle: 'Appels de fonds',
  noCall: 'Aucun appel de fonds émis.',
  callsColumns: {
    number: 'Appel',
    dueOn: 'Échéance',
    due: 'Dû',
    paid: 'Versé',
    status: 'Où il en est',
    reference: 'Référence à indiquer',
    notice: 'Avis',
  },
  noticeLink: (number: number) => `Avis d’appel n° ${number} (PDF)`,
  noticePending: 'en préparation',
  distributionNoticeLink: (number: number) => `Avis de distribution n° ${number} (PDF)`,
  callStatuses: { paid: 'versé', 'partly-paid': 'versé en partie', unpaid: 'à verser', late: 'en retard' } as Record<
    string,
    string
  >,
  distributionsTitle: 'Distributions',
  noDistribution: 'Aucune distribution.',
  distributionsColumns: {
    number: 'Distribution',
    bookedOn: 'Date',
    repayment: 'Dont remboursement',
    total: 'Montant',
    notice: 'Avis',
  },
  numbered: (number: number) => `n° ${number}`,
  subscriptionsTitle: 'À verser sur vos souscriptions',
  subscriptionsLead:
    'Souscrire à un closing ultérieur, c’est verser aussitôt le rattrapage des appels déjà faits, les intérêts d’égalisation dus aux porteurs antérieurs si le règlement les prévoit, et la prime de souscription.',
  subscriptionsColumns: {
    closing: 'Closing',
    units: 'Parts',
    catchUp: 'Rattrapage',
    interest: 'Intérêts d’égalisation',
    premium: 'Prime',
    owed: 'À verser',
    paid: 'Versé',
    reference: 'Référence à indiquer',
  },
  unitsOfClass: (units: number, classCode: string) =>
    `${new Intl.NumberFormat('fr-FR').format(units)}\u00a0${classCode}`,
  equalisationTitle: 'Intérêts d’égalisation reçus',
  equalisationLead:
    'Les souscripteurs des closings ultérieurs vous versent, par le fonds, des intérêts sur leur rattrapage : le fonds vous les paie quand il les a tous reçus.',
  equalisationColumns: { closing: 'Closing', closedOn: 'Clos le', amount: 'Montant', status: 'Virement' },
  equalisationStatuses: {
    'awaiting-subscribers': 'attendu des souscripteurs',
    requested: 'à payer',
    'in-payment': 'en paiement',
    'in-batch': 'en paiement',
    sent: 'envoyé',
    paid: 'payé',
    returned: 'revenu : l’équipe vous contacte',
  } as Record<string, string>,
} as const;

/** What an investor's contacts are told when a notice is ready for them (in the app and by e-mail). */
export const fpciNoticeMessages = {
  callIssued: (number: number, dueOn: string) => ({
    title: `Appel de fonds n° ${number}`,
    body: `Un appel de fonds est émis : il est à verser au plus tard le ${dueOn}. Son avis, avec le montant, les coordonnées bancaires et la référence à indiquer, est dans votre espace investisseur.`,
  }),
  distributionBooked: (number: number) => ({
    title: `Distribution n° ${number}`,
    body: 'Une distribution est décidée : ce qui vous revient sera viré sur votre compte. Son avis, avec le détail (remboursement d’apport, revenus, plus-values), est dans votre espace investisseur.',
  }),
  contactAdded: (investor: string, fund: string) => ({
    title: `Vous suivez ${investor}`,
    body: `L’équipe de ${fund} vous a désigné contact de ${investor} : ses engagements, ses appels de fonds, ses distributions et leurs avis sont dans votre espace investisseur.`,
  }),
  /** The reason an account opened by the team exists, said in its first e-mail. */
  accountOpened: (investor: string, fund: string) =>
    `L’équipe de ${fund} vous a ouvert un compte sur milliard comme contact de ${investor}. Dans votre espace investisseur, vous suivrez ses engagements, ses appels de fonds (montant, échéance, référence à indiquer), ses distributions et leurs avis.`,
} as const;

/** What the fund team's pages say, in French, in one place. */
export const fpciTeamPageMessages = {
  sectionsTitle: 'Le fonds de parts',
  sections: {
    investors: 'Porteurs',
    closings: 'Closings',
    calls: 'Appels de fonds',
    distributions: 'Distributions',
    late: 'Retards',
    investments: 'Investissements',
    quarters: 'Trimestres',
    assets: 'Composition de l’actif',
  },
  investorsTitle: (fund: string) => `Porteurs de parts — ${fund}`,
  investorSearch: 'Nom du porteur',
  search: 'Chercher',
  noInvestor: 'Aucun porteur ne correspond.',
  investorsColumns: {
    name: 'Porteur',
    kind: 'Nature',
    kyc: 'KYC',
    eligibility: 'Éligibilité',
    commitment: 'Engagement',
  },
  kinds: { 'legal-person': 'personne morale', individual: 'personne physique' } as Record<string, string>,
  kycStatuses: { pending: 'à vérifier', verified: 'vérifié', refused: 'refusé' } as Record<string, string>,
  kycUntil: (date: string) => `jusqu’au ${date}`,
  eligibilityRoutes: {
    'professional-investor': 'investisseur de l’art. L214-160',
    'ticket-100k': 'souscription ≥ 100 000 €',
    'ticket-30k-criterion': 'souscription ≥ 30 000 € et un critère',
    'investment-service-provider': 'par un prestataire (L533-13)',
  } as Record<string, string>,
  noEligibility: 'aucune voie enregistrée',
  closingsTitle: (fund: string) => `Closings — ${fund}`,
  noClosing: 'Aucun closing.',
  closingsColumns: {
    number: 'Closing',
    state: 'État',
    openedOn: 'Ouvert le',
    closedOn: 'Clos le',
    subscriptions: 'Souscriptions',
    commitment: 'Engagement',
  },
  closingStates: { open: 'ouvert', submitted: 'soumis', closed: 'clos', cancelled: 'annulé' } as Record<string, string>,
  closingTitle: (number: number) => `Closing n° ${number}`,
  closingFacts: {
    state: 'État',
    openedOn: 'Ouvert le',
    closedOn: 'Clos le',
    commitment: 'Engagements',
    catchUp: 'Rattrapages',
    equalisationInterest: 'Intérêts d’égalisation',
    premium: 'Primes de souscription',
  },
  subscriptionsColumns: {
    investor: 'Porteur',
    units: 'Parts',
    commitment: 'Engagement',
    catchUp: 'Rattrapage',
    interest: 'Intérêts d’égalisation',
    premium: 'Prime',
    reference: 'Référence de versement',
  },
  equalisationTitle: 'Intérêts d’égalisation dus aux porteurs antérieurs',
  equalisationLead: (interest: string, collected: string) =>
    `${interest} dus par les souscripteurs de ce closing, ${collected} reçus : chaque part est virée quand tout est reçu.`,
  equalisationColumns: { investor: 'Porteur', amount: 'Part', payment: 'Virement' },
  awaitingSubscribers: 'attend les souscripteurs',
  callsTitle: (fund: string) => `Appels de fonds — ${fund}`,
  noCall: 'Aucun appel de fonds.',
  callsColumns: {
    number: 'Appel',
    state: 'État',
    dueOn: 'Échéance',
    issuedOn: 'Émis le',
    due: 'Appelé',
    paid: 'Versé',
  },
  callTitle: (number: number) => `Appel de fonds n° ${number}`,
  callFacts: {
    state: 'État',
    dueOn: 'Échéance',
    issuedOn: 'Émis le',
    due: 'Appelé',
    paid: 'Versé',
    outstanding: 'Reste dû',
  },
  callInvestorsColumns: {
    investor: 'Porteur',
    due: 'Dû',
    paid: 'Versé',
    outstanding: 'Reste dû',
    status: 'Où il en est',
    reference: 'Référence',
    interest: 'Intérêts de retard',
  },
  states: {
    draft: 'brouillon',
    approved: 'approuvé',
    issued: 'émis',
    booked: 'comptabilisée',
    cancelled: 'annulé',
  } as Record<string, string>,
  steps: {
    APPROVE: 'Approuver (seconde personne)',
    ISSUE: 'Émettre l’appel et ses avis',
    BOOK: 'Comptabiliser la distribution',
    CANCEL: 'Annuler',
  } as Record<string, string>,
  stepsTitle: 'Ce qui reste à faire',
  notYet: '—',
  distributionsTitle: (fund: string) => `Distributions — ${fund}`,
  noDistribution: 'Aucune distribution.',
  distributionsColumns: {
    number: 'Distribution',
    state: 'État',
    classes: 'Parts',
    amount: 'Montant',
    bookedOn: 'Comptabilisée le',
    report: 'Rapport du commissaire aux comptes',
  },
  reportAwaited: 'attendu',
  reportNone: '—',
  distributionTitle: (number: number) => `Distribution n° ${number}`,
  distributionInvestorsColumns: {
    investor: 'Porteur',
    classCode: 'Parts',
    repayment: 'Remboursement',
    income: 'Revenus',
    gain: 'Plus-values',
    total: 'Total',
    payment: 'Virement',
  },
  paymentStatuses: {
    requested: 'à payer',
    'in-payment': 'en paiement',
    'in-batch': 'dans un lot',
    sent: 'envoyé',
    paid: 'payé',
    returned: 'revenu',
  } as Record<string, string>,
  lateTitle: (fund: string) => `Retards de paiement — ${fund}`,
  lateLead: (date: string) =>
    `Les porteurs qui doivent encore sur un appel échu, au ${date}, avec les intérêts courus.`,
  noLate: 'Aucun retard : chaque appel échu est versé.',
  lateColumns: {
    investor: 'Porteur',
    call: 'Appel',
    dueOn: 'Échéance',
    outstanding: 'Reste dû',
    daysLate: 'Jours de retard',
    interest: 'Intérêts courus',
  },
  numbered: (number: number) => `n° ${number}`,
} as const;
