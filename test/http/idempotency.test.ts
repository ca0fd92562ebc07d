import request from 'supertest';
import { routes } from '../../src/app';
import { todayInParis } from '../../src/time';
import { addBusinessDays } from '../../src/business-days';
import { closedClosing, fpciAs, newInvestor, professional, setFpciRules, verifiedKyc } from '../support/fpci';
import { createTestApi, type TestApi } from '../support/http';
import { fpciInvestment } from '../support/portfolio';

/**
 * Every route that takes an Idempotency-Key: the same request again gives the
 * same answer, another request under the same key is refused (409) and changes
 * nothing. A new idempotent route without its case here fails the first test.
 */
let api: TestApi;
let donorId: string;
let capitalCall: { id: string; investorId: string };
let investmentId: string;
beforeAll(async () => {
  api = await createTestApi();
  await setFpciRules(api);
  const investorId = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Caisse Solidaire',
    siren: '552100554',
    kyc: verifiedKyc,
    eligibility: professional,
  });
  await closedClosing(api, [
    { investorId, classCode: 'A', units: 2000 },
    { investorId, classCode: 'B', units: 30 },
  ]);
  const calls = '/api/funds/developpement/capital-calls';
  const drafted = await fpciAs(api, 'treasurer', 'post', calls)
    .send({
      classShares: [{ classCode: 'A', share: '0.1' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: addBusinessDays(todayInParis(), 10),
    })
    .expect(201);
  await fpciAs(api, 'admin', 'post', `${calls}/${drafted.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  await fpciAs(api, 'treasurer', 'post', `${calls}/${drafted.body.id}/steps`).send({ event: 'ISSUE' }).expect(200);
  capitalCall = { id: String(drafted.body.id), investorId };
  donorId = (
    await request(api.http)
      .post('/api/funds/dotation/donors')
      .set('Cookie', api.cookies.treasurer)
      .send({
        kind: 'individual',
        lastName: 'Roux',
        firstNames: 'Ana',
        addressLine: '3 rue Basse',
        postalCode: '31000',
        city: 'Toulouse',
      })
      .expect(201)
  ).body.id;
  investmentId = await fpciInvestment(api, { name: 'Prêt participatif', amount: '50000.00', until: 'held' });
  await request(api.http)
    .post('/api/funds/dotation/pools')
    .set('Cookie', api.cookies.treasurer)
    .send({
      id: 'idem-pool',
      name: 'Pool',
      partnerName: 'ACTED',
      ticketMin: '5000.00',
      ticketMax: '30000.00',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    })
    .expect(201);
});
afterAll(() => api.drop());

type Case = { url: () => string; first: () => Record<string, unknown>; other: () => Record<string, unknown> };
const line = (accountCode: string, side: 'debit' | 'credit', amount: string) => ({ accountCode, [side]: amount });
const cases: Record<string, Case> = {
  'post /api/funds/{fundId}/investments/{investmentId}/receipts': {
    url: () => `/api/funds/developpement/investments/${investmentId}/receipts`,
    first: () => ({ kind: 'interest', amount: '2000.00', receivedOn: todayInParis() }),
    other: () => ({ kind: 'interest', amount: '2100.00', receivedOn: todayInParis() }),
  },
  'post /api/funds/{fundId}/expenses': {
    url: () => '/api/funds/developpement/expenses',
    first: () => ({
      kind: 'fund-expense',
      amount: '1200.00',
      incurredOn: todayInParis(),
      label: 'Honoraires du commissaire aux comptes',
      settlement: 'payable',
    }),
    other: () => ({
      kind: 'fund-expense',
      amount: '1300.00',
      incurredOn: todayInParis(),
      label: 'Honoraires du commissaire aux comptes',
      settlement: 'payable',
    }),
  },
  'post /api/funds/{fundId}/entries': {
    url: () => '/api/funds/dotation/entries',
    first: () => ({
      accountingDate: todayInParis(),
      label: 'Frais',
      reason: 'Frais bancaires du mois',
      lines: [line('627', 'debit', '12.00'), line('512', 'credit', '12.00')],
    }),
    other: () => ({
      accountingDate: todayInParis(),
      label: 'Frais',
      reason: 'Frais bancaires du mois',
      lines: [line('627', 'debit', '13.00'), line('512', 'credit', '13.00')],
    }),
  },
  'post /api/funds/{fundId}/donations': {
    url: () => '/api/funds/dotation/donations',
    first: () => ({ donorId, amount: '50.00', receivedOn: todayInParis(), method: 'transfer' }),
    other: () => ({ donorId, amount: '50.00', receivedOn: todayInParis(), method: 'cheque' }),
  },
  'post /api/funds/{fundId}/pools/{poolId}/contributions': {
    url: () => '/api/funds/dotation/pools/idem-pool/contributions',
    first: () => ({ amount: '1000.00', receivedOn: todayInParis() }),
    other: () => ({ amount: '2000.00', receivedOn: todayInParis() }),
  },
  // A payment books two movements in one entry: one entry all the same.
  'post /api/funds/{fundId}/capital-calls/{callId}/payments': {
    url: () => `/api/funds/developpement/capital-calls/${capitalCall.id}/payments`,
    first: () => ({ investorId: capitalCall.investorId, amount: '5000.00', receivedOn: todayInParis() }),
    other: () => ({ investorId: capitalCall.investorId, amount: '6000.00', receivedOn: todayInParis() }),
  },
};

const idempotentRoutes = routes
  .filter((route) => route.headers?.some((header) => header.name === 'Idempotency-Key'))
  .map((route) => `${route.method} ${route.path}`);

it('has a case for every route that takes an Idempotency-Key', () => {
  expect(idempotentRoutes.sort()).toEqual(Object.keys(cases).sort());
});

it.each(Object.entries(cases))(
  '%s: a replay gives the first answer, other content under the key is a 409 that writes nothing',
  async (_route, { url, first, other }) => {
    const send = (body: Record<string, unknown>) =>
      request(api.http)
        .post(url())
        .set('Cookie', api.cookies.treasurer)
        .set('Idempotency-Key', `idem-${url()}`)
        .send(body);
    const entryCount = async () =>
      BigInt((await api.app.db('journal_entries').count('* as count').first())!.count as string);
    const entriesBefore = await entryCount();
    const created = await send(first()).expect(201);
    const replayed = await send(first()).expect(200);
    expect(replayed.body).toEqual(created.body);
    const refused = await send(other()).expect(409);
    expect(refused.body.detail).toMatch(/clé d'idempotence a déjà servi/);
    expect((await entryCount()) - entriesBefore).toBe(1n);
  },
);
