import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route';
import { inbox, markRead } from './service';

export const notificationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/me/notifications',
    summary: 'Ma boîte de réception : ce qui est arrivé à mes dossiers et votes',
    tag: 'notifications',
    access: 'signed-in',
    query: z.strictObject({ unread: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    handler: async ({ app, query, principal }) => ({ body: { notifications: await inbox(app.db, principal!.userId, { unreadOnly: query.unread === 'true', limit: query.limit }) } }),
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
      await markRead(app.db, principal!.userId, params.notificationId);
      return { status: 204 };
    },
  }),
];
