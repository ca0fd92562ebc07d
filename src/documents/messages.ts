/**
 * What the documents module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const documentsMessages = {
  documentMissing: 'Ce document est introuvable.',
} as const;
