import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { todayInParis } from '../../src/time';
import { createTestApi, type TestApi } from '../support/http';
import { applicationAtCommittee } from '../support/pathway';

/** Answers that say what is wrong, files that spreadsheets read safely, a compose file that needs its password. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const treasurer = (method: 'get' | 'post', url: string) => request(api.http)[method](url).set('Cookie', api.cookies.treasurer);

it('refuses an entry in a closed month with the rule, not the SQL that raised it', async () => {
  await treasurer('post', '/api/funds/dotation/period-closures').send({ kind: 'month', month: '2026-02', reason: 'Clôture de février' }).expect(201);
  const refused = await treasurer('post', '/api/funds/dotation/entries').set('Idempotency-Key', 'closed-month-entry')
    .send({ accountingDate: '2026-02-10', label: 'Frais', reason: 'Frais oubliés', lines: [{ accountCode: '627', debit: '1.00' }, { accountCode: '512', credit: '1.00' }] })
    .expect(422);
  expect(refused.body.detail).toBe('La période du 2026-02-10 est close pour le fonds dotation');
});

it('says what is wrong with a past deadline and a past execution date', async () => {
  const applicationId = await applicationAtCommittee(api);
  const vote = await request(api.http).post('/api/committees/comite-dotation/sessions').set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion: { decision: 'approve', amount: '10000.00' }, deadline: '2020-01-01T10:00:00Z' }).expect(400);
  expect(vote.body.errors[0].message).toBe("L'échéance doit être dans le futur.");
  const batch = await treasurer('post', '/api/funds/dotation/payment-batches').send({ disbursementIds: ['00000000-0000-4000-8000-000000000000'], executionDate: '2020-01-02' }).expect(400);
  expect(batch.body.errors[0].message).toBe("La date d'exécution ne peut pas être passée : choisissez aujourd'hui ou plus tard.");
});

it('writes the receipt register with a BOM, and a donor named like a formula as text', async () => {
  const donor = (await treasurer('post', '/api/funds/dotation/donors').send({ kind: 'individual', lastName: '=HYPERLINK("http://x","y")', firstNames: 'Éve', addressLine: '1 rue', postalCode: '75001', city: 'Paris' }).expect(201)).body.id;
  await treasurer('post', '/api/funds/dotation/donations').set('Idempotency-Key', 'formula-donor').send({ donorId: donor, amount: '20.00', receivedOn: todayInParis(), method: 'card' }).expect(201);
  const register = await treasurer('get', `/api/funds/dotation/tax-receipts/register?year=${todayInParis().slice(0, 4)}`).buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  }).expect(200);
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
