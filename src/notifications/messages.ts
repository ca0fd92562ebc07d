/**
 * What the notifications module says to people, in French, in one place: each refusal of its services,
 * routes and schemas. Code and API speak English; these words are what a person reads.
 */
export const notificationsMessages = {
  notificationMissing: 'Cette notification est introuvable.',
  inboxTitle: 'Notifications',
  inboxLead: (shown: number) => `Les ${shown} plus récentes, de la plus récente à la plus ancienne.`,
  allFilter: 'Toutes',
  unreadFilter: 'Non lues',
  filterLabel: 'Afficher',
  empty: 'Aucune notification.',
  unread: 'non lue',
  markRead: 'Marquer comme lue',
  open: 'Ouvrir la page',
  receivedOn: (when: string) => `Reçue le ${when}`,
} as const;
