/**
 * What the organisations module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const organisationsMessages = {
  legalFormUnknown: 'Forme juridique inconnue.',
  ibanInvalid: 'IBAN invalide (clé de contrôle ISO 13616).',
  siretNotOfSiren: 'Le SIRET doit commencer par le SIREN de la structure.',
  esusDateRequired: "Date d'agrément ESUS requise.",
  esusExpiryBeforeDate: "L'échéance de l'agrément suit sa date.",
  organisationMissing: 'Cette structure est introuvable.',
  alreadyMember: 'Cette personne fait déjà partie de la structure.',
  invitationUnusable: 'Cette invitation est inconnue, déjà utilisée ou expirée : demandez-en une nouvelle.',
  passwordTooShort: (lengthMin: number) => `Choisissez un mot de passe d'au moins ${lengthMin} caractères.`,
  contentNotOfType: (contentType: string) => `Le contenu ne correspond pas au type annoncé (${contentType}).`,
  fileMissing: 'Ce fichier est introuvable.',
  documentKind: (kinds: string) => `Nature du document : ${kinds}.`,
} as const;
