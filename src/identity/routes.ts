import type { Request, Response } from 'express';
import type { Config } from '../config';
import { defineRoute, type AnyRoute } from '../http/route';
import {
  apiTokenBody,
  apiTokenParams,
  apiTokensAnswer,
  endedSessionsAnswer,
  loginAnswer,
  loginBody,
  meAnswer,
  newApiTokenAnswer,
  newUserBody,
  passwordChangeBody,
  roleChangesAnswer,
  roleGrantBody,
  userEnvelopeAnswer,
  userParams,
  usersAnswer,
} from './schema';
import {
  changePassword,
  createApiToken,
  createUser,
  endAllSessions,
  getUser,
  listApiTokens,
  listUsers,
  logIn,
  logOut,
  revokeApiToken,
  setAccountDisabled,
} from './service';
import { grantRoleByAdmin, roleChangesOf, roleChangesShownMax, withdrawRoleByAdmin } from './role-grants';

export const sessionCookieName = 'milliard_session';

/** The session token a browser sent, if any (the cookies are read by `authenticate`). */
export const sessionTokenOf = (request: Request): string | undefined =>
  (request.cookies as Record<string, string> | undefined)?.[sessionCookieName];

/** The session's cookie: httpOnly, sent back only to our site, ending with the session. */
export function setSessionCookie(response: Response, config: Config, token: string, expiresAt: Date): void {
  response.cookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    expires: expiresAt,
    path: '/',
  });
}

export const identityRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/auth/login',
    summary: 'Se connecter (ouvre une session par cookie httpOnly)',
    tag: 'identity',
    access: 'public',
    body: loginBody,
    response: {
      status: 200,
      description: 'Session ouverte : la personne et la fin de la session',
      schema: loginAnswer,
    },
    handler: async ({ app, body, response }) => {
      const { token, principal, expiresAt } = await logIn(
        app.db,
        body.email,
        body.password,
        app.config.sessionTtlHours,
      );
      setSessionCookie(response, app.config, token, expiresAt);
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
    response: {
      status: 200,
      description: 'La personne connectée, ses rôles, et par quel moyen (session ou jeton)',
      schema: meAnswer,
    },
    handler: async ({ app, principal }) => ({
      body: { user: await getUser(app.db, principal.userId), via: principal.via },
    }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/me/password',
    summary:
      'Changer mon mot de passe (l’actuel requis ; le nouveau : 12 caractères au moins, difficile à deviner) ; mes autres sessions sont fermées',
    tag: 'identity',
    access: 'signed-in',
    body: passwordChangeBody,
    response: { status: 204, description: 'Mot de passe changé' },
    handler: async ({ app, principal, body, request }) => {
      await app.db.transaction((trx) => changePassword(trx, principal, body, request.cookies?.[sessionCookieName]));
      return {};
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/me/sessions',
    summary: 'Fermer toutes mes sessions, celle-ci comprise (appareil perdu, ordinateur partagé)',
    tag: 'identity',
    access: 'signed-in',
    response: { status: 200, description: 'Sessions fermées, avec leur nombre', schema: endedSessionsAnswer },
    handler: async ({ app, principal, response }) => {
      const ended = await endAllSessions(app.db, principal.userId);
      response.clearCookie(sessionCookieName, { path: '/' });
      return { body: { ended } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/api-tokens',
    summary: "Mes jetons d'API actifs (jamais leur valeur)",
    tag: 'identity',
    access: 'signed-in',
    response: { status: 200, description: 'Les jetons actifs', schema: apiTokensAnswer },
    handler: async ({ app, principal }) => ({ body: { apiTokens: await listApiTokens(app.db, principal.userId) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/me/api-tokens',
    summary: "Créer un jeton d'API (sa valeur n'est montrée qu'ici, une fois)",
    tag: 'identity',
    access: 'signed-in',
    body: apiTokenBody,
    response: { status: 201, description: 'Jeton créé', schema: newApiTokenAnswer },
    handler: async ({ app, principal, body }) => ({
      body: await app.db.transaction((trx) =>
        createApiToken(
          trx,
          principal,
          body.name,
          Math.min(body.expiresInDays ?? app.config.apiTokenTtlDays, app.config.apiTokenTtlDays),
        ),
      ),
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
      await revokeApiToken(app.db, principal.userId, params.tokenId);
      return {};
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/users',
    summary: 'Comptes et rôles',
    tag: 'admin',
    access: { roles: [] },
    response: { status: 200, description: 'Les comptes', schema: usersAnswer },
    handler: async ({ app }) => ({ body: { users: await listUsers(app.db) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/users',
    summary: 'Créer un compte avec ses rôles',
    tag: 'admin',
    access: { roles: [] },
    body: newUserBody,
    response: { status: 201, description: 'Compte créé', schema: userEnvelopeAnswer },
    handler: async ({ app, body, principal }) => ({
      body: { user: await app.db.transaction((trx) => createUser(trx, body, principal.userId)) },
    }),
  }),
  ...(
    [
      [
        'roles',
        'Donne un rôle à un compte existant (donné deux fois, tenu une fois) ; une place au comité se donne par le comité, une place dans une structure par son invitation',
        grantRoleByAdmin,
      ],
      [
        'roles/withdrawal',
        'Retire un rôle à un compte (jamais sa propre administration) ; il prend effet à la requête suivante de la personne',
        withdrawRoleByAdmin,
      ],
    ] as const
  ).map(([action, summary, change]) =>
    defineRoute({
      method: 'post',
      path: `/api/admin/users/{userId}/${action}`,
      summary,
      tag: 'admin',
      access: { roles: [] },
      params: userParams,
      body: roleGrantBody,
      response: { status: 200, description: 'Le compte, ses rôles', schema: userEnvelopeAnswer },
      handler: async ({ app, params, body, principal }) => ({
        body: {
          user: await app.db.transaction(async (trx) => {
            await change(trx, principal, params.userId, body);
            return getUser(trx, params.userId);
          }),
        },
      }),
    }),
  ),
  defineRoute({
    method: 'get',
    path: '/api/admin/users/{userId}/role-changes',
    summary: 'Les rôles donnés et retirés à un compte, par qui et quand, les plus récents d’abord',
    tag: 'admin',
    access: { roles: [] },
    params: userParams,
    response: { status: 200, description: 'Les changements de rôles', schema: roleChangesAnswer },
    handler: async ({ app, params }) => ({
      body: { changes: await roleChangesOf(app.db, params.userId, roleChangesShownMax) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/users/{userId}/disable',
    summary:
      'Désactiver un compte : ses sessions et jetons prennent fin, il ne peut plus se connecter ; son historique reste',
    tag: 'admin',
    access: { roles: [] },
    params: userParams,
    response: { status: 200, description: 'Le compte, désactivé', schema: userEnvelopeAnswer },
    handler: async ({ app, params, principal }) => ({
      body: { user: await app.db.transaction((trx) => setAccountDisabled(trx, principal, params.userId, true)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/users/{userId}/enable',
    summary: 'Réactiver un compte désactivé (la personne se connecte de nouveau ; ses anciens jetons restent révoqués)',
    tag: 'admin',
    access: { roles: [] },
    params: userParams,
    response: { status: 200, description: 'Le compte, réactivé', schema: userEnvelopeAnswer },
    handler: async ({ app, params, principal }) => ({
      body: { user: await app.db.transaction((trx) => setAccountDisabled(trx, principal, params.userId, false)) },
    }),
  }),
];
