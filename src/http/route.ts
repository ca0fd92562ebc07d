import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context';
import {
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
  zodIssues,
} from '../errors';
import { isAdmin, type Principal, type Role, type ScopeType } from '../identity/roles';
import { httpMessages } from './messages';

/**
 * Every route declares, next to its handler, who may call it and what it
 * accepts. The same declarations drive authorisation, validation, the OpenAPI
 * document and the test that walks every route with every role.
 */
export type Access =
  | 'public'
  | 'signed-in'
  | {
      /** Admins may always; these roles may too, within the scope named by a path parameter. */
      roles: readonly Role[];
      scope?: { type: ScopeType; param: string };
    };

export type Reply = {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A file to download instead of JSON. */
  file?: { fileName: string; contentType: string; content: Buffer };
};

type Schema = z.ZodType;
type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** Who is asking: known on every route but the public ones (authorisation ran before the handler). */
type PrincipalOf<A extends Access> = A extends 'public' ? Principal | undefined : Principal;

export type HandlerInput<P, Q, B, A extends Access = Access> = {
  params: P;
  query: Q;
  body: B;
  principal: PrincipalOf<A>;
  app: AppContext;
  request: Request;
  response: Response;
};

export type RouteDefinition<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
  A extends Access = Access,
> = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  /** A file sent as the raw request body (not JSON): its accepted types and size. */
  upload?: { contentTypes: readonly string[]; maxBytes: number };
  /** Request headers the route reads, for the documentation. */
  headers?: { name: string; required: boolean; description: string }[];
  response?: { status: number; description: string; schema?: Schema; contentType?: string | readonly string[] };
  handler: (input: HandlerInput<Infer<P>, Infer<Q>, Infer<B>, A>) => Promise<Reply>;
};

export type AnyRoute = RouteDefinition<any, any, any, any>;

export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
  const A extends Access = Access,
>(definition: RouteDefinition<P, Q, B, A>): AnyRoute {
  return definition;
}

/** Checks the caller against the route's declared access: 401, 403, or 404 for a scope they cannot see. */
export function authorise(access: Access, principal: Principal | undefined, params: Record<string, string>): void {
  if (access === 'public') return;
  if (!principal) throw new UnauthenticatedError();
  if (access === 'signed-in' || isAdmin(principal)) return;
  const held = principal.grants.filter((grant) => access.roles.includes(grant.role));
  if (held.length === 0) throw new ForbiddenError();
  if (!access.scope) return;
  const { type, param } = access.scope;
  const wanted = params[param];
  // Holding the role elsewhere must not reveal whether this resource exists.
  if (!held.some((grant) => grant.scopeType === type && grant.scopeId === wanted)) throw new NotFoundError();
}

export function parseWith<S extends Schema>(schema: S, value: unknown, location: string | string[]): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ValidationError(zodIssues(parsed.error, Array.isArray(location) ? location : [location]));
  return parsed.data;
}

const idempotencyKeySchema = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'En-tête Idempotency-Key requis : une clé unique par demande (8 à 200 caractères ASCII visibles), la même pour la rejouer.'
        : undefined,
  })
  .min(8, "Clé d'idempotence trop courte (8 caractères au moins).")
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "Clé d'idempotence : caractères ASCII visibles seulement.");

/** The documentation of a required Idempotency-Key header, saying what replaying the request gives. */
export const idempotencyKeyHeader = (replay: string) => ({
  name: 'Idempotency-Key',
  required: true,
  description: `Clé unique de la demande : ${replay}`,
});

/** The request's Idempotency-Key header, checked (400 naming the header when absent or malformed). */
export const idempotencyKeyOf = (request: Request): string =>
  parseWith(idempotencyKeySchema, request.get('Idempotency-Key'), ['headers', 'Idempotency-Key']);

/** Express path syntax from the OpenAPI-style path we declare: /funds/{fundId} → /funds/:fundId */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

export function mountRoutes(router: Router, routes: readonly AnyRoute[], app: AppContext): void {
  for (const route of routes) {
    // An upload is read only once its sender is known to be allowed: nobody makes the process hold 20 MB anonymously.
    const readsFile = route.upload
      ? [authoriseFirst(route.access), express.raw({ type: () => true, limit: route.upload.maxBytes })]
      : [];
    router[route.method](expressPath(route.path), ...readsFile, async (request: Request, response: Response) => {
      const principal = response.locals.principal as Principal | undefined;
      const rawParams = request.params as Record<string, string>;
      authorise(route.access, principal, rawParams);
      if (route.body) assertPlainText(request.body, ['body']);
      const params = route.params ? parseWith(route.params, rawParams, 'params') : undefined;
      const query = parseWith(route.query ?? z.strictObject({}), { ...(request.query as object) }, 'query');
      if (route.body && !request.is('application/json')) {
        throw new ValidationError([{ path: ['body'], message: httpMessages.jsonBodyExpected }]);
      }
      const body = route.body ? parseWith(route.body, request.body, 'body') : undefined;
      if (route.upload) {
        const type = request.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
        if (!route.upload.contentTypes.includes(type))
          throw new UnsupportedMediaTypeError(httpMessages.uploadTypes(route.upload.contentTypes.join(', ')));
        if (!Buffer.isBuffer(request.body) || request.body.length === 0)
          throw new ValidationError([{ path: ['body'], message: httpMessages.fileEmpty }]);
      }
      const reply = await route
        .handler({ params, query, body, principal, app, request, response })
        .catch((error: unknown) => {
          throw route.body ? locatedInBody(error) : error;
        });
      if (app.config.nodeEnv === 'test') assertAnswerAsDocumented(route, reply);
      send(response, reply, route.response?.status ?? 200);
    });
  }
}

/**
 * In tests, every successful JSON answer is checked against the schema its route
 * documents, as the client receives it (through JSON): the documentation cannot
 * drift from what the API answers without a test failing.
 */
function assertAnswerAsDocumented(route: AnyRoute, reply: Reply): void {
  const status = reply.status ?? route.response?.status ?? 200;
  if (!route.response?.schema || reply.body === undefined || reply.file || status >= 300) return;
  const received: unknown = JSON.parse(
    JSON.stringify(reply.body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  );
  const checked = route.response.schema.safeParse(received);
  if (!checked.success)
    throw new Error(
      `${route.method.toUpperCase()} ${route.path} answered outside its documented schema: ${JSON.stringify(checked.error.issues.slice(0, 5))}`,
    );
}

function authoriseFirst(access: Access) {
  return (request: Request, response: Response, next: (error?: unknown) => void) => {
    try {
      authorise(access, response.locals.principal as Principal | undefined, request.params as Record<string, string>);
      next();
    } catch (error) {
      next(error);
    }
  };
}

// Control characters (but tab and line breaks) and lone surrogates: never text a person typed, often an attack or a broken encoding.
const controlOrLoneSurrogate =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No form nests this deep: a body that does is refused rather than walked. */
const bodyDepthMax = 32;

/**
 * Refuses, naming where, a string of the body that holds a control character or
 * half of a surrogate pair. Walked with a stack of its own, never by recursion,
 * so that a body of 5,000 nested arrays is a 400, not a stack overflow.
 */
function assertPlainText(value: unknown, path: (string | number)[]): void {
  const pending: { value: unknown; path: (string | number)[] }[] = [{ value, path }];
  while (pending.length > 0) {
    const current = pending.pop()!;
    if (current.path.length > bodyDepthMax + 1)
      throw new ValidationError([
        {
          path: current.path.slice(0, bodyDepthMax + 1),
          message: httpMessages.bodyTooDeep(bodyDepthMax),
        },
      ]);
    if (typeof current.value === 'string') {
      if (controlOrLoneSurrogate.test(current.value))
        throw new ValidationError([{ path: current.path, message: httpMessages.controlCharacter }]);
    } else if (Array.isArray(current.value)) {
      current.value.forEach((item, index) => pending.push({ value: item, path: [...current.path, index] }));
    } else if (current.value !== null && typeof current.value === 'object') {
      for (const [key, item] of Object.entries(current.value)) {
        if (controlOrLoneSurrogate.test(key))
          throw new ValidationError([{ path: current.path, message: httpMessages.controlCharacter }]);
        pending.push({ value: item, path: [...current.path, key] });
      }
    }
  }
}

const requestParts = new Set(['body', 'params', 'query', 'headers']);

/** Services name the command's fields; in the API those fields are the body's. */
function locatedInBody(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  return new ValidationError(
    error.issues.map((issue) =>
      requestParts.has(String(issue.path[0])) ? issue : { ...issue, path: ['body', ...issue.path] },
    ),
  );
}

function send(response: Response, reply: Reply, defaultStatus: number): void {
  response.status(reply.status ?? defaultStatus);
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.setHeader(name, value);
  if (reply.file) {
    response.setHeader('Content-Type', reply.file.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${reply.file.fileName}"`);
    response.send(reply.file.content);
    return;
  }
  if (reply.body === undefined) response.end();
  else response.json(reply.body);
}
