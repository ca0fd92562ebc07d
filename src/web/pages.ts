import express, { type Request, type Response, type Router } from 'express';
import { doubleCsrf } from 'csrf-csrf';
import type { VNode } from 'preact';
import type { AppContext } from '../context';
import { ForbiddenError, type FieldIssue } from '../errors';
import type { Principal } from '../identity/roles';
import { sessionTokenOf } from '../identity/routes';
import type { FormError } from './forms';
import { webMessages } from './messages';
import { sendPage } from './render';

/**
 * Pages: HTML from the server, on the same services and permissions as the API.
 * Forms post `application/x-www-form-urlencoded` (parsed here only: the JSON API
 * keeps refusing other bodies) and carry an anti-forgery token bound to the
 * session (csrf-csrf, double submit), checked on every page that is not a GET.
 */
type PageAccess = 'public' | 'signed-in';

export type PageContext<Access extends PageAccess = PageAccess> = {
  app: AppContext;
  request: Request;
  response: Response;
  /** A signed-in page always has one. */
  principal: Access extends 'signed-in' ? Principal : Principal | undefined;
  /** The token to put in every form of the page. */
  csrfToken: string;
  /** The posted form's fields, as typed. */
  form: Record<string, string>;
};

export type PageResult = { page: VNode; status?: number } | { redirect: string };

export type PageRoute<Access extends PageAccess = PageAccess> = {
  method: 'get' | 'post';
  path: string;
  /** `signed-in`: an anonymous visitor is sent to the login page, and back here once signed in. */
  access: Access;
  handler: (context: PageContext<Access>) => Promise<PageResult>;
};

/** Any page, its access checked before its handler runs (what `mountPages` holds). */
export type AnyPage = {
  method: 'get' | 'post';
  path: string;
  access: PageAccess;
  handler: (context: PageContext) => Promise<PageResult>;
};

export const definePage = <Access extends PageAccess>(route: PageRoute<Access>): AnyPage => route;

export const formBodySizeMax = '64kb';

export function mountPages(router: Router, app: AppContext, pages: readonly AnyPage[]): void {
  const csrf = doubleCsrf({
    getSecret: () => app.config.csrfSecret,
    // Bound to the session: a token taken from another session is refused. Before signing in, to none.
    getSessionIdentifier: (request) => sessionTokenOf(request) ?? '',
    cookieName: app.config.cookieSecure ? '__Host-milliard.csrf' : 'milliard_csrf',
    cookieOptions: { sameSite: 'strict', secure: app.config.cookieSecure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (request) => formFields(request.body)._csrf,
  });
  const forms = express.urlencoded({ extended: false, limit: formBodySizeMax, parameterLimit: 200 });
  for (const route of pages) {
    router[route.method](route.path, forms, async (request, response, next) => {
      try {
        if (route.method !== 'get' && !csrf.validateRequest(request)) throw new ForbiddenError(webMessages.formExpired);
        const principal = response.locals.principal as Principal | undefined;
        if (route.access === 'signed-in' && !principal) {
          response.redirect(303, `/connexion?suite=${encodeURIComponent(request.originalUrl)}`);
          return;
        }
        const result = await route.handler({
          app,
          request,
          response,
          principal,
          csrfToken: csrf.generateCsrfToken(request, response, { overwrite: route.method !== 'get' }),
          form: formFields(request.body),
        });
        if ('redirect' in result) response.redirect(303, result.redirect);
        else sendPage(response, result.page, result.status);
      } catch (error) {
        next(error);
      }
    });
  }
}

const formFields = (body: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );

/** The services' field issues, as the fields of a form (the first segment of the path names the field). */
export const formErrorsOf = (issues: FieldIssue[]): FormError[] =>
  issues.map((issue) => ({
    field: issue.path[0] === undefined ? undefined : String(issue.path[0]),
    message: issue.message,
  }));

/** Only a path of ours is a place to go back to after signing in. */
export const localPath = (candidate: unknown): string =>
  typeof candidate === 'string' && /^\/(?![/\\])/.test(candidate) ? candidate : '/';
