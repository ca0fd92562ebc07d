import { parse as parseCookies } from 'cookie';
import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context';
import { principalFromApiToken, principalFromSession } from '../identity/service';
import { sessionCookieName } from '../identity/routes';

/**
 * Finds who is calling: a session cookie (people in a browser) or a bearer
 * token (integrations). No credential, or a wrong one, leaves the request
 * anonymous; each route then decides whether that is enough.
 */
export function authenticate(app: AppContext) {
  return async (request: Request, response: Response, next: NextFunction): Promise<void> => {
    request.cookies = parseCookies(request.headers.cookie ?? '');
    const bearer = /^Bearer ([\w-]{10,200})$/.exec(request.get('Authorization') ?? '')?.[1];
    const sessionToken = request.cookies[sessionCookieName];
    if (bearer) response.locals.principal = await principalFromApiToken(app.db, bearer);
    else if (sessionToken && sessionToken.length <= 200)
      response.locals.principal = await principalFromSession(app.db, sessionToken);
    next();
  };
}
