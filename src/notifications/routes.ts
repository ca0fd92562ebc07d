import { z } from 'zod';
import { timestamp } from '../http/answers';
import { defineRoute, type AnyRoute } from '../http/route';
import { setEmailChoice } from '../identity/service';
import { emailChoice, inbox, markRead } from './service';

const preferencesBody = z.strictObject({ email: z.enum(['all', 'important', 'none']) });
const inboxAnswer = z.strictObject({
  notifications: z.array(
    z.strictObject({
      id: z.uuid(),
      subjectType: z.string(),
      subjectId: z.string(),
      title: z.string(),
      body: z.string(),
      link: z.string().nullable(),
      createdAt: timestamp,
      readAt: timestamp.nullable(),
    }),
  ),
});

export const notificationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/me/notification-preferences',
    summary:
      'Ce que je reçois aussi par e-mail : tout (all), les décisions et ce qui m’est demandé (important), rien (none)',
    tag: 'notifications',
    access: 'signed-in',
    response: { status: 200, description: 'Le choix en vigueur', schema: preferencesBody },
    handler: async ({ app, principal }) => ({ body: { email: await emailChoice(app.db, principal.userId) } }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/me/notification-preferences',
    summary: 'Choisit ce que je reçois aussi par e-mail (la boîte de réception garde tout)',
    tag: 'notifications',
    access: 'signed-in',
    body: preferencesBody,
    response: { status: 200, description: 'Le choix enregistré', schema: preferencesBody },
    handler: async ({ app, principal, body }) => {
      await setEmailChoice(app.db, principal.userId, body.email);
      return { body };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/notifications',
    summary: 'Ma boîte de réception : ce qui est arrivé à mes dossiers et votes',
    tag: 'notifications',
    access: 'signed-in',
    query: z.strictObject({
      unread: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: { status: 200, description: 'Les notifications, les plus récentes d’abord', schema: inboxAnswer },
    handler: async ({ app, query, principal }) => ({
      body: {
        notifications: await inbox(app.db, principal.userId, {
          unreadOnly: query.unread === 'true',
          limit: query.limit,
        }),
      },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/me/notifications/{notificationId}/read',
    summary: 'Marque une notification comme lue',
    tag: 'notifications',
    access: 'signed-in',
    params: z.strictObject({ notificationId: z.uuid() }),
    response: { status: 204, description: 'Lue' },
    handler: async ({ app, params, principal }) => {
      await markRead(app.db, principal.userId, params.notificationId);
      return { status: 204 };
    },
  }),
];
