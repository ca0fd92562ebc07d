import iconv from 'iconv-lite';
import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';

let api: TestApi;
const entry = (overrides: Record<string, unknown> = {}) => ({
  accountingDate: '2026-05-10',
  label: 'Frais de tenue de compte',
  reason: 'Relevé bancaire de mai',
  lines: [
    { accountCode: '627', debit: '12.50' },
    { accountCode: '512', credit: '12.50' },
  ],
  ...overrides,
});

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const asTreasurer = (method: 'get' | 'post', path: string) =>
  request(api.http)[method](path).set('Cookie', api.cookies.treasurer);

describe('manual entries through the API', () => {
  it('posts an OD entry with its reason; a retry returns it; another body under the same key is refused', async () => {
    const first = await asTreasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'od-2026-05-10-frais')
      .send(entry())
      .expect(201);
    expect(first.body).toMatchObject({
      journalCode: 'OD',
      reason: 'Relevé bancaire de mai',
      postings: [
        { accountCode: '627', debit: '12.50', credit: '0.00' },
        { accountCode: '512', debit: '0.00', credit: '12.50' },
      ],
    });
    const retry = await asTreasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'od-2026-05-10-frais')
      .send(entry())
      .expect(200);
    expect(retry.body.id).toBe(first.body.id);
    const other = await asTreasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'od-2026-05-10-frais')
      .send(entry({ label: 'Autre chose' }))
      .expect(409);
    expect(other.body.type).toBe('/problems/conflict');
  });

  it('requires an idempotency key', async () => {
    const missing = await asTreasurer('post', '/api/funds/dotation/entries').send(entry()).expect(400);
    expect(missing.body.errors[0].pointer).toBe('/headers/Idempotency-Key');
  });

  it('refuses an unbalanced entry with a 422 problem, and writes nothing', async () => {
    const before = await api.app.db('journal_entries').count({ total: '*' }).first();
    const response = await asTreasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'od-desequilibree')
      .send(
        entry({
          lines: [
            { accountCode: '627', debit: '12.50' },
            { accountCode: '512', credit: '12.49' },
          ],
        }),
      )
      .expect(422);
    expect(response.body).toMatchObject({ type: '/problems/ledger/unbalanced', difference: '0.01', side: 'debit' });
    expect(await api.app.db('journal_entries').count({ total: '*' }).first()).toEqual(before);
  });

  it('explains bad lines field by field', async () => {
    const response = await asTreasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'od-mauvaises-lignes')
      .send(
        entry({
          accountingDate: '2026-02-30',
          lines: [
            { accountCode: '627', debit: '12.501' },
            { accountCode: '9', credit: '1e3', debit: '1.00' },
          ],
        }),
      )
      .expect(400);
    const pointers = response.body.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/accountingDate',
        '/body/lines/0/debit',
        '/body/lines/1/accountCode',
        '/body/lines/1/credit',
      ]),
    );
  });

  it('refuses a payment the bank account cannot cover', async () => {
    const response = await asTreasurer('post', '/api/funds/garantie/entries')
      .set('Idempotency-Key', 'od-trop-grosse')
      .send(
        entry({
          lines: [
            { accountCode: '6581', debit: '999999999.00' },
            { accountCode: '512', credit: '999999999.00' },
          ],
        }),
      )
      .expect(422);
    expect(response.body.type).toBe('/problems/ledger/account-floor');
  });
});

describe('reading the books', () => {
  it('pages and filters the journal, and shows one entry', async () => {
    // The demo's gifts journal: the dinner's gifts and Jeanne's recorded gift (src/demo/seed.ts).
    const page = await asTreasurer('get', '/api/funds/dotation/entries?journal=DONS&pageSize=1').expect(200);
    expect([page.body.total, page.body.entries]).toEqual([2, [expect.anything()]]);
    const gifts = await asTreasurer('get', '/api/funds/dotation/entries?journal=DONS').expect(200);
    expect(gifts.body.entries.map((item: { label: string }) => item.label).sort()).toEqual([
      'Don — DONATRICE Jeanne',
      'Dons manuels — dîner de levée de fonds',
    ]);
    const byAccount = await asTreasurer('get', '/api/funds/dotation/entries?account=7551').expect(200);
    expect(byAccount.body.entries.map((item: { label: string }) => item.label)).toEqual([
      'Contribution ACTED — Transition juste ACTED',
    ]);
    const one = await asTreasurer('get', `/api/funds/dotation/entries/${page.body.entries[0].id}`).expect(200);
    expect(one.body.postings).toHaveLength(2);
    await asTreasurer('get', '/api/funds/dotation/entries?pageSize=201').expect(400);
    await asTreasurer('get', '/api/funds/dotation/entries?colour=blue').expect(400);
  });

  it('gives balances at a date, with a zero trial balance', async () => {
    const early = await asTreasurer('get', '/api/funds/dotation/balances?date=2026-02-01').expect(200);
    const bank = (response: request.Response) =>
      response.body.accounts.find((account: { code: string }) => account.code === '512').balance;
    expect(bank(early)).toBe('50000.00');
    const later = await asTreasurer('get', '/api/funds/dotation/balances?date=2026-04-30').expect(200);
    expect(bank(later)).toBe('153734.56');
    expect(later.body.trialBalance).toBe('0.00');
  });
});

describe('reversal, closing and export', () => {
  it('reverses once, closes a month, refuses entries in it, and exports the FEC', async () => {
    const posted = await asTreasurer('post', '/api/funds/developpement/entries')
      .set('Idempotency-Key', 'od-a-contre-passer')
      .send(
        entry({
          accountingDate: '2026-06-03',
          lines: [
            { accountCode: '4562', debit: '100.00' },
            { accountCode: '109', credit: '100.00' },
          ],
        }),
      )
      .expect(201);
    const reversal = await asTreasurer('post', `/api/funds/developpement/entries/${posted.body.id}/reversal`)
      .send({ accountingDate: '2026-06-04', reason: 'Erreur de compte' })
      .expect(201);
    expect(reversal.body.reversesEntryId).toBe(posted.body.id);
    await asTreasurer('post', `/api/funds/developpement/entries/${posted.body.id}/reversal`)
      .send({ reason: 'Encore' })
      .expect(409);

    const closure = await asTreasurer('post', '/api/funds/developpement/period-closures')
      .send({ kind: 'month', month: '2026-06', reason: 'Clôture de juin' })
      .expect(201);
    await asTreasurer('post', '/api/funds/developpement/entries')
      .set('Idempotency-Key', 'od-juin-close')
      .send(
        entry({
          accountingDate: '2026-06-20',
          lines: [
            { accountCode: '4562', debit: '1.00' },
            { accountCode: '109', credit: '1.00' },
          ],
        }),
      )
      .expect(422)
      .expect((response) => expect(response.body.type).toBe('/problems/ledger/period-closed'));
    await asTreasurer('post', `/api/funds/developpement/period-closures/${closure.body.closure.id}/reopening`)
      .send({ reason: 'Facture oubliée' })
      .expect(200);
    const closures = await asTreasurer('get', '/api/funds/developpement/period-closures').expect(200);
    expect(closures.body.closures[0]).toMatchObject({ kind: 'month', reopenReason: 'Facture oubliée' });

    const year = await asTreasurer('post', '/api/funds/developpement/period-closures')
      .send({ kind: 'year', fiscalYear: 2026, reason: "Clôture de l'exercice" })
      .expect(201);
    expect(year.body.openingEntry).toMatchObject({ journalCode: 'AN', accountingDate: '2027-01-01' });

    const fec = await asTreasurer('get', '/api/funds/developpement/fec/2026')
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(fec.headers['content-disposition']).toBe('attachment; filename="900000019FEC20261231.txt"');
    const text = iconv.decode(fec.body as Buffer, 'ISO-8859-15');
    expect(text.split('\r\n')[0]!.split('\t')).toHaveLength(18);
    expect(text).toContain('Contre-passation');
  });

  it('lets an admin verify the books', async () => {
    const verification = await request(api.http)
      .get('/api/admin/ledger/verification')
      .set('Cookie', api.cookies.admin)
      .expect(200);
    expect(verification.body.ok).toBe(true);
    expect(
      verification.body.funds.map((fund: { fundId: string; trialBalance: string }) => [fund.fundId, fund.trialBalance]),
    ).toEqual([
      ['developpement', '0.00'],
      ['dotation', '0.00'],
      ['garantie', '0.00'],
    ]);
  });
});
