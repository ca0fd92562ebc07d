import request from 'supertest';
import { todayInParis } from '../../src/time';
import { createTestApi, type TestApi } from '../support/http';
import { activeGrant } from '../support/pathway';

/** Finding things: organisations, donors, gifts, pools — and an organisation's whole trajectory. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const treasurer = (url: string) => request(api.http).get(url).set('Cookie', api.cookies.treasurer);

it('lists organisations by name, SIREN or RNA, to referents and admins only', async () => {
  const found = (
    await request(api.http).get('/api/organisations?search=fabrique').set('Cookie', api.cookies.referent).expect(200)
  ).body;
  expect([found.total, found.organisations[0].id, found.organisations[0].missingForProposal]).toEqual([
    1,
    'tiers-lieu-demo',
    expect.any(Array),
  ]);
  expect(
    (await request(api.http).get('/api/organisations?search=zzzz').set('Cookie', api.cookies.admin).expect(200)).body
      .total,
  ).toBe(0);
  await request(api.http).get('/api/organisations').set('Cookie', api.cookies.applicant).expect(403);
});

it('lists donors and gifts, filtered and paginated, cancelled gifts shown as such', async () => {
  const donorId = (
    await request(api.http)
      .post('/api/funds/dotation/donors')
      .set('Cookie', api.cookies.treasurer)
      .send({
        kind: 'individual',
        lastName: 'Zéphyr',
        firstNames: 'Alix',
        addressLine: '1 rue',
        postalCode: '13001',
        city: 'Marseille',
        email: 'alix@exemple.fr',
      })
      .expect(201)
  ).body.id;
  for (const [amount, key] of [
    ['10.00', 'list-gift-1'],
    ['20.00', 'list-gift-2'],
    ['30.00', 'list-gift-3'],
  ] as const) {
    await request(api.http)
      .post('/api/funds/dotation/donations')
      .set('Cookie', api.cookies.treasurer)
      .set('Idempotency-Key', key)
      .send({ donorId, amount, receivedOn: todayInParis(), method: 'card' })
      .expect(201);
  }
  const donors = (await treasurer('/api/funds/dotation/donors?search=alix@').expect(200)).body;
  expect(donors.donors).toEqual([expect.objectContaining({ id: donorId, name: 'ZÉPHYR Alix', city: 'Marseille' })]);
  const page = (await treasurer(`/api/funds/dotation/donations?donorId=${donorId}&pageSize=2`).expect(200)).body;
  expect([page.total, page.donations.length, page.donations[0].donor]).toEqual([3, 2, 'ZÉPHYR Alix']);
  const gift = page.donations[0].id;
  await request(api.http)
    .post(`/api/funds/dotation/donations/${gift}/cancellation`)
    .set('Cookie', api.cookies.treasurer)
    .send({ reason: 'Doublon' })
    .expect(200);
  const after = (await treasurer(`/api/funds/dotation/donations?donorId=${donorId}`).expect(200)).body.donations;
  expect(after.find((item: { id: string }) => item.id === gift).cancelReason).toBe('Doublon');
  // Receipts: newest first, paginated, by donor, state and the beginning of their number.
  const receipts = (await treasurer(`/api/funds/dotation/tax-receipts?donorId=${donorId}&pageSize=2`).expect(200)).body;
  expect([
    receipts.total,
    receipts.receipts.length,
    receipts.receipts[0].reference > receipts.receipts[1].reference,
  ]).toEqual([3, 2, true]);
  expect(
    (await treasurer(`/api/funds/dotation/tax-receipts?donorId=${donorId}&state=cancelled`).expect(200)).body.receipts,
  ).toEqual([expect.objectContaining({ cancelledAt: expect.any(String) })]);
  expect(
    (await treasurer(`/api/funds/dotation/tax-receipts?donorId=${donorId}&state=valid&kind=per-gift`).expect(200)).body
      .total,
  ).toBe(2);
  const { reference } = receipts.receipts[0];
  expect(
    (await treasurer(`/api/funds/dotation/tax-receipts?reference=${reference}`).expect(200)).body.receipts.map(
      (item: { reference: string }) => item.reference,
    ),
  ).toEqual([reference]);
  expect((await treasurer('/api/funds/dotation/tax-receipts?reference=%25').expect(400)).body.errors[0]).toMatchObject({
    pointer: '/query/reference',
  });
  await request(api.http)
    .get('/api/funds/dotation/donations')
    .set('Cookie', api.cookies.guaranteeTreasurer)
    .expect(404);
});

it('lists pools with what each received, granted and still holds', async () => {
  await request(api.http)
    .post('/api/funds/dotation/pools')
    .set('Cookie', api.cookies.treasurer)
    .send({
      id: 'liste-pool',
      name: 'Pool listé',
      partnerName: 'ACTED',
      ticketMin: '5000.00',
      ticketMax: '30000.00',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
    })
    .expect(201);
  const pools = (await treasurer('/api/funds/dotation/pools').expect(200)).body.pools;
  expect(pools.find((pool: { id: string }) => pool.id === 'liste-pool')).toMatchObject({
    name: 'Pool listé',
    available: '0.00',
    granted: '0.00',
    rules: { endsOn: '2027-12-31' },
  });
});

it('answers an organisation’s whole trajectory: files, grants with each tranche’s payment, reports', async () => {
  await activeGrant(api, '12000.00');
  const trajectory = (
    await request(api.http)
      .get('/api/organisations/tiers-lieu-demo/trajectory')
      .set('Cookie', api.cookies.applicant)
      .expect(200)
  ).body;
  expect(trajectory.organisation).toEqual({ id: 'tiers-lieu-demo', name: 'La Fabrique du Tiers-Lieu' });
  const active = trajectory.files.find(
    (file: { state: string; approvedAmount: string }) => file.state === 'active' && file.approvedAmount === '12000.00',
  );
  expect(
    active.grant.tranches.map((tranche: { amount: string; payment: { status: string } | null }) => [
      tranche.amount,
      tranche.payment?.status ?? null,
    ]),
  ).toEqual([
    ['6000.00', 'requested'],
    ['3600.00', null],
    ['2400.00', null],
  ]);
  expect(trajectory.files.length).toBe(trajectory.totalFiles);
  await request(api.http)
    .get('/api/organisations/tiers-lieu-demo/trajectory')
    .set('Cookie', api.cookies.donor)
    .expect(403);
});
