/**
 * What the committees module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const committeesMessages = {
  qualifiedMajorityAboveHalf: 'Une majorité qualifiée dépasse la moitié (ex. "0.6667").',
  thresholdOnlyQualified: 'Seule une majorité qualifiée a un seuil.',
  deadlineFormat: 'Échéance : date et heure ISO 8601 avec fuseau (ex. 2026-12-01T18:00:00+01:00).',
  describeConflict: 'Décrivez le conflit d’intérêts (il figurera au procès-verbal).',
  voteChoice: 'Vote : for, against ou abstain.',
  fundUnknown: 'Fonds inconnu.',
  committeeIdTaken: 'Un comité porte déjà cet identifiant.',
  personUnknown: 'Personne inconnue.',
  committeeMissing: 'Ce comité est introuvable.',
  onlyChairOpens: 'Seule la présidence du comité (ou un administrateur) ouvre un vote.',
  deadlineInPast: "L'échéance doit être dans le futur.",
  fileNotAtThisCommittee: "Ce dossier n'est pas présenté à ce comité.",
  fileNotAtCommittee: (step: string) => `Le dossier n'est pas présenté au comité (étape « ${step} »).`,
  voteAlreadyOpen: 'Un vote est déjà ouvert sur ce dossier.',
  ticketBounds: (ticketMin: string, ticketMax: string) => `Le ticket va de ${ticketMin} à ${ticketMax}.`,
  poolEndsBeforeDeadline: (endsOn: string) =>
    `Le pool n'engage plus après le ${endsOn} : fixez l'échéance du vote avant cette date, ou enregistrez d'abord l'avenant qui prolonge le pool.`,
  poolCannotFund: (available: string, proposed: string, lacking: string) =>
    `Le pool ne peut pas financer ce ticket : il lui reste ${available}, dont ${proposed} déjà proposés au vote ; il manque ${lacking}.`,
  sessionMissing: 'Cette séance est introuvable.',
  declarationFinal: 'Votre déclaration est déjà enregistrée ; elle ne se modifie pas.',
  declareFirst: "Déclarez d'abord vos éventuels conflits d'intérêts.",
  recused: "Vous vous êtes déporté·e pour conflit d'intérêts : vous ne votez pas sur ce dossier.",
  votingClosed: "L'échéance du vote est passée.",
} as const;
