import request from 'supertest';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument } from '../../src/documents/service';
import { postEntry } from '../../src/ledger/entries';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { applicationAtCommittee, inOneDay } from '../support/pathway';
import { pdfText } from '../support/pdf';

let api: TestApi;
let hugo: string;
beforeAll(async () => {
  api = await createTestApi();
  hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(() => api.drop());

const treasurer = (method: 'post' | 'get', url: string) =>
  request(api.http)[method](url).set('Cookie', api.cookies.treasurer);
const pool = (body: Record<string, unknown>) =>
  treasurer('post', '/api/funds/dotation/pools').send({
    name: 'Pool',
    partnerName: 'ACTED',
    ticketMin: '5000.00',
    ticketMax: '30000.00',
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    ...body,
  });
const contribute = (poolId: string, amount: string, key: string) =>
  treasurer('post', `/api/funds/dotation/pools/${poolId}/contributions`)
    .set('Idempotency-Key', key)
    .send({ amount, receivedOn: '2026-04-02' });

async function voteOn(applicationId: string, motion: Record<string, unknown>) {
  const session = await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion, deadline: inOneDay() });
  if (session.status !== 201) return session;
  const url = `/api/vote-sessions/${session.body.id}`;
  for (const cookie of [api.cookies.committeeMember, hugo]) {
    await request(api.http).post(`${url}/declaration`).set('Cookie', cookie).send({ conflicted: false }).expect(200);
    await request(api.http).put(`${url}/vote`).set('Cookie', cookie).send({ choice: 'for' }).expect(200);
  }
  return {
    url,
    close: () => request(api.http).post(`${url}/close`).set('Cookie', api.cookies.committeeMember).send({}),
  };
}
const postingsOf = (applicationId: string) =>
  api.app
    .db('postings')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .join('journal_entries', 'journal_entries.id', 'postings.entry_id')
    .where({ source_type: 'grant', source_id: applicationId })
    .orderBy('postings.id')
    .select('accounts.code', 'postings.amount_minor', 'journal_entries.journal_code');

it('funds a pool, grants from it within its rules, splits tranches exactly and hands the first to the treasury once the agreement is signed', async () => {
  // The demo data set already has a tranche in payment: only this test's requests are looked at.
  const requestsList = async () =>
    (await treasurer('get', '/api/funds/dotation/disbursement-requests?pageSize=100').expect(200)).body.requests as {
      id: string;
      amount: string;
      payableAccountCode: string;
      label: string;
    }[];
  const seeded = new Set((await requestsList()).map((item) => item.id));
  const newRequests = async () => (await requestsList()).filter((item) => !seeded.has(item.id));
  const created = await pool({
    id: 'ong',
    name: 'Transition juste ONG',
    eligibleProjectTypes: ['energy', 'food'],
    tranchePercents: ['50', '30', '20'],
  }).expect(201);
  expect([created.body.accountCode, created.body.available]).toEqual(['195ONG', '0.00']);
  await contribute('ong', '180000.00', 'acted-contribution-1').expect(201);
  const replay = await contribute('ong', '180000.00', 'acted-contribution-1').expect(200);
  expect([replay.body.contributed, replay.body.available]).toEqual(['180000.00', '180000.00']);

  const applicationId = await applicationAtCommittee(api);
  const vote = await voteOn(applicationId, { decision: 'approve', amount: '20000.01', poolId: 'ong' });
  await (vote as { close: () => request.Test }).close().expect(200);
  expect(await postingsOf(applicationId)).toEqual([
    { code: '6571', amount_minor: 2000001n, journal_code: 'AIDES' },
    { code: '4671TIERSLIEUDEMO', amount_minor: -2000001n, journal_code: 'AIDES' },
    { code: '195ONG', amount_minor: 2000001n, journal_code: 'AIDES' },
    { code: '7895', amount_minor: -2000001n, journal_code: 'AIDES' },
  ]);
  const file = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(
    file.body.grant.tranches.map((tranche: { amount: string; status: string; condition: string }) => [
      tranche.amount,
      tranche.status,
      tranche.condition,
    ]),
  ).toEqual([
    ['10000.01', 'scheduled', 'agreement-signed'],
    ['6000.00', 'scheduled', 'report-accepted'],
    ['4000.00', 'scheduled', 'report-accepted'],
  ]);
  expect((await treasurer('get', '/api/funds/dotation/pools/ong').expect(200)).body).toMatchObject({
    granted: '20000.01',
    available: '159999.99',
  });

  const agreement = await renderDocument(api.app.db, documentKinds, {
    kind: 'grant-agreement',
    subjectType: 'application',
    subjectId: applicationId,
    documentKey: `grant-agreement:${applicationId}:v${file.body.history.length}`,
  });
  // The agreement names the pool, its partner and the schedule the parties sign.
  const agreementText = (
    await pdfText((await api.app.db('documents').where('id', agreement.id).first('content')).content)
  ).replace(/\s+/g, ' ');
  for (const expected of [
    'financée sur le pool de cofinancement « Transition juste ONG », abondé par ACTED',
    'en 3 tranches',
    '1. 10 000,01 € (50 %), à la signature de la présente convention ;',
    '2. 6 000,00 € (30 %), après acceptation par le Fonds du compte rendu de l’étape précédente ;',
    '3. 4 000,00 € (20 %), après acceptation',
  ]) {
    expect(agreementText).toContain(expected);
  }
  const step = (cookie: string, body: Record<string, unknown>) =>
    request(api.http)
      .post(`/api/applications/${applicationId}/transitions`)
      .set('Cookie', cookie)
      .send(body)
      .expect(200);
  await step(api.cookies.applicant, { event: 'ACCEPT_AGREEMENT', documentSha256: agreement.sha256 });
  expect(await newRequests()).toEqual([]);
  await step(api.cookies.admin, { event: 'COUNTERSIGN', documentSha256: agreement.sha256 });
  const requests = await newRequests();
  expect(
    requests.map((item: { amount: string; payableAccountCode: string; label: string }) => [
      item.amount,
      item.payableAccountCode,
      item.label,
    ]),
  ).toEqual([['10000.01', '4671TIERSLIEUDEMO', 'Aide La Fabrique du Tiers-Lieu - tranche 1/3']]);

  // Each accepted report makes the next tranche payable; a report sent back waits for its new version.
  const reported = await request(api.http)
    .post(`/api/applications/${applicationId}/reports`)
    .set('Cookie', api.cookies.applicant)
    .send({ summary: 'Isolation des combles terminée, devis de la pompe à chaleur signé.', spent: '9500.00' })
    .expect(201);
  const reportUrl = `/api/reports/${reported.body.reports[0].id}/transitions`;
  await request(api.http).post(reportUrl).set('Cookie', api.cookies.applicant).send({ event: 'ACCEPT' }).expect(403);
  await request(api.http)
    .post(reportUrl)
    .set('Cookie', api.cookies.referent)
    .send({ event: 'REQUEST_CHANGES', feedback: 'Joindre les factures acquittées.' })
    .expect(200);
  await request(api.http).post(reportUrl).set('Cookie', api.cookies.referent).send({ event: 'ACCEPT' }).expect(409);
  await request(api.http)
    .post(reportUrl)
    .set('Cookie', api.cookies.applicant)
    .send({ event: 'RESUBMIT', summary: 'Isolation terminée, factures acquittées jointes.' })
    .expect(200);
  expect(await newRequests()).toHaveLength(1);
  await request(api.http).post(reportUrl).set('Cookie', api.cookies.referent).send({ event: 'ACCEPT' }).expect(200);
  const afterReport = await newRequests();
  expect(afterReport.map((item: { amount: string }) => item.amount)).toEqual(['6000.00', '10000.01']); // newest first
  const report = (
    await request(api.http).get(`/api/applications/${applicationId}`).set('Cookie', api.cookies.applicant).expect(200)
  ).body.reports[0];
  expect([report.state, report.summary, report.history.map((row: { event: string }) => row.event)]).toEqual([
    'accepted',
    'Isolation terminée, factures acquittées jointes.',
    ['start', 'REQUEST_CHANGES', 'RESUBMIT', 'ACCEPT'],
  ]);

  const csv = await treasurer('get', '/api/funds/dotation/pools/ong/statement?format=csv').expect(200);
  expect(csv.text.split('\r\n').slice(0, 2)).toEqual([
    'pool;partenaire;contribue;accorde;demande_en_paiement;disponible',
    'Transition juste ONG;ACTED;180000,00;20000,01;16000,01;159999,99',
  ]);
  const pdf = await treasurer('get', '/api/funds/dotation/pools/ong/statement')
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const text = await pdfText(pdf.body as Buffer);
  for (const expected of [
    'Relevé du pool « Transition juste ONG »',
    'Contributions reçues 180 000,00 €',
    'Aides accordées 20 000,01 €',
    'Disponible 159 999,99 €',
    'La Fabrique du Tiers-Lieu 20 000,01 €',
  ])
    expect(text).toContain(expected);
});

it("refuses a motion that breaks the pool's rules", async () => {
  await pool({
    id: 'alimentation',
    name: 'Alimentation durable',
    eligibleProjectTypes: ['food'],
    ticketMax: '15000.00',
  }).expect(201);
  await contribute('alimentation', '50000.00', 'alimentation-contribution-1').expect(201);
  const applicationId = await applicationAtCommittee(api);
  const refused = await voteOn(applicationId, { decision: 'approve', amount: '20000.00', poolId: 'alimentation' });
  expect((refused as request.Response).status).toBe(422);
  expect((refused as request.Response).body.detail.replace(/\s/g, ' ')).toMatch(
    /le ticket va de 5 000,00 € à 15 000,00 € ; il finance les projets de type alimentation/,
  );
  await pool({ id: 'mauvais', name: 'x', tranchePercents: ['50', '30'] }).expect(400);
});

it('never overdraws a pool, even when two grants on it are decided at the same instant', async () => {
  await pool({ id: 'petit', name: 'Petit pool' }).expect(201);
  await contribute('petit', '40000.00', 'petit-contribution-1').expect(201);
  const first = await applicationAtCommittee(api);
  const second = await applicationAtCommittee(api);
  const votes = [
    await voteOn(first, { decision: 'approve', amount: '20000.00', poolId: 'petit' }),
    await voteOn(second, { decision: 'approve', amount: '20000.00', poolId: 'petit' }),
  ] as { close: () => request.Test }[];
  // The partner takes 15 000 € back while both votes are open: the pool now holds one ticket, not two.
  await treasurer('post', '/api/funds/dotation/entries')
    .set('Idempotency-Key', 'petit-refund')
    .send({
      accountingDate: '2026-11-20',
      label: 'Remboursement',
      reason: 'Avenant de réduction',
      lines: [
        { accountCode: '195PETIT', debit: '15000.00' },
        { accountCode: '512', credit: '15000.00' },
      ],
    })
    .expect(201);
  const closes = await Promise.all(votes.map((vote) => vote.close()));
  // Both sessions end; the one that came second is adopted but not fundable.
  expect(closes.map((close) => [close.status, close.body.outcome]).sort()).toEqual([
    [200, 'adopted'],
    [200, 'adopted-not-fundable'],
  ]);
  expect(closes.find((close) => close.body.outcome === 'adopted-not-fundable')!.body.outcomeReason).toMatch(
    /^Le pool « Petit pool » n'a plus de quoi financer cette aide/,
  );
  expect((await treasurer('get', '/api/funds/dotation/pools/petit').expect(200)).body).toMatchObject({
    granted: '20000.00',
    available: '5000.00',
  });
  const states = await Promise.all(
    [first, second].map(
      async (id) =>
        (await request(api.http).get(`/api/applications/${id}`).set('Cookie', api.cookies.referent)).body.state,
    ),
  );
  expect(states.sort()).toEqual(['agreement.awaitingApplicant', 'instruction']);
  // And below the service, the database: the pool's account refuses to go under zero.
  const overdraw = api.app.db.transaction((trx) =>
    postEntry(
      trx,
      {
        fundId: 'dotation',
        journalCode: 'AIDES',
        accountingDate: '2026-11-20',
        label: 'Tentative',
        lines: [
          { accountCode: '195PETIT', amountMinor: 5_000_01n },
          { accountCode: '7895', amountMinor: -5_000_01n },
        ],
      },
      { userId: null },
    ),
  );
  await expect(overdraw).rejects.toMatchObject({ constraint: 'accounts_floor' });
});
