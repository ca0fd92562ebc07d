/** The roles as people name them. */
const roleNames: Record<string, string> = {
  admin: 'administration',
  treasurer: 'trésorerie',
  committee_member: 'comité',
  referent: 'référent',
  applicant: 'porteur de projet',
  donor: 'donateur',
  investor: 'investisseur',
  partner_lender: 'prêteur partenaire',
};
const scopeNames: Record<string, string> = { fund: 'un fonds', committee: 'un comité', organisation: 'une structure' };

/**
 * What the identity module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const identityMessages = {
  emailTaken: 'Un compte existe déjà avec cette adresse.',
  roleNeedsScope: (role: string, scopeType: string) =>
    `Le rôle « ${roleNames[role] ?? role} » porte sur ${scopeNames[scopeType] ?? scopeType} : indiquez lequel.`,
  roleWithoutScope: (role: string) =>
    `Le rôle « ${roleNames[role] ?? role} » ne porte sur aucun fonds, comité ni structure : laissez ce choix vide.`,
  fundUnknown: (fundId: string | null | undefined) => `Le fonds ${fundId} n'existe pas.`,
  userMissing: "Cet utilisateur n'existe pas.",
  roleNotHeld: 'Ce compte n’a pas ce rôle.',
  seatOnCommitteePage:
    'Une place au comité se donne et se retire sur la page du comité (Administration → Comités), qui dit aussi qui préside.',
  memberByInvitation:
    'Une personne rejoint une structure par l’invitation de la page de la structure : elle y accepte son rôle.',
  ownAdministration:
    'Vous ne pouvez pas retirer votre propre rôle d’administration : demandez-le à un autre administrateur.',
  wrongCredentials: 'Adresse ou mot de passe incorrect.',
  currentPasswordWrong: 'Mot de passe actuel incorrect.',
  newPasswordSame: 'Le nouveau mot de passe doit différer de l’actuel.',
  cannotDeactivateSelf: 'Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur.',
  tokenCannotMintTokens:
    "Un jeton d'API ne crée pas d'autres jetons : connectez-vous avec votre mot de passe pour en créer un.",
  tooManyTokens: (tokensMax: number) => `Au plus ${tokensMax} jetons actifs par personne : révoquez-en un.`,
  tokenMissing: "Ce jeton n'existe pas.",
  emailInvalid: 'Adresse électronique invalide.',
  loginTitle: 'Connexion',
  loginLead: 'Connectez-vous avec l’adresse électronique et le mot de passe de votre compte.',
  emailLabel: 'Adresse électronique',
  passwordLabel: 'Mot de passe',
  loginButton: 'Se connecter',
  resetUnusable: 'Ce lien est inconnu, déjà utilisé ou expiré : demandez-en un nouveau.',
  resetMailSubject: '[milliard] Choisir un nouveau mot de passe',
  resetMailText: (name: string, link: string, minutes: number) =>
    `Bonjour ${name},\n\nQuelqu’un (vous, sans doute) a demandé à changer le mot de passe de votre compte milliard.\n\nPour en choisir un nouveau (lien valable ${minutes} minutes, une seule fois), ouvrez :\n\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste le même.\n\n— opération Milliard\n`,
  openingMailSubject: '[milliard] Votre compte est ouvert : choisissez votre mot de passe',
  openingMailText: (name: string, note: string, link: string, days: number, email: string) =>
    `Bonjour ${name},\n\n${note}\n\nVotre identifiant est ${email}. Pour choisir votre mot de passe (lien valable ${days} jours, une seule fois), ouvrez :\n\n${link}\n\nPassé ce délai, « Mot de passe oublié ? » sur la page de connexion vous en envoie un nouveau.\n\n— opération Milliard\n`,
  forgotLink: 'Mot de passe oublié ?',
  forgotTitle: 'Mot de passe oublié',
  forgotLead:
    'Donnez l’adresse électronique de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.',
  forgotButton: 'Recevoir le lien',
  forgotSent: (minutes: number) =>
    `Si un compte existe à cette adresse, un e-mail vient de partir avec un lien valable ${minutes} minutes. Pensez à regarder dans les indésirables.`,
  newPasswordTitle: 'Nouveau mot de passe',
  newPasswordLead: (lengthMin: number) =>
    `Choisissez votre nouveau mot de passe : ${lengthMin} caractères au moins, difficile à deviner. Vos sessions ouvertes seront fermées.`,
  newPasswordButton: 'Enregistrer le mot de passe',
  passwordChanged: 'Votre mot de passe est changé : connectez-vous avec le nouveau.',
  openingPasswordTitle: 'Choisir votre mot de passe',
  openingPasswordLead: (lengthMin: number) =>
    `Votre compte est ouvert : choisissez son mot de passe — ${lengthMin} caractères au moins, difficile à deviner.`,
  openingPasswordSet: 'Votre mot de passe est enregistré : connectez-vous avec votre adresse et ce mot de passe.',
} as const;

/** What the accounts' administration page says, in French, in one place. */
export const identityAdminMessages = {
  usersTitle: 'Comptes et rôles',
  search: 'Nom ou adresse électronique',
  find: 'Chercher',
  noUser: 'Aucun compte ne correspond.',
  usersColumns: { name: 'Nom', email: 'Adresse', roles: 'Rôles', state: 'État', action: 'Action' },
  roleNames,
  scoped: (role: string, scope: string) => `${role} (${scope})`,
  active: 'actif',
  disabled: (date: string) => `désactivé le ${date}`,
  disable: (name: string) => `Désactiver le compte de ${name}`,
  enable: (name: string) => `Réactiver le compte de ${name}`,
  disableShort: 'Désactiver',
  enableShort: 'Réactiver',
  newUserTitle: 'Nouveau compte',
  newUserLead:
    'La personne choisit son mot de passe par « Mot de passe oublié » à sa première connexion. Un rôle de trésorerie porte sur un fonds, un rôle de comité sur un comité, un rôle de porteur sur une structure : indiquez son identifiant.',
  displayName: 'Nom affiché',
  email: 'Adresse électronique',
  role: 'Rôle',
  scopeId: 'Porte sur (identifiant du fonds, du comité ou de la structure)',
  createUser: 'Créer le compte',
  accountTitle: (name: string) => `Compte de ${name}`,
  backToUsers: 'Retour aux comptes',
  createdAt: 'Créé le',
  rolesTitle: 'Rôles tenus',
  noRole: 'Aucun rôle : la personne se connecte mais ne voit rien.',
  rolesColumns: { role: 'Rôle', action: 'Action' },
  withdraw: (role: string) => `Retirer le rôle ${role}`,
  seatOnCommittee: (committee: string) => `Sa place au comité ${committee} se change sur la page du comité`,
  grantTitle: 'Donner un rôle',
  grantLead:
    'Il prend effet dès la prochaine page que la personne ouvre. Une place au comité se donne sur la page du comité ; une place dans une structure, par l’invitation de la structure.',
  fundScope: 'Fonds (pour la trésorerie et l’investissement)',
  noScope: 'aucun (rôle sans fonds)',
  grant: 'Donner le rôle',
  changesTitle: 'Historique des rôles',
  noChange: 'Aucun changement de rôle enregistré.',
  changesColumns: { at: 'Quand', change: 'Changement', role: 'Rôle', by: 'Par' },
  changeNames: { granted: 'donné', withdrawn: 'retiré' } as Record<string, string>,
  bySystem: 'le système (données de départ, invitation)',
} as const;
