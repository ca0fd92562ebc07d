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
  invitationTitle: 'Invitation',
  invitationLead: (organisationName: string, email: string) =>
    `Vous êtes invité·e à suivre les dossiers de ${organisationName} sur milliard, avec l’adresse ${email}.`,
  choosePassword: (lengthMin: number) =>
    `Choisissez votre mot de passe : ${lengthMin} caractères au moins, difficile à deviner (une phrase de plusieurs mots convient).`,
  passwordLabel: 'Mot de passe',
  acceptButton: 'Accepter l’invitation',
  acceptedTitle: 'Invitation acceptée',
  accepted: (email: string) => `C’est fait : connectez-vous avec l’adresse ${email}.`,
  signIn: 'Se connecter',
} as const;
