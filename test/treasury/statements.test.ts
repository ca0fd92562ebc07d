import request from 'supertest';
import { parseCamt053 } from '../../src/treasury/camt053';
import { camtStatement, type CamtVersion } from '../support/camt';
import { createTestApi, type TestApi } from '../support/http';
import { reconcileDemoStatement, sentBatch } from '../support/treasury';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const ourIban = 'FR7610107001011234567890129';
const upload = (body: string | Buffer, type = 'application/xml') =>
  request(api.http)
    .post('/api/funds/dotation/bank-statements')
    .set('Cookie', api.cookies.treasurer)
    .set('Content-Type', type)
    .send(Buffer.from(body));
const counts = async () =>
  Promise.all(
    ['bank_statements', 'bank_lines'].map(
      async (table) => (await api.app.db(table).count('* as count').first())!.count,
    ),
  );

it.each<CamtVersion>(['001.02', '001.08'])(
  'reads a camt.053.%s statement: credits, our transfer, fees, a batch booking and a return',
  (version) => {
    const statement = parseCamt053(
      Buffer.from(camtStatement(version, { statementId: `S-${version}`, iban: ourIban, ourEndToEndId: 'MIL-E2E-1' })),
    )[0]!;
    expect([statement.format, statement.accountIban, statement.opening, statement.closing]).toEqual([
      `camt.053.${version}`,
      ourIban,
      { amountMinor: 1_000_000n, date: '2026-11-02' },
      { amountMinor: 74_580n, date: '2026-11-07' },
    ]);
    expect(
      statement.lines.map((line) => [
        line.entryNumber,
        line.detailNumber,
        line.amountMinor,
        line.endToEndId,
        line.counterpartyName,
        line.batchBooking,
        line.returnReason,
      ]),
    ).toEqual([
      [1, 1, 25_000n, null, 'MARTIN ELISE', false, null],
      [2, 1, -750_000n, 'MIL-E2E-1', 'La Fabrique du Tiers-Lieu', false, null],
      [3, 1, -420n, null, null, false, null],
      [4, 1, -100_000n, 'MIL-LOT-A', 'Atelier A', true, null],
      [4, 2, -200_000n, 'MIL-LOT-B', 'Atelier B', true, null],
      [5, 1, 100_000n, 'MIL-LOT-A', 'Atelier A', false, 'AC04'],
    ]);
    expect(statement.lines[2]!.remittance).toBe('FRAIS TENUE DE COMPTE');
    // The bank's balances agree with the lines: opening + movements = closing.
    expect(statement.opening.amountMinor + statement.lines.reduce((total, line) => total + line.amountMinor, 0n)).toBe(
      statement.closing.amountMinor,
    );
  },
);

it('imports a statement once, and sets its balances against the books', async () => {
  const xml = camtStatement('001.08', { statementId: 'RELEVE-2026-11-A', iban: ourIban, ourEndToEndId: 'MIL-E2E-2' });
  const first = await upload(xml).expect(201);
  expect(first.body.lines).toHaveLength(6);
  expect(first.body.closing).toMatchObject({ date: '2026-11-07', bank: '745.80' });
  expect(Number(first.body.closing.difference)).not.toBe(0);
  const before = await counts();
  expect((await upload(xml).expect(200)).body.id).toBe(first.body.id);
  // The same statement, re-encoded by the bank (another file), is still the same statement.
  expect((await upload(xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '')).expect(200)).body.id).toBe(
    first.body.id,
  );
  expect(await counts()).toEqual(before);
});

it('refuses a DTD or entity (XXE), a malformed or foreign document, another account and a huge file — importing nothing', async () => {
  const before = await counts();
  const xxe = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${camtStatement(
    '001.02',
    { statementId: 'XXE', iban: ourIban, ourEndToEndId: 'X' },
  )
    .replace(/^<\?xml[^>]*>/, '')
    .replace('DON FONDS DOTATION', '&xxe;')}`;
  expect((await upload(xxe).expect(400)).body.errors[0].message).toMatch(/DTD et entités XML ne sont pas acceptées/);
  expect((await upload('<Document><BkToCstmrStmt>').expect(400)).body.errors[0].message).toMatch(/XML mal formé/);
  expect(
    (await upload('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>').expect(400)).body.errors[0]
      .message,
  ).toMatch(/Format non pris en charge/);
  expect(
    (
      await upload(
        camtStatement('001.02', { statementId: 'AUTRE', iban: 'FR7630006000011234567890189', ourEndToEndId: 'X' }),
      ).expect(422)
    ).body.type,
  ).toMatch(/foreign-account$/);
  await upload(Buffer.alloc(21 * 1024 * 1024, ' ')).expect(413);
  await upload('x', 'application/json').expect(415);
  expect(await counts()).toEqual(before);
});

it('proposes to settle our transfer from its end-to-end id, and settles it (books included) once the treasurer confirms', async () => {
  const { batchId, transfers } = await sentBatch(api, ['15000.00']);
  const disbursement = transfers[0]!;
  const statement = (
    await upload(
      camtStatement('001.02', {
        statementId: 'RELEVE-RAPPROCHEMENT',
        iban: ourIban,
        ourEndToEndId: disbursement.endToEndId,
      }),
    ).expect(201)
  ).body;
  const matchesUrl = `/api/funds/dotation/bank-statements/${statement.id}/matches`;
  const proposed = await request(api.http).post(matchesUrl).set('Cookie', api.cookies.treasurer).expect(200);
  const settling = proposed.body.matches.find(
    (match: { items: { id: string }[] }) => match.items[0]?.id === disbursement.id,
  );
  expect([
    settling.method,
    settling.lines.map((line: { entry: number; amount: string }) => [line.entry, line.amount]),
    settling.items[0].action,
    settling.confidence,
    settling.status,
  ]).toEqual(['end-to-end', [[2, '-7500.00']], 'settle', '1', 'proposed']);
  expect(settling.reason).toContain(disbursement.endToEndId);
  expect(
    (await request(api.http).post(matchesUrl).set('Cookie', api.cookies.treasurer).expect(200)).body.proposed,
  ).toBe(0);

  expect([statement.unmatchedLines.length, statement.overdueTransfers]).toEqual([6, []]);
  // Had the transfer been due on the 1st, the statement of the 7th would show it overdue until it is matched.
  await api.app.db('payment_batches').where('id', batchId).update({ requested_execution_date: '2026-11-01' });
  const overdue = (
    await request(api.http)
      .get(`/api/funds/dotation/bank-statements/${statement.id}`)
      .set('Cookie', api.cookies.treasurer)
      .expect(200)
  ).body.overdueTransfers;
  expect(overdue.map((item: { endToEndId: string; amount: string }) => [item.endToEndId, item.amount])).toEqual([
    [disbursement.endToEndId, '7500.00'],
  ]);
  const decide = (decision: string, status: number) =>
    request(api.http)
      .post(`/api/bank-matches/${settling.id}/decision`)
      .set('Cookie', api.cookies.treasurer)
      .send({ decision })
      .expect(status);
  await decide('confirm', 204);
  await decide('confirm', 409);
  const paid = (
    await request(api.http)
      .get(`/api/disbursements/${disbursement.id}`)
      .set('Cookie', api.cookies.treasurer)
      .expect(200)
  ).body;
  expect([paid.state, paid.history.at(-1).actorRelations, paid.history.at(-1).reason]).toEqual([
    'settled',
    ['bank'],
    expect.stringMatching(/^Relevé RELEVE-RAPPROCHEMENT : Même référence de bout en bout/),
  ]);
  const after = (
    await request(api.http)
      .get(`/api/funds/dotation/bank-statements/${statement.id}`)
      .set('Cookie', api.cookies.treasurer)
      .expect(200)
  ).body;
  expect([after.unmatchedLines.length, after.lines[1].matched, after.overdueTransfers]).toEqual([5, true, []]);
  const booked = await api.app
    .db('journal_entries')
    .where({ source_type: 'disbursement', source_id: disbursement.id })
    .first('accounting_date');
  // Booked on the day the bank debited the account, not on the day the treasurer confirmed.
  expect(booked!.accounting_date).toBe('2026-11-04');
});

it("imports a CSV statement in the bank's own columns, once, after its format is described", async () => {
  const csv = [
    'Date opération;Date valeur;Libellé;Référence;Débit;Crédit',
    '02/11/2026;02/11/2026;VIR SEPA MARTIN ELISE DON;BQ-1;;1.250,00',
    '03/11/2026;03/11/2026;PRLV FRAIS TENUE DE COMPTE;BQ-2;4,20;',
    '04/11/2026;04/11/2026;VIR EMIS LA FABRIQUE;BQ-3;7.500,00;',
  ].join('\r\n');
  const send = (query: string) => upload(csv, 'text/csv').query(query);
  expect((await send('statementId=CSV-2026-11&opening=10000.00&openingDate=2026-11-01').expect(422)).body.type).toMatch(
    /no-csv-format$/,
  );
  const format = {
    delimiter: ';',
    decimalSeparator: ',',
    dateFormat: 'DD/MM/YYYY',
    columns: {
      bookingDate: 'Date opération',
      valueDate: 'Date valeur',
      label: 'Libellé',
      reference: 'Référence',
      debit: 'Débit',
      credit: 'Crédit',
    },
  };
  await request(api.http)
    .put('/api/funds/dotation/bank-statement-format')
    .set('Cookie', api.cookies.treasurer)
    .send({ ...format, columns: { bookingDate: 'Date', label: 'Libellé' } })
    .expect(400);
  await request(api.http)
    .put('/api/funds/dotation/bank-statement-format')
    .set('Cookie', api.cookies.treasurer)
    .send(format)
    .expect(200);
  const missing = await send('statementId=CSV-2026-11').expect(400);
  expect(missing.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual([
    '/query/opening',
    '/query/openingDate',
  ]);

  const imported = await send('statementId=CSV-2026-11&opening=10000.00&openingDate=2026-11-01').expect(201);
  expect(
    imported.body.lines.map((line: { amount: string; bookingDate: string; remittance: string }) => [
      line.amount,
      line.bookingDate,
      line.remittance,
    ]),
  ).toEqual([
    ['1250.00', '2026-11-02', 'VIR SEPA MARTIN ELISE DON'],
    ['-4.20', '2026-11-03', 'PRLV FRAIS TENUE DE COMPTE'],
    ['-7500.00', '2026-11-04', 'VIR EMIS LA FABRIQUE'],
  ]);
  expect([imported.body.format, imported.body.closing.date, imported.body.closing.bank]).toEqual([
    'csv',
    '2026-11-04',
    '3745.80',
  ]);
  expect((await send('statementId=CSV-2026-11&opening=10000.00&openingDate=2026-11-01').expect(200)).body.id).toBe(
    imported.body.id,
  );
  const broken = await upload(csv.replace('4,20', 'quatre'), 'text/csv')
    .query('statementId=CSV-2026-12&opening=0.00&openingDate=2026-12-01')
    .expect(400);
  expect(broken.body.errors[0].message).toBe('Ligne 3 : montant illisible (quatre).');
});

it("holds, in the demo data, April's statement ready to reconcile to the cent", async () => {
  const listed = (
    await request(api.http).get('/api/funds/dotation/bank-statements').set('Cookie', api.cookies.treasurer).expect(200)
  ).body;
  const { id } = listed.find(
    (statement: { bankStatementId: string }) => statement.bankStatementId === 'RELEVE-DEMO-2026-04',
  );
  await request(api.http)
    .get('/api/funds/dotation/bank-statements')
    .set('Cookie', api.cookies.guaranteeTreasurer)
    .expect(404);
  const view = async () =>
    (
      await request(api.http)
        .get(`/api/funds/dotation/bank-statements/${id}`)
        .set('Cookie', api.cookies.treasurer)
        .expect(200)
    ).body;
  const before = await view();
  expect([before.opening.difference, before.lines.map((line: { amount: string }) => line.amount)]).toEqual([
    '0.00',
    ['90000.00', '500.00', '-4.20'],
  ]);
  expect(
    before.explanation.awaitedReceipts.map(
      (receipt: { amount: string; structuredReference: string }) => receipt.amount,
    ),
  ).toEqual(['500.00']);

  expect((await reconcileDemoStatement(api)).methods).toEqual(['amount-date', 'structured-reference']);
  const after = await view();
  expect([
    after.unmatchedLines,
    after.closing.difference,
    after.explanation.unexplained,
    after.explanation.awaitedReceipts,
  ]).toEqual([[], '0.00', '0.00', []]);
  const relisted = (
    await request(api.http).get('/api/funds/dotation/bank-statements').set('Cookie', api.cookies.treasurer).expect(200)
  ).body;
  expect(relisted.find((statement: { id: string }) => statement.id === id)).toMatchObject({
    lines: 3,
    unmatchedLines: 0,
    closing: after.closing.bank,
  });
});
