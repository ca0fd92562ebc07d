import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { todayInParis } from '../../src/time';
import { createTestApi, type TestApi } from '../support/http';
import { activeGrant, applicationAtCommittee } from '../support/pathway';

/** Answers that say what is wrong, files that spreadsheets read safely, a compose file that needs its password. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const treasurer = (method: 'get' | 'post', url: string) =>
  request(api.http)[method](url).set('Cookie', api.cookies.treasurer);

it('refuses an entry in a closed month with the rule, not the SQL that raised it', async () => {
  await treasurer('post', '/api/funds/dotation/period-closures')
    .send({ kind: 'month', month: '2026-02', reason: 'Clôture de février' })
    .expect(201);
  const refused = await treasurer('post', '/api/funds/dotation/entries')
    .set('Idempotency-Key', 'closed-month-entry')
    .send({
      accountingDate: '2026-02-10',
      label: 'Frais',
      reason: 'Frais oubliés',
      lines: [
        { accountCode: '627', debit: '1.00' },
        { accountCode: '512', credit: '1.00' },
      ],
    })
    .expect(422);
  expect(refused.body.detail).toBe('La période du 2026-02-10 est close pour le fonds dotation');
});

it('says what is wrong with a past deadline and a past execution date', async () => {
  const applicationId = await applicationAtCommittee(api);
  const vote = await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion: { decision: 'approve', amount: '10000.00' }, deadline: '2020-01-01T10:00:00Z' })
    .expect(400);
  expect(vote.body.errors[0].message).toBe("L'échéance doit être dans le futur.");
  const batch = await treasurer('post', '/api/funds/dotation/payment-batches')
    .send({ disbursementIds: ['00000000-0000-4000-8000-000000000000'], executionDate: '2020-01-02' })
    .expect(400);
  expect(batch.body.errors[0].message).toBe(
    "La date d'exécution ne peut pas être passée : choisissez aujourd'hui ou plus tard.",
  );
});

it('writes the receipt register with a BOM, and a donor named like a formula as text', async () => {
  const donor = (
    await treasurer('post', '/api/funds/dotation/donors')
      .send({
        kind: 'individual',
        lastName: '=HYPERLINK("http://x","y")',
        firstNames: 'Éve',
        addressLine: '1 rue',
        postalCode: '75001',
        city: 'Paris',
      })
      .expect(201)
  ).body.id;
  await treasurer('post', '/api/funds/dotation/donations')
    .set('Idempotency-Key', 'formula-donor')
    .send({ donorId: donor, amount: '20.00', receivedOn: todayInParis(), method: 'card' })
    .expect(201);
  const register = await treasurer(
    'get',
    `/api/funds/dotation/tax-receipts/register?year=${todayInParis().slice(0, 4)}`,
  )
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const bytes = register.body as Buffer;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text).not.toMatch(/;"?=HYPERLINK/);
  expect(text).toMatch(/'=HYPERLINK/);
});

it('has docker compose refuse to start without POSTGRES_PASSWORD instead of a default one', () => {
  const compose = fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8');
  const uses = [...compose.matchAll(/\$\{POSTGRES_PASSWORD([^}]*)\}/g)].map((match) => match[1]);
  expect(uses.length).toBeGreaterThanOrEqual(2);
  for (const use of uses) expect(use).toMatch(/^:\?/);
});

it('words validation as a form would, not as a type checker', async () => {
  const referent = (body: Record<string, unknown>) =>
    request(api.http).post('/api/applications').set('Cookie', api.cookies.referent).send(body);
  const refused = await referent({
    organisationId: 'tiers-lieu-demo',
    message: '',
    contactEmail: 'x@exemple.fr',
    extra: true,
  }).expect(400);
  const messages = Object.fromEntries(
    refused.body.errors.map((error: { pointer: string; message: string }) => [error.pointer, error.message]),
  );
  expect(messages['/body/message']).toBe('Champ requis : il ne peut pas être vide.');
  expect(messages['/body/contactName']).toBe('Champ requis.');
  expect(messages['/body']).toBe('Champ inconnu : extra.');
  const noKey = await treasurer('post', '/api/funds/dotation/entries')
    .send({
      accountingDate: todayInParis(),
      label: 'Frais',
      reason: 'Frais du mois',
      lines: [
        { accountCode: '627', debit: '1.00' },
        { accountCode: '512', credit: '1.00' },
      ],
    })
    .expect(400);
  expect(
    noKey.body.errors.find((error: { pointer: string }) => error.pointer === '/headers/Idempotency-Key').message,
  ).toMatch(/^En-tête Idempotency-Key requis/);
});

it('names the missing parts of a proposal sent too early, and offers each person only the steps they may take', async () => {
  const opened = await request(api.http)
    .post('/api/applications')
    .set('Cookie', api.cookies.referent)
    .send({
      organisationId: 'tiers-lieu-demo',
      message: 'Un projet de ressourcerie.',
      contactName: 'Louis',
      contactEmail: 'porteur@milliard.test',
    })
    .expect(201);
  const id = opened.body.id;
  const me = (await request(api.http).get('/api/me').set('Cookie', api.cookies.referent).expect(200)).body.user.id;
  const step = (cookie: string, body: Record<string, unknown>) =>
    request(api.http).post(`/api/applications/${id}/transitions`).set('Cookie', cookie).send(body);
  await step(api.cookies.referent, { event: 'ASSIGN_REFERENT', referentId: me }).expect(200);
  await step(api.cookies.referent, { event: 'INVITE_PRE_PROPOSAL' }).expect(200);
  await step(api.cookies.applicant, {
    event: 'SUBMIT_PRE_PROPOSAL',
    need: 'Un local pour trier les dons.',
    project: 'Une ressourcerie de quartier.',
    amountFrom: '8000.00',
    amountTo: '12000.00',
  }).expect(200);
  await step(api.cookies.applicant, { event: 'COMPLETE_STEP', step: 'organisation', answers: {} }).expect(200);
  const early = await step(api.cookies.applicant, { event: 'SUBMIT_PROPOSAL' }).expect(422);
  expect(early.body.detail).toBe(
    "Il reste à compléter : le projet, le budget, les impacts. Complétez ces parties avant d'envoyer la proposition.",
  );
  const asApplicant = (
    await request(api.http).get(`/api/applications/${id}`).set('Cookie', api.cookies.applicant).expect(200)
  ).body.allowedEvents;
  const asReferent = (
    await request(api.http).get(`/api/applications/${id}`).set('Cookie', api.cookies.referent).expect(200)
  ).body.allowedEvents;
  expect(asApplicant).toEqual(expect.arrayContaining(['COMPLETE_STEP', 'SUBMIT_PROPOSAL', 'WITHDRAW']));
  expect(asReferent).not.toContain('COMPLETE_STEP');
  expect(asReferent).not.toContain('WITHDRAW');
});

it('states the four-eyes rule when the requester tries to approve', async () => {
  const applicationId = await activeGrant(api, '10000.00');
  const request_ = (
    await api.app
      .db('disbursement_requests')
      .join('grant_tranches', 'grant_tranches.id', 'disbursement_requests.tranche_id')
      .join('grants', 'grants.id', 'grant_tranches.grant_id')
      .where('grants.application_id', applicationId)
      .first('disbursement_requests.id')
  ).id;
  const piece = (
    await treasurer('post', '/api/funds/dotation/disbursements')
      .send({ requestId: request_, amount: '1.00' })
      .expect(201)
  ).body;
  const refused = await treasurer('post', `/api/disbursements/${piece.id}/transitions`)
    .send({ event: 'APPROVE' })
    .expect(403);
  expect(refused.body.detail).toBe(
    'Règle des quatre yeux : vous avez demandé (ou réémis) ce paiement, une autre personne doit l’approuver.',
  );
});
