import { defineRoute, type AnyRoute } from '../http/route';
import { apiTokenBody, apiTokenParams, loginBody, newUserBody } from './schema';
import { createApiToken, createUser, getUser, listApiTokens, listUsers, logIn, logOut, revokeApiToken } from './service';

export const sessionCookieName = 'milliard_session';

export const identityRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Se connecter (ouvre une session par cookie httpOnly)',
    tag: 'identity',
    access: 'public',
    body: loginBody,
    handler: async ({ app, body, response }) => {
      const { token, principal, expiresAt } = await logIn(app.db, body.email, body.password, app.config.sessionTtlHours);
      response.cookie(sessionCookieName, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.cookieSecure,
        expires: expiresAt,
        path: '/',
      });
      return { body: { user: await getUser(app.db, principal.userId), expiresAt } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Se déconnecter',
    tag: 'identity',
    access: 'signed-in',
    response: { status: 204, description: 'Session fermée' },
    handler: async ({ app, request, response }) => {
      const token = request.cookies?.[sessionCookieName];
      if (token) await logOut(app.db, token);
      response.clearCookie(sessionCookieName, { path: '/' });
      return {};
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me',
    summary: 'Qui suis-je, avec quels rôles',
    tag: 'identity',
    access: 'signed-in',
    handler: async ({ app, principal }) => ({ body: { user: await getUser(app.db, principal!.userId), via: principal!.via } }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/api-tokens',
    summary: "Mes jetons d'API actifs (jamais leur valeur)",
    tag: 'identity',
    access: 'signed-in',
    handler: async ({ app, principal }) => ({ body: { apiTokens: await listApiTokens(app.db, principal!.userId) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/me/api-tokens',
    summary: "Créer un jeton d'API (sa valeur n'est montrée qu'ici, une fois)",
    tag: 'identity',
    access: 'signed-in',
    body: apiTokenBody,
    response: { status: 201, description: 'Jeton créé' },
    handler: async ({ app, principal, body }) => ({
      body: await app.db.transaction((trx) => createApiToken(trx, principal!, body.name, Math.min(body.expiresInDays ?? app.config.apiTokenTtlDays, app.config.apiTokenTtlDays))),
    }),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/me/api-tokens/{tokenId}',
    summary: "Révoquer un de mes jetons d'API",
    tag: 'identity',
    access: 'signed-in',
    params: apiTokenParams,
    response: { status: 204, description: 'Jeton révoqué' },
    handler: async ({ app, principal, params }) => {
      await revokeApiToken(app.db, principal!.userId, params.tokenId);
      return {};
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/users',
    summary: 'Comptes et rôles',
    tag: 'admin',
    access: { roles: [] },
    handler: async ({ app }) => ({ body: { users: await listUsers(app.db) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/users',
    summary: 'Créer un compte avec ses rôles',
    tag: 'admin',
    access: { roles: [] },
    body: newUserBody,
    response: { status: 201, description: 'Compte créé' },
    handler: async ({ app, body }) => ({ body: { user: await app.db.transaction((trx) => createUser(trx, body)) } }),
  }),
];
