import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import multer from 'multer';
import { doubleCsrf } from 'csrf-csrf';
import type { VNode } from 'preact';
import type { AppContext } from '../context';
import { z } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  UnsupportedMediaTypeError,
  ValidationError,
  zodIssues,
  type FieldIssue,
} from '../errors';
import { amountRefusal, parseFrenchAmount, toApiAmount } from '../money';
import { isAdmin, type Principal } from '../identity/roles';
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
  /** The file sent with a form that takes one (`upload`). */
  file?: UploadedFile | undefined;
};

export type UploadedFile = { content: Buffer; contentType: string; fileName: string };

export type PageResult = { page: VNode; status?: number } | { redirect: string };

export type PageRoute<Access extends PageAccess = PageAccess> = {
  method: 'get' | 'post';
  path: string;
  /** `signed-in`: an anonymous visitor is sent to the login page, and back here once signed in. */
  access: Access;
  /** A form that sends a file (`multipart/form-data`): its input's name and the largest file taken. */
  upload?: { field: string; maxBytes: number };
  handler: (context: PageContext<Access>) => Promise<PageResult>;
};

/** Any page, its access checked before its handler runs (what `mountPages` holds). */
export type AnyPage = {
  method: 'get' | 'post';
  path: string;
  access: PageAccess;
  upload?: { field: string; maxBytes: number };
  handler: (context: PageContext) => Promise<PageResult>;
};

export const definePage = <Access extends PageAccess>(route: PageRoute<Access>): AnyPage => route;

export const formBodySizeMax = '64kb';
const uuidSchema = z.uuid();

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
    router[route.method](route.path, route.upload ? uploads(route.upload) : forms, async (request, response, next) => {
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
          // One token per session (OWASP): a form sent twice (a double click) meets the same check, and the
          // work's own idempotency decides; a new session (signing in) finds the old token invalid and gets a new one.
          csrfToken: csrf.generateCsrfToken(request, response),
          form: formFields(request.body),
          file: request.file && {
            content: request.file.buffer,
            contentType: request.file.mimetype,
            fileName: request.file.originalname,
          },
        });
        if ('redirect' in result) response.redirect(303, result.redirect);
        else sendPage(response, result.page, result.status);
      } catch (error) {
        next(error);
      }
    });
  }
}

/**
 * A form with a file, read into memory by multer (one file, its size bounded,
 * a few text fields); the token is checked after, like any form's.
 */
function uploads(upload: { field: string; maxBytes: number }): RequestHandler {
  const read = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: upload.maxBytes, files: 1, fields: 20, fieldSize: 10_000 },
  }).single(upload.field);
  return (request, response, next) =>
    read(request, response, (error: unknown) => {
      if (error instanceof multer.MulterError)
        next(
          new ValidationError([
            {
              path: [upload.field],
              message:
                error.code === 'LIMIT_FILE_SIZE'
                  ? webMessages.fileTooLarge(Math.floor(upload.maxBytes / 1_000_000))
                  : webMessages.uploadRefused,
            },
          ]),
        );
      else next(error);
    });
}

const formFields = (body: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );

/**
 * The services' field issues, as the fields of a form: the last named segment
 * of the path names the input (`answers.title` → `title`, `indicators.0` → `indicators`).
 */
export const formErrorsOf = (issues: FieldIssue[]): FormError[] =>
  issues.map((issue) => ({
    field: issue.path.filter((segment): segment is string => typeof segment === 'string').at(-1),
    message: issue.message,
  }));

export type Attempt<T> = { done: true; value: T } | { done: false; errors: FormError[]; status: number };

/**
 * Runs what a form asks; a refusal a person can correct (invalid field, rule of
 * the trade, conflict, the four eyes, a file not of its kind) comes back as errors to show on the form
 * with what was typed. Anything else (not found, a fault) goes to the error page.
 */
export async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { done: true, value: await work() };
  } catch (error) {
    if (error instanceof ValidationError) return { done: false, errors: formErrorsOf(error.issues), status: 422 };
    if (
      error instanceof RuleViolationError ||
      error instanceof ConflictError ||
      error instanceof ForbiddenError ||
      error instanceof UnsupportedMediaTypeError
    )
      return {
        done: false,
        errors: [{ message: error.message }],
        status: error.status === 403 || error.status === 415 ? error.status : 422,
      };
    throw error;
  }
}

/** What was typed in one form of a page and why it was refused, to show that form again. */
export type Typed = { form: string; values: Record<string, string>; errors: FormError[]; status?: number };
export const nothingTyped: Typed = { form: '', values: {}, errors: [] };
/** What was typed in this form, or nothing when another form of the page was sent. */
export const typedFor = (typed: Typed, form: string): Typed =>
  typed.form === form ? typed : { ...nothingTyped, form };

/**
 * The forms of one page (a file, a vote, a dashboard): each runs its work, then
 * goes back to the page (or where the work says), or shows the page again with
 * the refusal on the form that was sent and what was typed in it.
 */
export function formsOf<Key>(place: {
  /** What the address names (a file, a fund…), checked as the page checks it: 404 otherwise. */
  keyOf: (context: PageContext<'signed-in'>) => Key | Promise<Key>;
  url: (key: Key) => string;
  page: (context: PageContext<'signed-in'>, key: Key, typed: Typed) => Promise<PageResult>;
}) {
  return (form: string, work: (context: PageContext<'signed-in'>, key: Key) => Promise<unknown>) =>
    async (context: PageContext<'signed-in'>): Promise<PageResult> => {
      const key = await place.keyOf(context);
      const outcome = await attempt(() => work(context, key));
      if (outcome.done) return { redirect: typeof outcome.value === 'string' ? outcome.value : place.url(key) };
      return place.page(context, key, { form, values: context.form, errors: outcome.errors, status: outcome.status });
    };
}

/**
 * The amounts of a form as people type them (« 1 500,00 », « 1500 », « 1 500 € »),
 * turned into the API's euro strings; an unreadable one is refused on its field.
 */
export function frenchAmountFields(
  form: Record<string, string>,
  names: readonly string[],
): Record<string, string | undefined> {
  const issues: FieldIssue[] = [];
  const amounts = Object.fromEntries(
    names.map((name) => {
      const typed = form[name]?.trim() ?? '';
      if (typed === '') return [name, undefined];
      try {
        return [name, toApiAmount(parseFrenchAmount(typed))];
      } catch {
        issues.push({
          path: [name],
          message: amountRefusal(typed, webMessages.amountExample) ?? webMessages.amountHint,
        });
        return [name, undefined];
      }
    }),
  );
  if (issues.length > 0) throw new ValidationError(issues);
  return amounts;
}

/**
 * A service's answer with the type its API route promises: the answer tests
 * check the service against that schema, so a page reads exactly what the API gives.
 */
export const asAnswer = <Schema extends z.ZodType>(_schema: Schema, value: unknown): z.infer<Schema> =>
  value as z.infer<Schema>;

/** A form's fields read by the API's schema: a refusal, field by field, as the form's errors. */
export function parsed<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(zodIssues(result.error));
  return result.data;
}

/**
 * A list's filters as its address gives them (`?year=2026&state=valid&page=2`),
 * read by the API's own query schema: what was typed, to show again, the
 * filter, and what is wrong with it, to say next to its field (the list then
 * shows its first page unfiltered).
 */
export function filtersOf<Filter extends { page: number; pageSize: number }, Name extends string>(
  schema: z.ZodType<Filter>,
  query: Record<string, unknown>,
  names: readonly Name[],
  pageSize: number,
): { typed: Record<Name, string | undefined>; filter: Filter; errors: FormError[] } {
  const typed = Object.fromEntries(
    names.map((name) => [name, typeof query[name] === 'string' && query[name] !== '' ? query[name] : undefined]),
  ) as Record<Name, string | undefined>;
  const page = typeof query.page === 'string' ? query.page : '1';
  const filter = schema.safeParse({ ...typed, page, pageSize: String(pageSize) });
  if (filter.success) return { typed, filter: filter.data, errors: [] };
  return { typed, filter: schema.parse({ pageSize }), errors: formErrorsOf(zodIssues(filter.error)) };
}

/** The page asked for in a list's address (`?page=2`), within bounds. */
export function pageNumber(candidate: unknown): number {
  const page = typeof candidate === 'string' && /^\d{1,6}$/.test(candidate) ? Number(candidate) : 1;
  return Math.max(page, 1);
}

/** The identifier an address names (a uuid), or a 404 saying what is missing: a malformed one names nothing. */
export function idOf(candidate: unknown, missing?: string): string {
  const id = uuidSchema.safeParse(candidate);
  if (!id.success) throw new NotFoundError(missing);
  return id.data;
}

/** An administrator's page: anyone else finds nothing here (404, as the API's admin routes). */
export function assertAdmin(principal: Principal): void {
  if (!isAdmin(principal)) throw new NotFoundError();
}

/** Only a path of ours is a place to go back to after signing in. */
export const localPath = (candidate: unknown): string =>
  typeof candidate === 'string' && /^\/(?![/\\])/.test(candidate) ? candidate : '/';
