import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';
import { activeGrant } from '../support/pathway';
import { secondTreasurer } from '../support/treasury';

/** The treasury's lists: payments, batches with their state, count and total, and tranches whose state follows their payment. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const treasurer = (method: 'get' | 'post', url: string) =>
  request(api.http)[method](url).set('Cookie', api.cookies.treasurer);
const requestState = async (requestId: string) =>
  (
    (await treasurer('get', '/api/funds/dotation/disbursement-requests').expect(200)).body.requests as {
      id: string;
      status: string;
    }[]
  ).find((item) => item.id === requestId)!.status;

it('follows a tranche from requested to paid and back, and lists payments and batches', async () => {
  const approver = await secondTreasurer(api);
  const applicationId = await activeGrant(api, '8000.00');
  const requestId = (
    await api.app
      .db('disbursement_requests')
      .join('grant_tranches', 'grant_tranches.id', 'disbursement_requests.tranche_id')
      .join('grants', 'grants.id', 'grant_tranches.grant_id')
      .where('grants.application_id', applicationId)
      .first('disbursement_requests.id')
  ).id;
  expect(await requestState(requestId)).toBe('requested');
  const payment = (await treasurer('post', '/api/funds/dotation/disbursements').send({ requestId }).expect(201)).body;
  expect(await requestState(requestId)).toBe('in-payment');
  await request(api.http)
    .post(`/api/disbursements/${payment.id}/transitions`)
    .set('Cookie', approver)
    .send({ event: 'APPROVE' })
    .expect(200);
  const { batchId } = (
    await treasurer('post', '/api/funds/dotation/payment-batches')
      .send({ disbursementIds: [payment.id], executionDate: '2099-01-02' })
      .expect(201)
  ).body;
  expect(await requestState(requestId)).toBe('in-batch');
  const batches = async () =>
    (
      (await treasurer('get', '/api/funds/dotation/payment-batches').expect(200)).body.batches as {
        id: string;
        state: string;
        payments: number;
        total: string;
      }[]
    ).find((batch) => batch.id === batchId)!;
  expect(await batches()).toMatchObject({ state: 'prepared', payments: 1, total: '4000.00' });
  await treasurer('post', `/api/payment-batches/${batchId}/sent`).expect(204);
  expect([await requestState(requestId), (await batches()).state]).toEqual(['sent', 'sent']);
  await treasurer('post', `/api/disbursements/${payment.id}/transitions`).send({ event: 'SETTLE' }).expect(200);
  expect([await requestState(requestId), (await batches()).state]).toEqual(['paid', 'paid']);
  await treasurer('post', `/api/disbursements/${payment.id}/transitions`)
    .send({ event: 'RETURN', reasonCode: 'AC04', reason: 'Compte clos' })
    .expect(200);
  expect(await requestState(requestId)).toBe('returned');
  const returned = (await treasurer('get', '/api/funds/dotation/disbursement-requests?status=returned').expect(200))
    .body.requests;
  expect(returned.map((item: { id: string }) => item.id)).toEqual([requestId]);

  const listed = (await treasurer('get', `/api/funds/dotation/disbursements?batchId=${batchId}`).expect(200)).body;
  expect([listed.total, listed.disbursements[0]]).toEqual([
    1,
    expect.objectContaining({ id: payment.id, state: 'returned', amount: '4000.00', approvals: 1, approvalsNeeded: 1 }),
  ]);
  expect(
    (await treasurer('get', '/api/funds/dotation/disbursements?state=settled').expect(200)).body.disbursements.map(
      (item: { id: string }) => item.id,
    ),
  ).not.toContain(payment.id);
  await request(api.http)
    .get('/api/funds/dotation/payment-batches')
    .set('Cookie', api.cookies.guaranteeTreasurer)
    .expect(404);
});

it('pages the payable tranches, newest first, filtered by status and organisation', async () => {
  await activeGrant(api, '6000.00');
  const all = (await treasurer('get', '/api/funds/dotation/disbursement-requests?pageSize=100').expect(200)).body;
  expect(all.total).toBeGreaterThanOrEqual(2);
  const first = (await treasurer('get', '/api/funds/dotation/disbursement-requests?pageSize=1').expect(200)).body;
  const second = (await treasurer('get', '/api/funds/dotation/disbursement-requests?pageSize=1&page=2').expect(200))
    .body;
  expect([first.total, first.requests.length, first.requests[0].id, second.requests[0].id]).toEqual([
    all.total,
    1,
    all.requests[0].id,
    all.requests[1].id,
  ]);
  expect(Date.parse(first.requests[0].createdAt)).toBeGreaterThanOrEqual(Date.parse(second.requests[0].createdAt));
  const requested = (
    await treasurer('get', '/api/funds/dotation/disbursement-requests?status=requested&pageSize=100').expect(200)
  ).body;
  expect(requested.total).toBe(all.requests.filter((item: { status: string }) => item.status === 'requested').length);
  expect(
    (await treasurer('get', '/api/funds/dotation/disbursement-requests?organisationId=autre-asso').expect(200)).body
      .total,
  ).toBe(0);
  const refused = (await treasurer('get', '/api/funds/dotation/disbursement-requests?status=lost').expect(400)).body;
  expect(refused.errors[0]).toMatchObject({
    pointer: '/query/status',
    message: expect.stringContaining('requested, in-payment'),
  });
});
