import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { DomainError, type FieldIssue } from '../errors';

/**
 * The one place where errors become HTTP answers: RFC 9457 problem details,
 * field by field for bad input, never a stack trace.
 */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId?: string;
  errors?: { pointer: string; message: string }[];
  [extension: string]: unknown;
};

/** "/body/lines/0/amount": where in the request the problem is (RFC 6901 pointer). */
const pointer = (path: FieldIssue['path']): string =>
  path.length === 0
    ? ''
    : `/${path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

type BodyParserError = { type?: string; status?: number };

const bodyParserProblems: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'malformed-json', "Le corps de la requête n'est pas du JSON valide."],
  'entity.too.large': [413, 'payload-too-large', 'Le corps de la requête est trop volumineux.'],
  'encoding.unsupported': [415, 'unsupported-encoding', 'Encodage du corps non pris en charge.'],
  'charset.unsupported': [415, 'unsupported-encoding', 'Jeu de caractères non pris en charge.'],
  'request.aborted': [400, 'request-aborted', 'La requête a été interrompue.'],
  'parameters.too.many': [413, 'payload-too-large', 'Trop de paramètres.'],
};

const databaseUnreachable: [number, string, string] = [
  503,
  'database-unavailable',
  'La base de données est momentanément injoignable : réessayez dans un instant.',
];
/** Socket errors and pool timeouts: the database is out of reach, which is not the request's fault nor a bug. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE']);

/** PostgreSQL classes that mean "your data", not "our bug"; and a database out of reach. */
function databaseProblem(error: unknown): [number, string, string] | undefined {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'KnexTimeoutError' || (typeof code === 'string' && unreachableCodes.has(code)))
    return databaseUnreachable;
  if (typeof code !== 'string' || code.length !== 5) return undefined;
  // Connection exceptions (08) and an administrator's shutdown or a server starting up (57P).
  if (code.startsWith('08') || code.startsWith('57P')) return databaseUnreachable;
  if (code.startsWith('22'))
    return [400, 'invalid-value', 'Une valeur est hors des limites acceptées (date, nombre ou texte).'];
  if (code.startsWith('23')) return [409, 'conflict', 'Cette opération contredit une donnée existante.'];
  if (code === '40001' || code === '40P01' || code === '55P03')
    return [503, 'retry', 'Opération concurrente : réessayez.'];
  return undefined;
}

/** Reads an error raised by the database (a module's guard, a constraint) as the typed error it stands for, if it is one. */
export type DatabaseErrorReader = (error: unknown) => DomainError | undefined;

export function toProblem(
  error: unknown,
  instance: string,
  databaseErrors: readonly DatabaseErrorReader[] = [],
): Problem {
  const domain =
    error instanceof DomainError ? error : databaseErrors.map((read) => read(error)).find((read) => read !== undefined);
  if (domain) {
    return {
      type: `/problems/${domain.type}`,
      title: domain.title,
      status: domain.status,
      detail: domain.message,
      instance,
      ...domain.extensions,
      ...('issues' in domain
        ? {
            errors: (domain.issues as FieldIssue[]).map((issue) => ({
              pointer: pointer(issue.path),
              message: issue.message,
            })),
          }
        : {}),
    };
  }
  const parserError = error as BodyParserError;
  const known = (parserError?.type && bodyParserProblems[parserError.type]) || databaseProblem(error);
  if (known) {
    const [status, type, detail] = known;
    return { type: `/problems/${type}`, title: 'Requête refusée', status, detail, instance };
  }
  // Express's own refusals (an undecodable path, for one) carry a 4xx status.
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    return {
      type: '/problems/bad-request',
      title: 'Requête refusée',
      status: parserError.status,
      detail: 'Requête invalide.',
      instance,
    };
  }
  return {
    type: '/problems/internal',
    title: 'Erreur interne',
    status: 500,
    detail: "Une erreur inattendue s'est produite ; elle a été journalisée.",
    instance,
  };
}

/** Renders a problem as a page, for a person's browser rather than a program. */
export type ProblemPage = (problem: Problem & { requestId?: string }, request: Request, response: Response) => void;

/** A page's address (not the API's, nor its documentation): its problems are shown as pages when a renderer is given. */
const isPage = (request: Request) => !request.path.startsWith('/api/') && request.path !== '/api';

export function problemHandler(
  logger: Logger,
  databaseErrors: readonly DatabaseErrorReader[] = [],
  renderPage?: ProblemPage,
) {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    const problem = toProblem(error, request.originalUrl.split('?')[0] ?? '/', databaseErrors);
    const requestId = requestIdOf(request);
    if (problem.status >= 500) logger.error({ err: error, requestId }, 'request failed');
    if (response.headersSent) {
      response.end();
      return;
    }
    if (renderPage && isPage(request)) return renderPage({ ...problem, requestId }, request, response);
    response
      .status(problem.status)
      .type('application/problem+json')
      .json({ ...problem, requestId });
  };
}

export const notFoundHandler =
  (renderPage?: ProblemPage) =>
  (request: Request, response: Response): void => {
    const problem: Problem = {
      type: '/problems/not-found',
      title: 'Introuvable',
      status: 404,
      detail: "Cette adresse n'existe pas.",
      instance: request.originalUrl.split('?')[0] ?? '/',
      requestId: requestIdOf(request),
    };
    if (renderPage && isPage(request)) return renderPage(problem, request, response);
    response.status(404).type('application/problem+json').json(problem);
  };

/** The id pino-http gave the request (a string of ours, see genReqId in app.ts). */
const requestIdOf = (request: Request): string => (typeof request.id === 'string' ? request.id : '');
