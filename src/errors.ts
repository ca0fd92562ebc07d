import type { z } from 'zod';
/**
 * The typed errors of the domain. Services throw them; the HTTP edge maps each
 * to one RFC 9457 problem, in one place (src/http/problem.ts). Messages are in
 * French because they reach the people using the system.
 */
export type FieldIssue = { path: (string | number)[]; message: string };

/** A zod error's issues as field issues, under a prefix ('body', 'query', the answers of a step). */
export function zodIssues(error: z.ZodError, prefix: (string | number)[] = []): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))],
    message: issue.message,
  }));
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  abstract readonly title: string;
  readonly extensions: Record<string, unknown> = {};
}

export class ValidationError extends DomainError {
  readonly status = 400;
  readonly type = 'validation';
  readonly title = 'Données invalides';
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.path.join('.') || '(valeur)'} : ${issue.message}`).join(' ; '));
  }
}

export class UnauthenticatedError extends DomainError {
  readonly status = 401;
  readonly type = 'unauthenticated';
  readonly title = 'Authentification requise';
  constructor(message = 'Connectez-vous pour continuer.') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly type = 'forbidden';
  readonly title = 'Accès refusé';
  constructor(message = 'Votre rôle ne permet pas cette action.') {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly type = 'not-found';
  readonly title = 'Introuvable';
  constructor(message = 'Cette ressource est introuvable.') {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly type = 'conflict';
  readonly title = 'Conflit';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message);
    Object.assign(this.extensions, extensions);
  }
}

/** A business rule refuses the change (closed period, unbalanced entry, floor reached…). */
export class RuleViolationError extends DomainError {
  readonly status = 422;
  readonly title = 'Règle de gestion non respectée';
  constructor(
    readonly type: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message);
    Object.assign(this.extensions, extensions);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
  readonly type = 'unsupported-media-type';
  readonly title = 'Type de fichier refusé';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  readonly title = 'Trop de tentatives';
}

/** A part the request needs (the job queue, the database) is out of reach for now: retry later. */
export class UnavailableError extends DomainError {
  readonly status = 503;
  readonly type = 'unavailable';
  readonly title = 'Service momentanément indisponible';
}

/**
 * What must be true at this point of the code, said where it is relied upon
 * (TigerBeetle's habit): a breach is our bug, never the user's, and fails loudly
 * (a 500 with its request id in the logs) rather than running on with undefined.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, what: string): asserts condition {
  if (!condition) throw new AssertionError(`Assertion failed: ${what}`);
}
