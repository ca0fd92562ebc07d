import request from 'supertest';
import { routes } from '../../src/app';
import { expressPath, type Access, type AnyRoute } from '../../src/http/route';
import type { Role } from '../../src/identity/roles';
import { createTestApi, logInEveryone, personas, type Persona, type TestApi } from '../support/http';

/**
 * One walk over every registered route, as every persona and as nobody.
 * Each answer must be what the route's declared access implies: 401 for
 * anonymous callers, 403 for a role that may not, 404 for a scope the caller
 * cannot see, and never a byte of data in a refusal.
 */
let api: TestApi;
let entryId: number;
let closureId: number;

const rolesOf: Record<Persona, { role: Role; scopeId?: string }[]> = {
  admin: [{ role: 'admin' }],
  treasurer: ['dotation', 'developpement', 'garantie'].map((scopeId) => ({ role: 'treasurer' as const, scopeId })),
  guaranteeTreasurer: [{ role: 'treasurer', scopeId: 'garantie' }],
  committeeMember: [{ role: 'committee_member', scopeId: 'comite-dotation' }],
  referent: [{ role: 'referent' }],
  applicant: [{ role: 'applicant', scopeId: 'tiers-lieu-demo' }],
  donor: [{ role: 'donor' }],
  investor: [{ role: 'investor', scopeId: 'developpement' }],
  partnerLender: [{ role: 'partner_lender' }],
};

type Expected = 'allowed' | 401 | 403 | 404;

function expectedFor(access: Access, persona: Persona | 'anonymous', params: Record<string, string>): Expected {
  if (access === 'public') return 'allowed';
  if (persona === 'anonymous') return 401;
  const grants = rolesOf[persona];
  if (access === 'signed-in' || grants.some((grant) => grant.role === 'admin')) return 'allowed';
  const held = grants.filter((grant) => access.roles.includes(grant.role));
  if (held.length === 0) return 403;
  if (access.scope && !held.some((grant) => grant.scopeId === params[access.scope!.param])) return 404;
  return 'allowed';
}

beforeAll(async () => {
  api = await createTestApi();
  entryId = Number((await api.app.db('journal_entries').where('fund_id', 'dotation').first('id')).id);
  await api.app.db('period_closures').insert({
    fund_id: 'dotation',
    kind: 'month',
    fiscal_year: 2025,
    starts_on: '2025-01-01',
    ends_on: '2025-01-31',
    reason: 'test',
  });
  closureId = Number((await api.app.db('period_closures').first('id')).id);
});
afterAll(() => api.drop());

const sampleParams = (): Record<string, string> => ({
  fundId: 'dotation',
  entryId: String(entryId),
  closureId: String(closureId),
  fiscalYear: '2026',
  tokenId: '00000000-0000-4000-8000-000000000000',
  organisationId: 'tiers-lieu-demo',
  applicationId: '00000000-0000-4000-8000-000000000001',
  committeeId: 'comite-dotation',
  sessionId: '00000000-0000-4000-8000-000000000002',
  documentId: '00000000-0000-4000-8000-000000000003',
  notificationId: '00000000-0000-4000-8000-000000000004',
  donorId: '00000000-0000-4000-8000-000000000005',
  receiptId: '00000000-0000-4000-8000-000000000006',
  reportId: '00000000-0000-4000-8000-000000000007',
  poolId: 'pool-inconnu',
  fileId: '00000000-0000-4000-8000-000000000008',
  jobId: 'outbox-1',
  step: 'project',
  disbursementId: '00000000-0000-4000-8000-000000000009',
  batchId: '00000000-0000-4000-8000-00000000000a',
  statementId: '00000000-0000-4000-8000-00000000000b',
  matchId: '00000000-0000-4000-8000-00000000000c',
  userId: '00000000-0000-4000-8000-00000000000d',
  importId: '00000000-0000-4000-8000-00000000000e',
});

async function call(route: AnyRoute, persona: Persona | 'anonymous', params: Record<string, string>) {
  const path = expressPath(route.path).replace(/:(\w+)/g, (_, name: string) => params[name]!);
  let pending = request(api.http)[route.method](path);
  if (persona !== 'anonymous') pending = pending.set('Cookie', api.cookies[persona]);
  // An empty body: enough to pass or fail authorisation, never enough to change anything.
  if (route.method !== 'get' && route.method !== 'delete') pending = pending.send({});
  return pending;
}

/** Data that must never appear in a refusal: account labels, amounts, e-mails. */
const leakPattern = /Banques|Dotations consomptibles|\d+\.\d{2}"|@milliard\.test|"entries"|"accounts"/;

const callers: (Persona | 'anonymous')[] = ['anonymous', ...(Object.keys(personas) as Persona[])];

it('answers every route as its declared access says, for every persona', async () => {
  const mismatches: string[] = [];
  // Logging out and ending all one's sessions end the persona's session: walk those routes last.
  const isLogout = (route: AnyRoute) =>
    route.path === '/api/auth/logout' || (route.method === 'delete' && route.path === '/api/me/sessions');
  for (const route of [...routes.filter((route) => !isLogout(route)), ...routes.filter(isLogout)]) {
    if (isLogout(route)) api.cookies = await logInEveryone(api.http);
    for (const persona of callers) {
      const params = sampleParams();
      const expected = expectedFor(route.access, persona, params);
      const response = await call(route, persona, params);
      const ok =
        expected === 'allowed'
          ? ![401, 403].includes(response.status) && response.status < 500
          : response.status === expected;
      if (!ok)
        mismatches.push(
          `${route.method.toUpperCase()} ${route.path} as ${persona}: expected ${expected}, got ${response.status}`,
        );
      if (expected !== 'allowed' && leakPattern.test(response.text))
        mismatches.push(`${route.method.toUpperCase()} ${route.path} as ${persona} leaks: ${response.text}`);
    }
  }
  expect(mismatches).toEqual([]);
  api.cookies = await logInEveryone(api.http);
});

it('answers 404, not 403, to a treasurer of another fund, for every fund route', async () => {
  // Routes scoped to a fund; an admin's route naming a fund (its rules) answers 403 to everyone else, as every admin route does.
  const fundRoutes = routes.filter((route) => route.path.includes('{fundId}') && !route.path.startsWith('/api/admin/'));
  expect(fundRoutes.length).toBeGreaterThanOrEqual(10);
  for (const route of fundRoutes) {
    const response = await call(route, 'guaranteeTreasurer', sampleParams());
    expect([route.path, response.status]).toEqual([route.path, 404]);
    const own = await call(route, 'guaranteeTreasurer', { ...sampleParams(), fundId: 'garantie' });
    expect([route.path, [401, 403].includes(own.status)]).toEqual([route.path, false]);
  }
});

it('lists to a scoped treasurer only the funds they keep', async () => {
  const response = await request(api.http).get('/api/funds').set('Cookie', api.cookies.guaranteeTreasurer).expect(200);
  expect(response.body.funds.map((fund: { id: string }) => fund.id)).toEqual(['garantie']);
});

it('refuses ledger routes to people who are not treasurers, whatever else they are', async () => {
  for (const persona of ['donor', 'investor', 'applicant', 'committeeMember', 'referent', 'partnerLender'] as const) {
    await request(api.http).get('/api/funds/developpement/entries').set('Cookie', api.cookies[persona]).expect(403);
  }
  await request(api.http).get('/api/funds/developpement/entries').expect(401);
  await request(api.http).get('/api/admin/ledger/verification').set('Cookie', api.cookies.treasurer).expect(403);
});
