/**
 * What the identity module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const identityMessages = {
  emailTaken: 'Un compte existe déjà avec cette adresse.',
  roleNeedsScope: (role: string, scopeType: string) => `Le rôle ${role} se donne sur un périmètre (${scopeType}).`,
  roleWithoutScope: (role: string) => `Le rôle ${role} ne prend pas de périmètre.`,
  fundUnknown: (fundId: string | null | undefined) => `Le fonds ${fundId} n'existe pas.`,
  userMissing: "Cet utilisateur n'existe pas.",
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
} as const;
