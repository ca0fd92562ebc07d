import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const header = 'type;nom;prenoms;raison_sociale;siren;adresse;code_postal;ville;pays;email;montant;date;mode;recurrent;reference';
const csv = [
  header,
  'particulier;Durand;Paul;;;4 rue Verte;35000;Rennes;;paul@exemple.fr;1 000,00;12/10/2026;virement;non;HA-001',
  'entreprise;;;Scop Bois Local;812345676;2 allée des Scieurs;88000;Épinal;;;2 500,50;2026-10-13;cheque;non;HA-002',
  'particulier;Durand;Paul;;;4 rue Verte;35000;Rennes;;paul@exemple.fr;25,00;2026-10-20;carte;oui;HA-003',
  'particulier;Sans;Montant;;;1 rue Vide;75001;Paris;;;;2026-10-20;carte;non;HA-004',
  'entreprise;;;Mauvais Siren;123456789;1 rue X;75001;Paris;;;10,00;2026-10-20;troc;non;HA-005',
  'particulier;Futur;Don;;;1 rue Demain;75001;Paris;;;10,00;2099-01-01;virement;non;HA-006',
].join('\n');
const upload = (dryRun: boolean, body = csv) =>
  request(api.http).post(`/api/funds/dotation/donations/import?dryRun=${dryRun}`).set('Cookie', api.cookies.treasurer).set('Content-Type', 'text/csv').send(Buffer.from(body));
const count = async (table: string) => (await api.app.db(table).count('* as count').first())!.count;

it('reports in a dry run exactly what an import would do, writing nothing', async () => {
  const before = await Promise.all(['donations', 'donors', 'tax_receipts', 'journal_entries', 'tax_receipt_counters'].map(count));
  const counter = await api.app.db('tax_receipt_counters').select();
  const dry = await upload(true).expect(200);
  expect(dry.body.created.map((line: { line: number; newDonor: boolean; amount: string }) => [line.line, line.newDonor, line.amount])).toEqual([
    [2, true, '1000.00'],
    [3, true, '2500.50'],
    [4, false, '25.00'],
  ]);
  expect(dry.body.refused).toEqual([
    { line: 5, errors: ['montant : nombre français, ex. 1 234,56.'] },
    { line: 6, errors: ['mode : virement, carte, cheque, especes, prelevement.', 'siren : SIREN invalide : 9 chiffres et clé de contrôle (Luhn).'] },
    { line: 7, errors: ['Un don s’enregistre une fois reçu : la date ne peut pas être future.'] },
  ]);
  expect(await Promise.all(['donations', 'donors', 'tax_receipts', 'journal_entries', 'tax_receipt_counters'].map(count))).toEqual(before);
  expect(await api.app.db('tax_receipt_counters').select()).toEqual(counter);

  const real = await upload(false).expect(200);
  expect([real.body.created.length, real.body.refused.map((line: { line: number }) => line.line)]).toEqual([3, [5, 6, 7]]);
  expect(real.body.created.every((line: { receiptId: string | null }) => line.receiptId !== null)).toBe(true);
  expect(await api.app.db('donors').where('email', 'paul@exemple.fr').count('* as count').first()).toEqual({ count: 1n });
  // The refused future gift left no donor behind.
  expect(await api.app.db('donors').where('last_name', 'Futur').first()).toBeUndefined();

  const again = await upload(false).expect(200);
  expect([again.body.created, again.body.alreadyImported.map((line: { reference: string }) => line.reference)]).toEqual([[], ['HA-001', 'HA-002', 'HA-003']]);
  await upload(false, 'nom;prenoms\nx;y').expect(400);
});
