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

/** What the organisation's page says, in French, in one place. */
/** The profile's fields as people name them: on its page and in a proposal's organisation step. */
export const organisationFieldLabels = {
  name: 'Nom',
  legalForm: 'Forme juridique',
  siren: 'SIREN',
  siret: 'SIRET',
  rna: 'Numéro RNA',
  esus: 'Agréée ESUS (entreprise solidaire d’utilité sociale)',
  esusApprovedOn: 'Agrément ESUS obtenu le',
  esusExpiresOn: 'Agrément ESUS valable jusqu’au',
  addressLine: 'Adresse',
  postalCode: 'Code postal',
  city: 'Ville',
  department: 'Département',
  region: 'Région',
  territory: 'Territoire',
  iban: 'IBAN',
  bic: 'BIC',
} as const;

export const organisationPageMessages = {
  trajectory: 'Sa trajectoire : ses dossiers et les investissements des fonds, en une seule histoire',
  title: (name: string) => `Structure — ${name}`,
  profileTitle: 'La fiche',
  profile: {
    legalForm: 'Forme juridique',
    siren: 'SIREN',
    rna: 'RNA',
    esus: 'Agrément ESUS',
    address: 'Adresse',
    territory: 'Territoire',
    bank: 'Compte bancaire (IBAN)',
  },
  legalForms: {
    association: 'association',
    scop: 'Scop',
    scic: 'SCIC',
    esus_company: 'entreprise ESUS',
    foundation: 'fondation',
    endowment_fund: 'fonds de dotation',
    other: 'autre',
  } as Record<string, string>,
  esusUntil: (date: string) => `oui, jusqu’au ${date}`,
  missingTitle: 'Ce que la fiche doit encore dire pour une proposition',
  complete: 'La fiche dit tout ce qu’une proposition demande.',
  completedWithProposal: 'La fiche se complète pas à pas avec la proposition d’un dossier.',
  peopleTitle: 'Les personnes',
  pendingInvitations: 'Invitations en attente',
  invitedOn: (email: string, date: string) => `${email}, invitée le ${date}`,
  inviteTitle: 'Inviter une personne',
  inviteName: 'Son nom',
  inviteEmail: 'Son adresse électronique',
  invite: 'Envoyer l’invitation',
  invited: (email: string) => `Invitation envoyée à ${email}.`,
  documentsTitle: 'Documents réutilisables',
  documentsLead: 'Statuts, comptes, budget : déposés une fois, repris par chaque dossier.',
  noDocument: 'Aucun document déposé.',
  documentsColumns: { kind: 'Sorte', name: 'Fichier', size: 'Taille', uploaded: 'Déposé le' },
  documentKinds: { statutes: 'statuts', accounts: 'comptes', budget: 'budget', other: 'autre' } as Record<
    string,
    string
  >,
  kilobytes: (size: number) => `${Math.max(1, Math.round(size / 1024))} Ko`,
  uploadTitle: 'Déposer un document',
  documentKind: 'Sorte de document',
  documentFile: 'Fichier (PDF, image ou bureautique, 10 Mo au plus)',
  upload: 'Déposer',
  fileMissing: 'Choisissez le fichier à déposer.',
  fileType: 'Ce fichier n’est ni un PDF, ni une image, ni un document bureautique.',
  filesTitle: 'Ses dossiers',
  missingField: (field: string) =>
    field === 'siren or rna'
      ? 'SIREN ou numéro RNA'
      : ((organisationFieldLabels as Record<string, string>)[field] ?? field),
  editProfile: 'Corriger ou compléter la fiche',
  saveProfile: 'Enregistrer la fiche',
  profileSaved: 'La fiche est enregistrée.',
  profileUnchanged: 'Rien n’a changé dans la fiche.',
  bankLegend: 'Compte bancaire',
  bankKept: (masked: string) =>
    `Compte actuel : ${masked}. Pour en changer, tapez le nouvel IBAN (et son BIC) ; laissé vide, il reste le même. Un changement est tracé et signalé aux trésoriers.`,
  bankNone: 'Aucun compte bancaire pour l’instant : il faudra l’IBAN pour recevoir un versement.',
} as const;
