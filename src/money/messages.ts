/**
 * What the money module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const moneyMessages = {
  amountOutOfBounds: 'Montant hors des limites acceptées.',
  amountTooHigh: 'Montant trop élevé.',
  amountNotPositive: 'Le montant doit être supérieur à zéro.',
} as const;
