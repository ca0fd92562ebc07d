/**
 * What the http module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const httpMessages = {
  jsonBodyExpected: 'Corps JSON attendu (Content-Type: application/json).',
  uploadTypes: (types: string) => `Types acceptés : ${types}.`,
  fileEmpty: 'Fichier vide.',
  bodyTooDeep: (depthMax: number) => `Données trop imbriquées (au plus ${depthMax} niveaux).`,
  controlCharacter: 'Caractère de contrôle ou caractère Unicode incomplet : retirez-le.',
  keyTwice: (key: string) => `Clé « ${key} » présente deux fois : ne la donnez qu’une fois.`,
  tooManyLogins: 'Trop de tentatives de connexion : réessayez dans quelques minutes.',
  crossSite: 'Requête refusée : elle vient d’un autre site que milliard.',
} as const;
