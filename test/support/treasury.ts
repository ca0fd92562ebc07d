import request from 'supertest';
import { demoPassword } from '../../src/demo/seed';
import { createUser } from '../../src/identity/service';
import { logIn, type TestApi } from './http';
import { activeGrant } from './pathway';

/** A second treasurer of a fund (the endowment fund's by default), to approve what the demo treasurer requests (four eyes). */
export async function secondTreasurer(
  api: TestApi,
  email = 'controle@exemple.fr',
  fundId = 'dotation',
): Promise<string> {
  if (!(await api.app.db('users').where('email', email).first('id'))) {
    await api.app.db.transaction((trx) =>
      createUser(trx, {
        email,
        displayName: 'Contrôle',
        password: demoPassword,
        roles: [{ role: 'treasurer', scopeId: fundId }],
      }),
    );
  }
  return logIn(api.http, email);
}

export type SentTransfer = { id: string; endToEndId: string; amount: string };

/**
 * Grants of the given amounts, the first tranche of each requested, approved
 * by a second treasurer, put in one batch and sent to the bank.
 */
export async function sentBatch(
  api: TestApi,
  grantAmounts: string[],
  executionDate = '2099-01-02',
): Promise<{ batchId: string; messageId: string; transfers: SentTransfer[] }> {
  const approver = await secondTreasurer(api);
  // Payments to one beneficiary above the fund's threshold in one batch are approved twice.
  const secondApprover = await secondTreasurer(api, 'verification@exemple.fr');
  const treasurer = (method: 'get' | 'post', url: string) =>
    request(api.http)[method](url).set('Cookie', api.cookies.treasurer);
  const transfers: SentTransfer[] = [];
  for (const amount of grantAmounts) {
    const applicationId = await activeGrant(api, amount);
    const requestId = (
      await api.app
        .db('disbursement_requests')
        .join('grant_tranches', 'grant_tranches.id', 'disbursement_requests.tranche_id')
        .join('grants', 'grants.id', 'grant_tranches.grant_id')
        .where('grants.application_id', applicationId)
        .first('disbursement_requests.id')
    ).id;
    const disbursement = (await treasurer('post', '/api/funds/dotation/disbursements').send({ requestId }).expect(201))
      .body;
    for (const cookie of [approver, secondApprover])
      await request(api.http)
        .post(`/api/disbursements/${disbursement.id}/transitions`)
        .set('Cookie', cookie)
        .send({ event: 'APPROVE' })
        .expect(200);
    transfers.push({ id: disbursement.id, endToEndId: disbursement.endToEndId, amount: disbursement.amount });
  }
  const { batchId } = (
    await treasurer('post', '/api/funds/dotation/payment-batches')
      .send({ disbursementIds: transfers.map((transfer) => transfer.id), executionDate })
      .expect(201)
  ).body;
  await treasurer('post', `/api/payment-batches/${batchId}/sent`).expect(204);
  const { message_id: messageId } = await api.app.db('payment_batches').where('id', batchId).first('message_id');
  return { batchId, messageId, transfers };
}

/** The demo's April statement of the endowment fund, reconciled as its README says: both proposals confirmed, the fees booked by hand. */
export async function reconcileDemoStatement(api: TestApi): Promise<{ statementId: string; methods: string[] }> {
  const treasurer = (url: string) => request(api.http).post(url).set('Cookie', api.cookies.treasurer);
  const { id } = await api.app
    .db('bank_statements')
    .where({ fund_id: 'dotation', bank_statement_id: 'RELEVE-DEMO-2026-04' })
    .first('id');
  const { matches } = (await treasurer(`/api/funds/dotation/bank-statements/${id}/matches`).expect(200)).body as {
    matches: { id: string; method: string; lines: { id: string }[] }[];
  };
  for (const match of matches)
    await treasurer(`/api/bank-matches/${match.id}/decision`).send({ decision: 'confirm' }).expect(204);
  const fees = (await api.app.db('bank_lines').where({ statement_id: id, amount_minor: -4_20n }).first('id')).id;
  await treasurer('/api/funds/dotation/bank-matches')
    .send({ lineIds: [fees], items: [{ type: 'account', accountCode: '627' }], reason: 'Frais de tenue de compte' })
    .expect(201);
  return { statementId: id, methods: matches.map((match) => match.method) };
}

/**
 * Pays one request of a fund: the treasurer prepares the transfer, other treasurers approve it (two above the
 * fund's threshold), one batch sent.
 */
export async function sentTransfer(
  api: TestApi,
  fundId: string,
  requestId: string,
  executionDate: string,
  approvers: 1 | 2 = 1,
): Promise<{ endToEndId: string; amount: string; pain: string }> {
  const treasurer = (method: 'get' | 'post', url: string) =>
    request(api.http)[method](url).set('Cookie', api.cookies.treasurer);
  const disbursement = (await treasurer('post', `/api/funds/${fundId}/disbursements`).send({ requestId }).expect(201))
    .body;
  for (const approver of ['controle', 'verification'].slice(0, approvers))
    await request(api.http)
      .post(`/api/disbursements/${disbursement.id}/transitions`)
      .set('Cookie', await secondTreasurer(api, `${approver}-${fundId}@exemple.fr`, fundId))
      .send({ event: 'APPROVE' })
      .expect(200);
  const { batchId } = (
    await treasurer('post', `/api/funds/${fundId}/payment-batches`)
      .send({ disbursementIds: [disbursement.id], executionDate })
      .expect(201)
  ).body;
  const pain = (await treasurer('get', `/api/payment-batches/${batchId}/pain001`).expect(200)).text;
  await treasurer('post', `/api/payment-batches/${batchId}/sent`).expect(204);
  return { endToEndId: disbursement.endToEndId, amount: disbursement.amount, pain };
}
