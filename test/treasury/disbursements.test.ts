import request from 'supertest';
import { create } from 'xmlbuilder2';
import { verifyBooks } from '../../src/books';
import { demoPassword } from '../../src/demo/seed';
import { createUser } from '../../src/identity/service';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { activeGrant } from '../support/pathway';

/** Paying a tranche: four eyes, never more than payable, a SEPA file, the books at settlement, a return and its re-issue. */
let api: TestApi;
let controller: string;
let verifier: string;
beforeAll(async () => {
  api = await createTestApi();
  for (const email of ['controleur@exemple.fr', 'verificatrice@exemple.fr']) {
    await api.app.db.transaction((trx) =>
      createUser(trx, {
        email,
        displayName: email.split('@')[0]!,
        password: demoPassword,
        roles: [{ role: 'treasurer', scopeId: 'dotation' }],
      }),
    );
  }
  controller = await logIn(api.http, 'controleur@exemple.fr');
  verifier = await logIn(api.http, 'verificatrice@exemple.fr');
});
afterAll(() => api.drop());

const as = (cookie: string, method: 'get' | 'post', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);
const payableRequest = async (applicationId: string) =>
  (
    await api.app
      .db('disbursement_requests')
      .join('grant_tranches', 'grant_tranches.id', 'disbursement_requests.tranche_id')
      .join('grants', 'grants.id', 'grant_tranches.grant_id')
      .where('grants.application_id', applicationId)
      .first('disbursement_requests.id')
  ).id as string;
const step = (cookie: string, id: string, body: Record<string, unknown>, status = 200) =>
  as(cookie, 'post', `/api/disbursements/${id}/transitions`).send(body).expect(status);

it('pays a tranche with four eyes, through a SEPA file, and books it when the bank confirms', async () => {
  const applicationId = await activeGrant(api, '20000.02');
  const requestId = await payableRequest(applicationId);
  const requested = await as(api.cookies.treasurer, 'post', '/api/funds/dotation/disbursements')
    .send({ requestId })
    .expect(201);
  const id = requested.body.id;
  expect([requested.body.amount, requested.body.approvalsNeeded, requested.body.creditor.iban]).toEqual([
    '10000.01',
    2,
    'FR7630006000011234567890189',
  ]);

  await step(api.cookies.treasurer, id, { event: 'APPROVE' }, 403);
  await step(api.cookies.admin, id, { event: 'APPROVE' }, 403);
  expect((await step(controller, id, { event: 'APPROVE' })).body.state).toBe('requested');
  await step(controller, id, { event: 'APPROVE' }, 409);
  expect((await step(verifier, id, { event: 'APPROVE' })).body.state).toBe('approved');
  await as(api.cookies.treasurer, 'post', '/api/funds/dotation/disbursements').send({ requestId }).expect(422);

  const batch = await as(api.cookies.treasurer, 'post', '/api/funds/dotation/payment-batches')
    .send({ disbursementIds: [id], executionDate: '2099-01-02' })
    .expect(201);
  const file = await as(controller, 'get', `/api/payment-batches/${batch.body.batchId}/pain001`).expect(200);
  const pain = (create(file.text).end({ format: 'object' }) as Record<string, any>).Document.CstmrCdtTrfInitn;
  expect([
    pain.GrpHdr.NbOfTxs,
    pain.GrpHdr.CtrlSum,
    pain.PmtInf.CdtTrfTxInf.PmtId.EndToEndId,
    pain.PmtInf.CdtTrfTxInf.Cdtr.Nm,
    pain.PmtInf.DbtrAcct.Id.IBAN,
  ]).toEqual(['1', '10000.01', requested.body.endToEndId, 'La Fabrique du Tiers-Lieu', 'FR7610107001011234567890129']);
  expect(pain.PmtInf.CdtTrfTxInf.RmtInf.Ustrd).toBe('Aide La Fabrique du Tiers-Lieu - tranche 1/3');
  expect((await as(api.cookies.treasurer, 'get', `/api/payment-batches/${batch.body.batchId}/pain001`)).text).toBe(
    file.text,
  );
  await as(api.cookies.guaranteeTreasurer, 'get', `/api/payment-batches/${batch.body.batchId}/pain001`).expect(404);

  await step(api.cookies.treasurer, id, { event: 'SETTLE' }, 409);
  await as(api.cookies.treasurer, 'post', `/api/payment-batches/${batch.body.batchId}/sent`).expect(204);
  const settled = await step(api.cookies.treasurer, id, {
    event: 'SETTLE',
    reason: 'Débit vu sur le relevé du 3 janvier',
  });
  expect(settled.body.state).toBe('settled');
  const postings = await api.app
    .db('postings')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .join('journal_entries', 'journal_entries.id', 'postings.entry_id')
    .where({ source_type: 'disbursement', source_id: id })
    .orderBy('postings.id')
    .select('accounts.code', 'postings.amount_minor');
  expect(postings).toEqual([
    { code: '4671TIERSLIEUDEMO', amount_minor: 1000001n },
    { code: '512', amount_minor: -1000001n },
  ]);

  // The bank sends it back (account closed): the books take the money back; re-issuing waits for new bank details.
  await step(api.cookies.treasurer, id, { event: 'RETURN', reasonCode: 'AC04', reason: 'Compte clôturé' });
  const returned = await api.app
    .db('postings')
    .join('journal_entries', 'journal_entries.id', 'postings.entry_id')
    .where({ source_type: 'disbursement', source_id: id })
    .sum('postings.amount_minor as total')
    .first();
  expect(returned!.total).toBe('0');
  const reissue = await step(api.cookies.treasurer, id, { event: 'REISSUE' }, 422);
  expect(reissue.body.type).toMatch(/bank-details-unchanged$/);
  await request(api.http)
    .patch('/api/organisations/tiers-lieu-demo')
    .set('Cookie', api.cookies.applicant)
    .send({ iban: 'FR76 3000 4000 0312 3456 7890 143', bic: 'BNPAFRPP' })
    .expect(200);
  const reissued = await step(api.cookies.treasurer, id, { event: 'REISSUE' });
  expect([reissued.body.state, reissued.body.creditor.iban, reissued.body.approvals]).toEqual([
    'requested',
    'FR7630004000031234567890143',
    [],
  ]);
  expect(reissued.body.endToEndId).not.toBe(requested.body.endToEndId);
  expect(reissued.body.history.map((row: { event: string }) => row.event)).toEqual([
    'start',
    'APPROVE',
    'APPROVE',
    'ADD_TO_BATCH',
    'SEND',
    'SETTLE',
    'RETURN',
    'REISSUE',
  ]);
});

it('never pays more than is payable on a tranche, whatever the concurrent requests', async () => {
  const applicationId = await activeGrant(api, '12000.00');
  const requestId = await payableRequest(applicationId);
  const attempts = await Promise.all(
    Array.from({ length: 10 }, () =>
      as(api.cookies.treasurer, 'post', '/api/funds/dotation/disbursements').send({ requestId, amount: '1000.00' }),
    ),
  );
  expect(attempts.map((attempt) => attempt.status).sort()).toEqual([...Array(6).fill(201), ...Array(4).fill(422)]);
  const engaged = await api.app.db('disbursements').where('request_id', requestId).sum('amount_minor as total').first();
  expect(engaged!.total).toBe('600000');
});

it('finds, in the books’ verification, a payment request owed on an account that is not its payee’s', async () => {
  const requestId = await payableRequest(await activeGrant(api, '8000.00'));
  const checks = async () =>
    (await verifyBooks(api.app.db)).problems.filter((problem) => problem.detail.includes(requestId));
  expect(await checks()).toEqual([]);
  // Another party's account, as a slip in a repair script would leave it.
  await api.app.db('disbursement_requests').where('id', requestId).update({ payable_account_code: '4671' });
  expect(await checks()).toEqual([
    expect.objectContaining({
      check: 'auxiliary-account-holder',
      detail: expect.stringMatching(/^demande de paiement .* : compte 4671, qui n'est pas son compte de tiers$/),
    }),
  ]);
});
