import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument } from '../../src/documents/service';
import { recordDonation } from '../../src/endowment/gifts';
import { emailReceipt } from '../../src/endowment/receipt-mail';
import { todayInParis } from '../../src/time';
import { demoPassword } from '../../src/demo/seed';
import { createUser } from '../../src/identity/service';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { pdfText } from '../support/pdf';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const asTreasurer = (method: 'post' | 'get', url: string) =>
  request(api.http)[method](url).set('Cookie', api.cookies.treasurer);
const newDonor = async (body: Record<string, unknown>) =>
  (await asTreasurer('post', '/api/funds/dotation/donors').send(body).expect(201)).body.id as string;
const individual = {
  kind: 'individual',
  lastName: 'Martin',
  firstNames: 'Élise Marie',
  addressLine: '8 rue du Port',
  postalCode: '44000',
  city: 'Nantes',
  email: 'elise@exemple.fr',
};
const give = (donorId: string, amount: string, key: string, extra: Record<string, unknown> = {}) =>
  asTreasurer('post', '/api/funds/dotation/donations')
    .set('Idempotency-Key', key)
    .send({ donorId, amount, receivedOn: '2026-11-12', method: 'transfer', ...extra });
const receiptPdf = async (receiptId: string) => {
  const document = await renderDocument(api.app.db, documentKinds, {
    kind: 'tax-receipt',
    subjectType: 'tax-receipt',
    subjectId: receiptId,
    documentKey: `tax-receipt:${receiptId}`,
  });
  const row = await api.app.db('documents').where('id', document.id).first('content');
  return pdfText(row.content);
};

it('records a gift once per request, on the books, with a receipt carrying every mandatory item', async () => {
  const donorId = await newDonor(individual);
  const first = await give(donorId, '250.00', 'gift-elise-1').expect(201);
  const replay = await give(donorId, '250.00', 'gift-elise-1').expect(200);
  expect(replay.body).toEqual(first.body);

  const entry = await api.app
    .db('journal_entries')
    .where({ source_type: 'donation', source_id: first.body.donationId })
    .first('id', 'journal_code');
  const postings = await api.app
    .db('postings')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .where('entry_id', entry.id)
    .orderBy('accounts.code')
    .select('accounts.code', 'postings.amount_minor');
  expect([entry.journal_code, postings]).toEqual([
    'DONS',
    [
      { code: '512', amount_minor: 25000n },
      { code: '7541', amount_minor: -25000n },
    ],
  ]);

  const text = await receiptPdf(first.body.receiptId);
  const receipt = await api.app.db('tax_receipts').where('id', first.body.receiptId).first('reference');
  for (const expected of [
    `Numéro d’ordre du reçu : ${receipt.reference}`,
    'cerfa n° 11580*05',
    'Fonds de Dotation pour la Transition Juste',
    'SIREN 900000001',
    '5 rue de la Transition, 75010 Paris',
    'Fonds de dotation (loi n° 2008-776',
    'MARTIN Élise Marie',
    '8 rue du Port, 44000 Nantes',
    'la somme de : ***250,00 €***',
    'Somme en toutes lettres : deux cent cinquante euros',
    'Date du versement ou du don : le 12 novembre 2026',
    'réduction d’impôt prévue à l’article 200 du code général des impôts (et non à celle de l’article 978)',
    'Déclaration de don manuel',
    'Numéraire',
    'virement, prélèvement, carte bancaire',
    '66 % du montant du don',
    'Camille Admin, présidente',
  ])
    expect(text).toContain(expected);

  expect(await emailReceipt(api.app, first.body.receiptId)).toEqual({ sent: true });
  expect(await emailReceipt(api.app, first.body.receiptId)).toEqual({ sent: false });
  const mail = fs.readFileSync(path.join(api.app.config.mailOutboxDir, `receipt-${receipt.reference}.eml`), 'utf8');
  expect(mail).toMatch(/^To: elise@exemple\.fr$/m);
  expect(mail).toMatch(/Content-Type: application\/pdf; name=recu-fiscal-/);
  // The e-mail links to the donor's space, where every receipt stays.
  expect(mail.replace(/=\r?\n/g, '')).toContain(`${api.app.config.publicUrl}/mes-dons`);
});

it('receipts a company gift under article 238 bis, books it as patronage, and writes the amount in words', async () => {
  const donorId = await newDonor({
    kind: 'company',
    companyName: 'Coopérative Solaire SAS',
    siren: '812 345 676',
    addressLine: '1 quai des Énergies',
    postalCode: '13002',
    city: 'Marseille',
  });
  const gift = await give(donorId, '1234.56', 'gift-company-1', { method: 'cheque' }).expect(201);
  const text = await receiptPdf(gift.body.receiptId);
  for (const expected of [
    'cerfa n° 16216*01',
    'Coopérative Solaire SAS',
    'SIREN 812345676',
    'mille deux cent trente-quatre euros et cinquante-six centimes',
    'l’article 238 bis',
    '60 % du montant du don',
    'chèque',
  ])
    expect(text).toContain(expected);
  expect(text).not.toContain('978');
  const credit = await api.app
    .db('postings')
    .join('accounts', 'accounts.id', 'postings.account_id')
    .join('journal_entries', 'journal_entries.id', 'postings.entry_id')
    .where({ source_id: gift.body.donationId })
    .where('postings.amount_minor', '<', 0)
    .first('accounts.code');
  expect(credit.code).toBe('7542');
});

it('numbers receipts without gap or repeat under 100 concurrent gifts, even when some transactions fail', async () => {
  const donorId = await newDonor({ ...individual, email: 'foule@exemple.fr' });
  const before =
    (await api.app.db('tax_receipt_counters').where({ fund_id: 'dotation', fiscal_year: 2026 }).first('last_number'))
      ?.last_number ?? 0;
  const outcomes = await Promise.allSettled(
    Array.from({ length: 100 }, (_, index) =>
      api.app.db.transaction(async (trx) => {
        await recordDonation(
          trx,
          'dotation',
          { donorId, amount: BigInt(1000 + index), receivedOn: '2026-11-12', method: 'card', recurring: false },
          { userId: null },
          `crowd-${index}`,
        );
        // Every tenth business change fails after its receipt was numbered: its number must not be lost.
        if (index % 10 === 0) throw new Error('payment provider said no');
      }),
    ),
  );
  expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(90);
  const numbers = await api.app
    .db('tax_receipts')
    .where({ fund_id: 'dotation', fiscal_year: 2026 })
    .where('number', '>', before)
    .orderBy('number')
    .pluck('number');
  expect(numbers).toEqual(Array.from({ length: 90 }, (_, index) => before + index + 1));
});

it('refuses a gift not yet received, and issues annual summaries once for the donors who chose them', async () => {
  const donorId = await newDonor({ ...individual, email: 'annuel@exemple.fr', receiptMode: 'annual' });
  const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
  const future = await give(donorId, '10.00', 'future-gift', {
    receivedOn: tomorrow > todayInParis() ? tomorrow : '2099-01-01',
  }).expect(400);
  expect(future.body.errors[0].pointer).toBe('/body/receivedOn');
  const january = await give(donorId, '40.00', 'annual-1', { receivedOn: '2026-01-15', recurring: true }).expect(201);
  await give(donorId, '40.00', 'annual-2', { receivedOn: '2026-02-15', recurring: true }).expect(201);
  expect(january.body.receiptId).toBeNull();
  const issued = await asTreasurer('post', '/api/funds/dotation/tax-receipts/annual?year=2026').expect(201);
  expect(issued.body.receiptIds).toHaveLength(1);
  expect(
    (await asTreasurer('post', '/api/funds/dotation/tax-receipts/annual?year=2026').expect(201)).body.receiptIds,
  ).toEqual([]);
  const text = await receiptPdf(issued.body.receiptIds[0]);
  expect(text).toContain('la somme de : ***80,00 €***');
  expect(text).toContain('Date du versement ou du don : du 1er janvier 2026 au 31 décembre 2026');
});

it('cancels a receipt by keeping its number and issuing a replacement, never by changing or deleting it', async () => {
  const donorId = await newDonor({ ...individual, lastName: 'Martinn', email: 'faute@exemple.fr' });
  const gift = await give(donorId, '75.00', 'gift-typo').expect(201);
  const original = await api.app.db('tax_receipts').where('id', gift.body.receiptId).first('reference', 'number');
  const replaced = await asTreasurer('post', `/api/funds/dotation/tax-receipts/${gift.body.receiptId}/cancellation`)
    .send({ reason: 'Nom mal orthographié', donor: { lastName: 'Martin' } })
    .expect(201);
  await asTreasurer('post', `/api/funds/dotation/tax-receipts/${gift.body.receiptId}/cancellation`)
    .send({ reason: 'Encore' })
    .expect(409);
  const rows = await api.app
    .db('tax_receipts')
    .whereIn('id', [gift.body.receiptId, replaced.body.replacementId])
    .orderBy('number')
    .select('number', 'cancelled_at', 'replaces_id', 'content');
  expect(rows[0].cancelled_at).not.toBeNull();
  expect(rows[1].number).toBeGreaterThan(original.number);
  expect(rows[1].replaces_id).toBe(gift.body.receiptId);
  const text = await receiptPdf(replaced.body.replacementId);
  expect(text).toContain(`Ce reçu annule et remplace le reçu n° ${original.reference}.`);
  expect(text).toContain('MARTIN Élise Marie');
  await expect(api.app.db('tax_receipts').where('id', gift.body.receiptId).delete()).rejects.toMatchObject({
    code: 'ML002',
  });
  await expect(
    api.app.db('tax_receipts').where('id', replaced.body.replacementId).update({ amount_minor: 1n }),
  ).rejects.toMatchObject({ code: 'ML002' });

  const register = await asTreasurer('get', '/api/funds/dotation/tax-receipts/register?year=2026').expect(200);
  const lines = register.text.split('\r\n');
  // Behind a BOM, for spreadsheets to read the accents.
  expect(lines[0]).toBe('\uFEFFnumero;type;donateur;categorie;article_cgi;montant;du;au;emis_le;statut');
  expect(lines.find((line) => line.startsWith(`${original.reference};`))).toMatch(
    /;75,00;2026-11-12;2026-11-12;\d{4}-\d{2}-\d{2};annulé$/,
  );
  const valid = await api.app
    .db('tax_receipts')
    .where({ fund_id: 'dotation', fiscal_year: 2026 })
    .whereNull('cancelled_at')
    .count('* as count')
    .first();
  expect(lines.at(-2)).toMatch(
    new RegExp(`^total_dons_recus_par_recus_valides;[^;]+;nombre_de_recus_valides;${valid!.count}$`),
  );
});

it('shows donors their own gifts and receipts, and nobody else', async () => {
  const mine = await request(api.http).get('/api/me/gifts').set('Cookie', api.cookies.donor).expect(200);
  const [jeanne] = mine.body.donors;
  expect([jeanne.name, jeanne.donations.map((donation: { amount: string }) => donation.amount)]).toEqual([
    'DONATRICE Jeanne',
    ['1234.56'],
  ]);
  const [receipt] = jeanne.receipts;
  const document = await renderDocument(api.app.db, documentKinds, {
    kind: 'tax-receipt',
    subjectType: 'tax-receipt',
    subjectId: receipt.id,
    documentKey: `tax-receipt:${receipt.id}`,
  });
  await request(api.http).get(`/api/documents/${document.id}`).set('Cookie', api.cookies.donor).expect(200);
  await request(api.http).get(`/api/documents/${document.id}`).set('Cookie', api.cookies.treasurer).expect(200);
  for (const outsider of ['applicant', 'guaranteeTreasurer', 'committeeMember'] as const)
    await request(api.http).get(`/api/documents/${document.id}`).set('Cookie', api.cookies[outsider]).expect(404);
  await request(api.http).get('/api/me/gifts').set('Cookie', api.cookies.applicant).expect(403);
});

it('links a donor recorded before their account to it, by the e-mail they log in with', async () => {
  await newDonor({ ...individual, lastName: 'Tardive', email: 'tardive@exemple.fr' });
  await api.app.db.transaction((trx) =>
    createUser(trx, {
      email: 'tardive@exemple.fr',
      displayName: 'Tardive',
      password: demoPassword,
      roles: [{ role: 'donor' }],
    }),
  );
  const mine = await request(api.http)
    .get('/api/me/gifts')
    .set('Cookie', await logIn(api.http, 'tardive@exemple.fr'))
    .expect(200);
  expect(mine.body.donors.map((donor: { name: string }) => donor.name)).toEqual(['TARDIVE Élise Marie']);
  const unknownPool = await give(mine.body.donors[0].id, '10.00', 'gift-unknown-pool', { poolId: 'nulle-part' }).expect(
    400,
  );
  expect(unknownPool.body.errors[0].pointer).toBe('/body/poolId');
});

it('refuses, saying why, a receipt for a gift older than every known tax-reduction rate, and records nothing', async () => {
  const donorId = await newDonor({ ...individual, email: 'ancien@exemple.fr' });
  const refused = await give(donorId, '30.00', 'gift-2019', { receivedOn: '2019-06-15' }).expect(422);
  expect(refused.body.detail).toBe(
    'Aucun taux de réduction d’impôt n’est enregistré pour un don du 15 juin 2019 : le reçu ne peut pas être établi.',
  );
  expect(await api.app.db('donations').where('donor_id', donorId).count('* as n').first()).toEqual({ n: 0n });
});
