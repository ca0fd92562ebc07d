import request from 'supertest';
import { parseCamt053 } from '../../src/treasury/camt053';
import { camtStatement, type CamtVersion } from '../support/camt';
import { createTestApi, type TestApi } from '../support/http';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const ourIban = 'FR7610107001011234567890129';
const upload = (body: string | Buffer, type = 'application/xml') => request(api.http).post('/api/funds/dotation/bank-statements').set('Cookie', api.cookies.treasurer).set('Content-Type', type).send(Buffer.from(body));
const counts = async () => Promise.all(['bank_statements', 'bank_lines'].map(async (table) => (await api.app.db(table).count('* as count').first())!.count));

it.each<CamtVersion>(['001.02', '001.08'])('reads a camt.053.%s statement: credits, our transfer, fees, a batch booking and a return', (version) => {
  const statement = parseCamt053(Buffer.from(camtStatement(version, { statementId: `S-${version}`, iban: ourIban, ourEndToEndId: 'MIL-E2E-1' })));
  expect([statement.format, statement.accountIban, statement.opening, statement.closing]).toEqual([`camt.053.${version}`, ourIban, { amountMinor: 1_000_000n, date: '2026-11-02' }, { amountMinor: 74_580n, date: '2026-11-07' }]);
  expect(statement.lines.map((line) => [line.entryNumber, line.detailNumber, line.amountMinor, line.endToEndId, line.counterpartyName, line.batchBooking, line.returnReason])).toEqual([
    [1, 1, 25_000n, null, 'MARTIN ELISE', false, null],
    [2, 1, -750_000n, 'MIL-E2E-1', 'La Fabrique du Tiers-Lieu', false, null],
    [3, 1, -420n, null, null, false, null],
    [4, 1, -100_000n, 'MIL-LOT-A', 'Atelier A', true, null],
    [4, 2, -200_000n, 'MIL-LOT-B', 'Atelier B', true, null],
    [5, 1, 100_000n, 'MIL-LOT-A', 'Atelier A', false, 'AC04'],
  ]);
  expect(statement.lines[2]!.remittance).toBe('FRAIS TENUE DE COMPTE');
  // The bank's balances agree with the lines: opening + movements = closing.
  expect(statement.opening.amountMinor + statement.lines.reduce((total, line) => total + line.amountMinor, 0n)).toBe(statement.closing.amountMinor);
});

it('imports a statement once, and sets its balances against the books', async () => {
  const xml = camtStatement('001.08', { statementId: 'RELEVE-2026-11-A', iban: ourIban, ourEndToEndId: 'MIL-E2E-2' });
  const first = await upload(xml).expect(201);
  expect(first.body.lines).toHaveLength(6);
  expect(first.body.closing).toMatchObject({ date: '2026-11-07', bank: '745.80' });
  expect(Number(first.body.closing.difference)).not.toBe(0);
  const before = await counts();
  expect((await upload(xml).expect(200)).body.id).toBe(first.body.id);
  // The same statement, re-encoded by the bank (another file), is still the same statement.
  expect((await upload(xml.replace('<?xml version="1.0" encoding="UTF-8"?>\n', '')).expect(200)).body.id).toBe(first.body.id);
  expect(await counts()).toEqual(before);
});

it('refuses a DTD or entity (XXE), a malformed or foreign document, another account and a huge file — importing nothing', async () => {
  const before = await counts();
  const xxe = `<?xml version="1.0"?><!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${camtStatement('001.02', { statementId: 'XXE', iban: ourIban, ourEndToEndId: 'X' }).replace(/^<\?xml[^>]*>/, '').replace('DON FONDS DOTATION', '&xxe;')}`;
  expect((await upload(xxe).expect(400)).body.errors[0].message).toMatch(/DTD et entités XML ne sont pas acceptées/);
  expect((await upload('<Document><BkToCstmrStmt>').expect(400)).body.errors[0].message).toMatch(/XML mal formé/);
  expect((await upload('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>').expect(400)).body.errors[0].message).toMatch(/Format non pris en charge/);
  expect((await upload(camtStatement('001.02', { statementId: 'AUTRE', iban: 'FR7630006000011234567890189', ourEndToEndId: 'X' })).expect(422)).body.type).toMatch(/foreign-account$/);
  await upload(Buffer.alloc(21 * 1024 * 1024, ' ')).expect(413);
  await upload('x', 'application/json').expect(415);
  expect(await counts()).toEqual(before);
});
