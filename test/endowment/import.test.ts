import iconv from 'iconv-lite';
import request from 'supertest';
import { jobHandlers } from '../../src/job-handlers';
import { runDonationImport } from '../../src/endowment/import';
import { startJobs } from '../../src/jobs/queue';
import { createTestApi, type TestApi } from '../support/http';
import { eventually } from '../support/pathway';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const header =
  'type;nom;prenoms;raison_sociale;siren;adresse;code_postal;ville;pays;email;montant;date;mode;recurrent;reference';
const csv = [
  header,
  'particulier;Durand;Paul;;;4 rue Verte;35000;Rennes;;paul@exemple.fr;1 000,00;12/10/2026;virement;non;HA-001',
  'entreprise;;;Scop Bois Local;812345676;2 allée des Scieurs;88000;Épinal;;;2 500,50;2026-10-13;cheque;non;HA-002',
  'particulier;Durand;Paul;;;4 rue Verte;35000;Rennes;;paul@exemple.fr;25,00;2026-10-20;carte;oui;HA-003',
  'particulier;Sans;Montant;;;1 rue Vide;75001;Paris;;;;2026-10-20;carte;non;HA-004',
  'entreprise;;;Mauvais Siren;123456789;1 rue X;75001;Paris;;;10,00;2026-10-20;troc;non;HA-005',
  'particulier;Futur;Don;;;1 rue Demain;75001;Paris;;;10,00;2099-01-01;virement;non;HA-006',
].join('\n');
const upload = (dryRun: boolean, body: string | Buffer = csv, contentType = 'text/csv') =>
  request(api.http)
    .post(`/api/funds/dotation/donations/import?dryRun=${dryRun}`)
    .set('Cookie', api.cookies.treasurer)
    .set('Content-Type', contentType)
    .send(Buffer.isBuffer(body) ? body : Buffer.from(body));
const count = async (table: string) => (await api.app.db(table).count('* as count').first())!.count;
const get = (path: string) => request(api.http).get(path).set('Cookie', api.cookies.treasurer).expect(200);
const lines = async (importId: string, outcome?: string) =>
  (
    await get(
      `/api/funds/dotation/donation-imports/${importId}/lines?pageSize=100${outcome ? `&outcome=${outcome}` : ''}`,
    )
  ).body.lines;

/** Queues an import and runs it here, in batches of two lines (so that a file of six spans three batches). */
async function importFile(dryRun: boolean, body: string | Buffer = csv, contentType?: string) {
  const queued = await upload(dryRun, body, contentType).expect(202);
  expect(queued.headers.location).toBe(`/api/funds/dotation/donation-imports/${queued.body.id}`);
  expect(queued.body).toMatchObject({ state: 'queued', dryRun, processedLines: 0 });
  await runDonationImport(api.app.db, queued.body.id, { batchLines: 2 });
  return queued.body.id as string;
}

it('reports in a dry run exactly what an import would do, batch after batch, writing nothing', async () => {
  const before = await Promise.all(
    ['donations', 'donors', 'tax_receipts', 'journal_entries', 'tax_receipt_counters'].map(count),
  );
  const counter = await api.app.db('tax_receipt_counters').select();
  const dry = await importFile(true);
  expect((await get(`/api/funds/dotation/donation-imports/${dry}`)).body).toMatchObject({
    state: 'done',
    totalLines: 6,
    processedLines: 6,
    created: 3,
    alreadyImported: 0,
    refused: 3,
    charset: 'utf-8',
  });
  // Line 4 (Paul's second gift) is in another batch than line 2, rolled back: still not a new donor.
  expect(
    (await lines(dry, 'created')).map(
      (line: { line: number; newDonor: boolean; amount: string; receiptId: string | null }) => [
        line.line,
        line.newDonor,
        line.amount,
        line.receiptId,
      ],
    ),
  ).toEqual([
    [2, true, '1000.00', null],
    [3, true, '2500.50', null],
    [4, false, '25.00', null],
  ]);
  expect(
    (await lines(dry, 'refused')).map(({ line, errors }: { line: number; errors: string[] }) => ({ line, errors })),
  ).toEqual([
    { line: 5, errors: ['montant : nombre français, ex. 1 234,56.'] },
    {
      line: 6,
      errors: [
        'mode : virement, carte, cheque, especes, prelevement.',
        'siren : SIREN invalide : 9 chiffres et clé de contrôle (Luhn).',
      ],
    },
    { line: 7, errors: ['Un don s’enregistre une fois reçu : la date ne peut pas être future.'] },
  ]);
  expect(
    await Promise.all(['donations', 'donors', 'tax_receipts', 'journal_entries', 'tax_receipt_counters'].map(count)),
  ).toEqual(before);
  expect(await api.app.db('tax_receipt_counters').select()).toEqual(counter);

  const real = await importFile(false);
  expect((await get(`/api/funds/dotation/donation-imports/${real}`)).body).toMatchObject({
    state: 'done',
    created: 3,
    refused: 3,
  });
  const created = await lines(real, 'created');
  expect(
    created.every(
      (line: { receiptId: string | null; donationId: string | null }) =>
        line.receiptId !== null && line.donationId !== null,
    ),
  ).toBe(true);
  expect(await api.app.db('donors').where('email', 'paul@exemple.fr').count('* as count').first()).toEqual({
    count: 1n,
  });
  // The refused future gift left no donor behind.
  expect(await api.app.db('donors').where('last_name', 'Futur').first()).toBeUndefined();

  const again = await importFile(false);
  expect((await lines(again, 'already-imported')).map((line: { reference: string }) => line.reference)).toEqual([
    'HA-001',
    'HA-002',
    'HA-003',
  ]);
  expect(await lines(again, 'created')).toEqual([]);
  const listed = (await get('/api/funds/dotation/donation-imports?pageSize=3')).body;
  expect(listed.imports.map((item: { id: string }) => item.id)).toEqual([again, real, dry]);
});

it('refuses a file it cannot import before queuing it, in plain French', async () => {
  const missing = await upload(false, 'nom;prenoms\nx;y').expect(400);
  expect(missing.body.errors[0].message).toMatch(/^Colonnes manquantes : type, raison_sociale/);
  expect((await upload(false, `${header}\n`).expect(400)).body.errors[0].message).toMatch(/aucune ligne de don/);
  const tooMany = `${header}\n${'particulier;A;B;;;1 rue;75001;Paris;;;1,00;2026-10-01;carte;non;\n'.repeat(100_001)}`;
  expect((await upload(false, tooMany).expect(400)).body.errors[0].message).toBe(
    'Au plus 100 000 lignes par import : découpez le fichier.',
  );
  expect((await upload(false, csv, 'text/csv; charset=klingon').expect(400)).body.errors[0]).toMatchObject({
    pointer: '/headers/Content-Type',
    message: 'Jeu de caractères inconnu : klingon.',
  });
});

it('resumes an interrupted import where it stopped, and two runs at once record each line once', async () => {
  const file = [
    header,
    ...Array.from(
      { length: 9 },
      (_, index) =>
        `particulier;Reprise;N${index};;;1 rue;69001;Lyon;;;${index + 1},00;2026-10-0${index + 1};virement;non;RES-${index}`,
    ),
  ].join('\n');
  const queued = await upload(false, file).expect(202);
  // The same file sent again while its import waits finds that import.
  expect((await upload(false, file).expect(200)).body.id).toBe(queued.body.id);
  const interrupted = await runDonationImport(api.app.db, queued.body.id, { batchLines: 2, batchesMax: 2 });
  expect(interrupted).toMatchObject({ state: 'running', processedLines: 4, created: 4 });
  const [first, second] = await Promise.all([
    runDonationImport(api.app.db, queued.body.id, { batchLines: 2 }),
    runDonationImport(api.app.db, queued.body.id, { batchLines: 3 }),
  ]);
  expect([first.state, second.state]).toEqual(['done', 'done']);
  expect(await runDonationImport(api.app.db, queued.body.id)).toMatchObject({
    state: 'done',
    totalLines: 9,
    processedLines: 9,
    created: 9,
    refused: 0,
    alreadyImported: 0,
  });
  expect(await api.app.db('donations').where('external_ref', 'like', 'RES-%').count('* as count').first()).toEqual({
    count: 9n,
  });
  const report = await lines(queued.body.id);
  expect(report.map((line: { line: number }) => line.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  // Each gift got its one receipt, though two runs were issuing receipts at once.
  const receiptIds = report.map((line: { receiptId: string | null }) => line.receiptId);
  expect(new Set(receiptIds.filter(Boolean)).size).toBe(9);
  expect(
    await api.app.db('tax_receipt_donations').whereIn('receipt_id', receiptIds).count('* as count').first(),
  ).toEqual({ count: 9n });
});

it('reads the file in the charset it declares, or in Windows-1252 when it is not UTF-8', async () => {
  const text = [
    header,
    'particulier;Lefèvre;Hélène;;;3 place de l’Église;59000;Lille;;;50,00;2026-10-02;chèque;non;CS-1',
  ]
    .join('\n')
    .replace('’', "'");
  const declared = await importFile(false, iconv.encode(text, 'windows-1252'), 'text/csv; charset=windows-1252');
  expect((await get(`/api/funds/dotation/donation-imports/${declared}`)).body).toMatchObject({
    charset: 'windows-1252',
    created: 1,
  });
  expect(await api.app.db('donors').where('last_name', 'Lefèvre').first('first_names', 'address_line')).toEqual({
    first_names: 'Hélène',
    address_line: "3 place de l'Église",
  });
  const undeclared = await importFile(
    false,
    iconv.encode(text.replace('CS-1', 'CS-2').replace('50,00', '60,00'), 'windows-1252'),
  );
  expect((await get(`/api/funds/dotation/donation-imports/${undeclared}`)).body).toMatchObject({
    charset: 'windows-1252',
    created: 1,
  });
});

it('runs as a queued job: the worker takes the import from the outbox to its end', async () => {
  const jobs = startJobs(api.app, jobHandlers, { relayEveryMs: 50 });
  try {
    const file = [header, 'particulier;File;Attente;;;1 rue;13001;Marseille;;;12,00;2026-10-05;carte;non;JOB-1'].join(
      '\n',
    );
    const queued = await upload(false, file).expect(202);
    const done = await eventually(async () => {
      const { body } = await get(`/api/funds/dotation/donation-imports/${queued.body.id}`);
      return body.state === 'done' ? body : undefined;
    });
    expect(done).toMatchObject({ created: 1, processedLines: 1 });
  } finally {
    await jobs.close();
  }
});

it('shows an import only to the treasurers of its fund', async () => {
  const queued = await upload(true).expect(202);
  await request(api.http)
    .get(`/api/funds/dotation/donation-imports/${queued.body.id}`)
    .set('Cookie', api.cookies.guaranteeTreasurer)
    .expect(404);
  await request(api.http)
    .get(`/api/funds/garantie/donation-imports/${queued.body.id}`)
    .set('Cookie', api.cookies.guaranteeTreasurer)
    .expect(404);
});
