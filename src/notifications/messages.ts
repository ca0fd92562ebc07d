/**
 * What the notifications module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const notificationsMessages = {
  notificationMissing: 'Cette notification est introuvable.',
} as const;
