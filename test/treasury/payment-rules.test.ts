import request from 'supertest';
import { create } from 'xmlbuilder2';
import { assertPainValid } from '../../src/treasury/pain-schema';
import { painCreditTransfer, sepaIdentifier, sepaMessageId, sepaText } from '../../src/treasury/sepa';
import { createTestApi, type TestApi } from '../support/http';
import { activeGrant } from '../support/pathway';
import { sepaBatches } from '../support/sepa-batches';
import { secondTreasurer } from '../support/treasury';

/** Four eyes that cannot be split around, bank details changed by one person, SEPA files a bank takes. */
let api: TestApi;
let controller: string;
let verifier: string;
beforeAll(async () => {
  api = await createTestApi();
  controller = await secondTreasurer(api, 'controle@exemple.fr');
  verifier = await secondTreasurer(api, 'verification@exemple.fr');
});
afterAll(() => api.drop());

const as = (cookie: string, method: 'get' | 'post' | 'patch', url: string) =>
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
const requestPayment = (requestId: string, amount?: string, cookie = api.cookies.treasurer) =>
  as(cookie, 'post', '/api/funds/dotation/disbursements').send({ requestId, ...(amount ? { amount } : {}) });
const step = (cookie: string, id: string, body: Record<string, unknown>, status = 200) =>
  as(cookie, 'post', `/api/disbursements/${id}/transitions`).send(body).expect(status);

it('asks two approvers for every piece of a tranche above the threshold, however it is split', async () => {
  const requestId = await payableRequest(await activeGrant(api, '30000.00'));
  const pieces = [];
  for (const amount of ['7500.00', '7500.00']) pieces.push((await requestPayment(requestId, amount).expect(201)).body);
  expect(pieces.map((piece) => piece.approvalsNeeded)).toEqual([2, 2]);
  for (const piece of pieces)
    expect((await step(controller, piece.id, { event: 'APPROVE' })).body.state).toBe('requested');
});

it('refuses a batch paying one beneficiary more than the threshold on single approvals', async () => {
  const ids = [];
  for (const grant of ['12000.00', '12000.00']) {
    const piece = (await requestPayment(await payableRequest(await activeGrant(api, grant))).expect(201)).body;
    expect([piece.amount, piece.approvalsNeeded]).toEqual(['6000.00', 1]);
    await step(controller, piece.id, { event: 'APPROVE' });
    ids.push(piece.id);
  }
  const batchesBefore = await api.app.db('payment_batches').count('* as count').first();
  const refused = await as(api.cookies.treasurer, 'post', '/api/funds/dotation/payment-batches')
    .send({ disbursementIds: ids, executionDate: '2099-01-02' })
    .expect(422);
  expect(refused.body.detail.replace(/\s/g, ' ')).toBe(
    "Ce lot verse 12 000,00 € à La Fabrique du Tiers-Lieu, au-delà du seuil de 10 000,00 € : chacun de ces paiements doit avoir été approuvé par deux personnes (2 ne l'a été que par une : faites-les approuver une seconde fois, ou payez-les dans des lots séparés).",
  );
  expect(await api.app.db('payment_batches').count('* as count').first()).toEqual(batchesBefore);
  for (const id of ids)
    expect((await as(api.cookies.treasurer, 'get', `/api/disbursements/${id}`).expect(200)).body.state).toBe(
      'approved',
    );
  // A second approval each, and the same batch goes.
  for (const id of ids) expect((await step(verifier, id, { event: 'APPROVE' })).body.approvals).toHaveLength(2);
  await as(api.cookies.treasurer, 'post', '/api/funds/dotation/payment-batches')
    .send({ disbursementIds: ids, executionDate: '2099-01-02' })
    .expect(201);
});

it('records and tells every change of bank details, and a payment to new details takes two approvers', async () => {
  const requestId = await payableRequest(await activeGrant(api, '8000.00'));
  await as(api.cookies.applicant, 'patch', '/api/organisations/tiers-lieu-demo')
    .send({ iban: 'FR76 3000 4000 0312 3456 7890 143' })
    .expect(200);
  const change = await api.app
    .db('organisation_bank_details_changes')
    .join('users', 'users.id', 'organisation_bank_details_changes.changed_by')
    .orderBy('organisation_bank_details_changes.id', 'desc')
    .first('iban_before', 'iban_after', 'users.email');
  expect(change).toEqual({
    iban_before: 'FR7630006000011234567890189',
    iban_after: 'FR7630004000031234567890143',
    email: 'porteur@milliard.test',
  });
  const told = await api.app
    .db('notifications')
    .where({ subject_type: 'organisation', subject_id: 'tiers-lieu-demo' })
    .join('users', 'users.id', 'notifications.user_id')
    .pluck('users.email');
  expect(told).toEqual(
    expect.arrayContaining(['tresoriere@milliard.test', 'controle@exemple.fr', 'verification@exemple.fr']),
  );
  expect(told).not.toContain('porteur@milliard.test');
  const piece = (await requestPayment(requestId).expect(201)).body;
  expect([piece.amount, piece.approvalsNeeded]).toEqual(['4000.00', 2]);
  expect((await step(controller, piece.id, { event: 'APPROVE' })).body.state).toBe('requested');
  expect((await step(verifier, piece.id, { event: 'APPROVE' })).body.state).toBe('approved');
  // Once a payment to the new details is approved, the next one is back to the usual rule.
  const next = (await requestPayment(await payableRequest(await activeGrant(api, '8000.00'))).expect(201)).body;
  expect(next.approvalsNeeded).toBe(1);
});

it('does not let whoever re-issues a returned payment approve it alone', async () => {
  const requestId = await payableRequest(await activeGrant(api, '10000.00'));
  const piece = (await requestPayment(requestId).expect(201)).body;
  await step(controller, piece.id, { event: 'APPROVE' });
  const batch = (
    await as(api.cookies.treasurer, 'post', '/api/funds/dotation/payment-batches')
      .send({ disbursementIds: [piece.id], executionDate: '2099-01-02' })
      .expect(201)
  ).body;
  await as(api.cookies.treasurer, 'post', `/api/payment-batches/${batch.batchId}/sent`).expect(204);
  await step(api.cookies.treasurer, piece.id, { event: 'SETTLE' });
  await step(api.cookies.treasurer, piece.id, { event: 'RETURN', reasonCode: 'AC04', reason: 'Compte clôturé' });
  await as(api.cookies.applicant, 'patch', '/api/organisations/tiers-lieu-demo')
    .send({ iban: 'FR14 2004 1010 0505 0001 3M02 606' })
    .expect(200);
  const reissued = (await step(controller, piece.id, { event: 'REISSUE' })).body;
  expect(reissued.approvalsNeeded).toBe(2);
  expect(
    (await as(controller, 'post', `/api/disbursements/${piece.id}/transitions`).send({ event: 'APPROVE' })).status,
  ).toBeGreaterThanOrEqual(400);
  expect((await step(verifier, piece.id, { event: 'APPROVE' })).body.state).toBe('requested');
  expect(
    (await step(await secondTreasurer(api, 'troisieme@exemple.fr'), piece.id, { event: 'APPROVE' })).body.state,
  ).toBe('approved');
});

it('refuses non-SEPA IBANs and names no SEPA text can carry, when the payment is requested', async () => {
  const refusedIban = await as(api.cookies.applicant, 'patch', '/api/organisations/tiers-lieu-demo')
    .send({ iban: 'TR33 0006 1005 1978 6457 8413 26' })
    .expect(400);
  expect(refusedIban.body.errors[0].message).toBe('IBAN hors zone SEPA : le fonds ne paie que par virement SEPA.');
  const requestId = await payableRequest(await activeGrant(api, '6000.00'));
  await as(api.cookies.applicant, 'patch', '/api/organisations/tiers-lieu-demo').send({ name: '★☆★' }).expect(200);
  const refused = await requestPayment(requestId).expect(400);
  expect(refused.body.errors[0].message).toMatch(
    /^Le nom du bénéficiaire « ★☆★ » ne contient aucun caractère que les banques SEPA acceptent/,
  );
  await as(api.cookies.applicant, 'patch', '/api/organisations/tiers-lieu-demo')
    .send({ name: 'La Fabrique du Tiers-Lieu' })
    .expect(200);
});

it('transliterates letters without a decomposition, keeps identifiers within the EPC rules, and offers no file the schema refuses', async () => {
  expect(sepaText('Søren Łukasz Đorđević Þór', 70)).toBe('Soren Lukasz Dordevic Thor');
  expect(sepaText('北京公司', 70)).toBe('Bei Jing Gong Si');
  expect(sepaText('★☆', 70)).toBe('');
  expect(['/ABC', 'ABC/', 'A//B', '//A//B//'].map(sepaIdentifier)).toEqual(['ABC', 'ABC', 'A/B', 'A/B']);
  const unique = 'MKZ1TQ8H-3F2A';
  const messageId = sepaMessageId('fonds-de-dotation-pour-la-transition-juste-et-solidaire', unique);
  expect([messageId.length <= 35, messageId.endsWith(unique)]).toEqual([true, true]);
  const batch = sepaBatches.accents!;
  const xml = painCreditTransfer({
    ...batch,
    transfers: [{ ...batch.transfers[0]!, creditorName: 'Søren Łukasz Đorđević Þór' }],
  });
  expect(
    (create(xml).end({ format: 'object' }) as Record<string, any>).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf.Cdtr.Nm,
  ).toBe('Soren Lukasz Dordevic Thor');
  await expect(assertPainValid(xml)).resolves.toBeUndefined();
  await expect(assertPainValid(xml.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>'))).rejects.toMatchObject({
    type: 'treasury/file-invalid',
  });
});
