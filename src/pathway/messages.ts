/**
 * What the pathway module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const pathwayMessages = {
  fileMissing: 'Ce dossier est introuvable.',
  amountNotNegative: 'Montant positif ou nul.',
  proposalStep: (steps: string) => `Étape : ${steps}.`,
  dateFormat: 'Date attendue au format AAAA-MM-JJ.',
  onlyBeneficiaryReports: 'Seule la structure bénéficiaire rend compte de son projet.',
  reportOnActiveGrant: 'Un compte rendu se rend sur une subvention active.',
  reportMissing: 'Ce compte rendu est introuvable.',
  projectType: (types: string) => `Type de projet : ${types}.`,
  projectEndsBeforeStart: 'La fin du projet suit son début.',
  askedAboveBudget: 'Le montant demandé ne dépasse pas le budget du projet.',
  toFill: 'À renseigner.',
  noEndowmentFund: 'Aucun fonds de dotation n’est configuré : le parcours ne peut pas s’ouvrir.',
  onlyTeamWritesNotes: "Seule l'équipe (référent, administrateurs, comité) écrit des notes internes.",
  fileClosed: 'Ce dossier est clos : il ne reçoit plus d’échanges.',
  proposalIncomplete: (missingLabels: string[]) =>
    `Il reste à compléter : ${missingLabels.join(', ')}. Complétez ${missingLabels.length > 1 ? 'ces parties' : 'cette partie'} avant d'envoyer la proposition.`,
  committeeOfOtherFund: 'Ce comité ne décide pas pour le fonds de ce dossier.',
  referentTakesForSelf:
    'Un référent prend en charge un dossier pour lui-même ; un administrateur peut le confier à un autre.',
  notAReferent: "Cette personne n'est pas référente.",
  rangeOrder: 'La fourchette va du plus petit au plus grand montant.',
  agreementBeingRendered: 'La convention est en cours de génération : réessayez dans un instant.',
  agreementNotLatest: "Ce n'est pas la dernière version de la convention : relisez-la avant de l'accepter.",
} as const;
