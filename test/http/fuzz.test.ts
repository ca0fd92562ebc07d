import fc from 'fast-check';
import request from 'supertest';
import { z } from 'zod';
import { routes } from '../../src/app';
import { expressPath, type AnyRoute } from '../../src/http/route';
import { createTestApi, type TestApi } from '../support/http';
import { fuzzed, garbage, hostileStrings } from '../support/json-schema-arbitrary';

/**
 * Thousands of malformed requests, generated from the routes' own schemas and
 * by hand, sent as an admin (who gets past authorisation into validation and
 * the services). Not one may answer 5xx.
 */
let api: TestApi;
const serverErrors: string[] = [];

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const schemaOf = (schema: z.ZodType | undefined) =>
  schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>) : undefined;

const defaultParams: Record<string, string> = {
  fundId: 'dotation',
  entryId: '1',
  closureId: '1',
  fiscalYear: '2026',
  tokenId: '00000000-0000-4000-8000-000000000000',
};

/** A lone surrogate cannot be percent-encoded: send the invalid UTF-8 bytes a client might send instead. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function pathFor(route: AnyRoute, params: Record<string, string>): string {
  return expressPath(route.path).replace(/:(\w+)/g, (_, name: string) =>
    encodeSegment(params[name] ?? defaultParams[name]!),
  );
}

async function send(
  route: AnyRoute,
  options: {
    params?: Record<string, string>;
    query?: unknown;
    body?: string;
    contentType?: string;
    headers?: Record<string, string>;
  },
) {
  const agent = request(api.http);
  let pending = agent[route.method](pathFor(route, options.params ?? {})).set('Cookie', api.cookies.admin);
  if (options.query && typeof options.query === 'object')
    pending = pending.query(options.query as Record<string, string>);
  for (const [name, value] of Object.entries(options.headers ?? {})) pending = pending.set(name, value);
  if (options.body !== undefined)
    pending = pending.set('Content-Type', options.contentType ?? 'application/json').send(options.body);
  const response = await pending;
  if (response.status >= 500)
    serverErrors.push(
      `${route.method.toUpperCase()} ${route.path} → ${response.status}: ${options.body?.slice(0, 200) ?? JSON.stringify(options.query)}`,
    );
  return response;
}

const fuzzable = routes.filter((route) => route.path !== '/api/auth/logout');

it('never answers 5xx to bodies generated from the schemas', async () => {
  for (const route of fuzzable.filter((candidate) => candidate.body)) {
    await fc.assert(
      fc.asyncProperty(
        fuzzed(schemaOf(route.body)!),
        fc.option(fc.constantFrom(...hostileStrings, 'cle-idempotence-0001')),
        async (body, idempotencyKey) => {
          const headers: Record<string, string> =
            idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey.replace(/[^\x20-\x7e]/g, '') };
          const response = await send(route, { body: JSON.stringify(body), headers });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  }
  expect(serverErrors).toEqual([]);
  // 200 bodies for each of some fifty routes: minutes when two cores are shared with the other suites.
}, 360_000);

it('never answers 5xx to generated query strings and path parameters', async () => {
  for (const route of fuzzable) {
    const querySchema = schemaOf(route.query);
    await fc.assert(
      fc.asyncProperty(
        querySchema ? fuzzed(querySchema) : fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })),
        fc.dictionary(
          fc.constantFrom(...Object.keys(defaultParams)),
          fc.oneof(
            fc.constantFrom(...hostileStrings),
            fc.string(),
            fc.integer().map(String),
            fc.constant('%'),
            fc.constant('%zz'),
          ),
        ),
        async (query, params) => {
          const flatQuery =
            query && typeof query === 'object'
              ? Object.fromEntries(
                  Object.entries(query).map(([key, value]) => [
                    key,
                    typeof value === 'string' ? value : JSON.stringify(value),
                  ]),
                )
              : {};
          const response = await send(route, { query: flatQuery, params, body: route.body ? '{}' : undefined });
          expect(response.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  }
  expect(serverErrors).toEqual([]);
});

it('never answers 5xx to hand-made garbage', async () => {
  const rawBodies = [
    '{',
    '[]',
    'null',
    '"texte"',
    '12',
    '{"__proto__": {"admin": true}}',
    '{"constructor": {"prototype": {"admin": true}}}',
    '['.repeat(5000) + ']'.repeat(5000),
    '{"a":' + '1'.repeat(10_000) + '}',
    '{"accountingDate": "2026-01-01", "label": "\\u0000", "reason": "\\u0000\\u0000\\u0000", "lines": [{"accountCode": "512", "debit": "1.00"}, {"accountCode": "7541", "credit": "1.00"}]}',
    '{"accountingDate": "9999-12-31", "label": "x", "reason": "raison", "lines": [{"accountCode": "512", "debit": "99999999999999999.99"}, {"accountCode": "7541", "credit": "99999999999999999.99"}]}',
    '\ufeff{"email": "a@b.fr", "password": "x"}',
    '',
  ];
  const contentTypes = [
    'application/json',
    'text/plain',
    'application/xml',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'application/x-www-form-urlencoded',
  ];
  for (const route of fuzzable.filter((candidate) => candidate.method !== 'get')) {
    for (const body of rawBodies) {
      for (const contentType of contentTypes) {
        const response = await send(route, {
          body,
          contentType,
          headers: { 'Idempotency-Key': 'cle-idempotence-garbage' },
        });
        expect(response.status).toBeLessThan(500);
      }
    }
  }
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...fuzzable.filter((route) => route.body)), garbage, async (route, body) => {
      expect((await send(route, { body: JSON.stringify(body) ?? 'undefined' })).status).toBeLessThan(500);
    }),
    { numRuns: 300 },
  );
  expect(serverErrors).toEqual([]);
});
