import iconv from 'iconv-lite';
import request from 'supertest';
import { parseCamt053 } from '../../src/treasury/camt053';
import { camtDocument, entry, party, tx } from '../support/camt';
import { createTestApi, type TestApi } from '../support/http';

/**
 * Statements as banks send them, written from the ISO 20022 camt.053 message
 * definition: pages, several statements and accounts in one file, five-decimal
 * amounts, every version from 001.02 to 001.13, other currencies, PRCD opening
 * balances, statements that do not add up, XML as XML, and never a 500.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const ourIban = 'FR7610107001011234567890129';
const upload = (body: string | Buffer) =>
  request(api.http)
    .post('/api/funds/dotation/bank-statements')
    .set('Cookie', api.cookies.treasurer)
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(body));
const credit = (amount: string, reference: string, name = 'MARTIN ELISE') =>
  entry('001.08', amount, 'CRDT', '2026-10-03', reference, [
    tx(
      `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party('001.08', 'Dbtr', name, 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>DON</Ustrd></RmtInf>`,
    ),
  ]);
const statement = (id: string, entries: string[], options: { opening?: string; closing: string; iban?: string }) =>
  camtDocument('001.08', {
    statementId: id,
    iban: options.iban ?? ourIban,
    opening: [options.opening ?? '1000.00', '2026-10-01'],
    closing: [options.closing, '2026-10-31'],
    entries,
  });
const linesOf = async (statementId: string) =>
  Number((await api.app.db('bank_lines').where('statement_id', statementId).count('* as count').first())!.count);

it('answers 409 saying what differs when another statement comes under an id already imported, and imports pages as pages', async () => {
  const first = await upload(
    statement('OCT-A', [credit('10.00', 'A1'), credit('20.00', 'A2')], { closing: '1030.00' }),
  ).expect(201);
  const other = await upload(
    statement('OCT-A', [credit('10.00', 'A1'), credit('20.00', 'A2'), credit('5.00', 'A3')], { closing: '1035.00' }),
  ).expect(409);
  expect(other.body.detail.replace(/\s/g, ' ')).toBe(
    `Le relevé OCT-A du compte ${ourIban} est déjà importé avec un autre contenu : 3 écritures au lieu de 2, solde de clôture 1 035,00 € au lieu de 1 030,00 €. Un relevé corrigé par la banque doit porter un autre identifiant.`,
  );
  expect(await linesOf(first.body.id)).toBe(2);
  const page = (number: number, entries: string[], closing: string) =>
    statement('OCT-B', entries, { closing }).replace(
      '<Id>OCT-B</Id>',
      `<Id>OCT-B</Id><StmtPgntn><PgNb>${number}</PgNb><LastPgInd>${number === 2}</LastPgInd></StmtPgntn><ElctrncSeqNb>10${number}</ElctrncSeqNb>`,
    );
  const one = await upload(page(1, [credit('1.00', 'B1')], '1001.00')).expect(201);
  const two = await upload(page(2, [credit('2.00', 'B2')], '1002.00')).expect(201);
  expect([one.body.page, two.body.page, two.body.sequenceNumber]).toEqual([1, 2, '102']);
  expect(two.body.id).not.toBe(one.body.id);
});

it('imports the statements of the fund’s account from a file of several, and names the others', async () => {
  const statements = [
    statement('MULTI-1', [credit('3.00', 'M1')], { closing: '1003.00' }),
    statement('MULTI-X', [credit('4.00', 'MX')], { closing: '1004.00', iban: 'DE89370400440532013000' }),
    statement('MULTI-2', [credit('5.00', 'M2')], { closing: '1005.00' }),
  ];
  const inner = statements.map((xml) => /<Stmt>[\s\S]*<\/Stmt>/.exec(xml)![0]);
  const file = statements[0]!.replace(/<Stmt>[\s\S]*<\/Stmt>/, inner.join('\n'));
  const imported = await upload(file).expect(201);
  expect(imported.body.statementIds).toHaveLength(2);
  expect(imported.body.otherAccounts).toEqual([{ account: 'DE89370400440532013000', statementId: 'MULTI-X' }]);
  expect((await upload(file).expect(200)).body.statementIds).toEqual(imported.body.statementIds);
});

it('reads amounts with up to five decimals when exact in cents, and every version from 001.02 to 001.13', () => {
  const parsed = parseCamt053(
    Buffer.from(statement('DEC', [credit('8.850', 'D1'), credit('5442.09000', 'D2')], { closing: '6450.94' })),
  )[0]!;
  expect(parsed.lines.map((line) => line.amountMinor)).toEqual([885n, 544_209n]);
  expect(() => parseCamt053(Buffer.from(statement('DEC2', [credit('8.855', 'D3')], { closing: '1008.86' })))).toThrow(
    /8\.855 n'est pas un montant exact en centimes/,
  );
  for (let version = 2; version <= 13; version += 1) {
    const number = String(version).padStart(2, '0');
    expect(
      parseCamt053(
        Buffer.from(
          statement('V', [credit('1.00', 'V1')], { closing: '1001.00' }).replace(
            'camt.053.001.08',
            `camt.053.001.${number}`,
          ),
        ),
      )[0]!.format,
    ).toBe(`camt.053.001.${number}`);
  }
  expect(() =>
    parseCamt053(Buffer.from(statement('V', [], { closing: '1000.00' }).replace('camt.053.001.08', 'camt.053.001.14'))),
  ).toThrow(/Format non pris en charge/);
});

it('refuses amounts in another currency than the account’s, and a zero-amount entry, saying so', async () => {
  const sek = await upload(
    statement('SEK', [credit('10.00', 'S1').replace('<Amt Ccy="EUR">10.00</Amt>', '<Amt Ccy="SEK">10.00</Amt>')], {
      closing: '1010.00',
    }),
  ).expect(400);
  expect(sek.body.errors[0].message).toBe('écriture 1 : montant en SEK, alors que le compte est tenu en EUR.');
  const usd = await upload(
    statement('USD', [], { closing: '1000.00' }).replace('<Ccy>EUR</Ccy>', '<Ccy>USD</Ccy>'),
  ).expect(400);
  expect(usd.body.errors[0].message).toBe('solde OPBD : montant en EUR, alors que le compte est tenu en USD.');
  const zero = await upload(statement('ZERO', [credit('0.00', 'Z1')], { closing: '1000.00' })).expect(400);
  expect(zero.body.errors[0].message).toMatch(/^écriture 1 : montant nul\./);
});

it('takes PRCD as the opening balance, and flags a statement that does not add up instead of taking it as whole', async () => {
  const prcd = await upload(
    statement('PRCD', [credit('10.00', 'P1')], { closing: '1010.00' }).replace('<Cd>OPBD</Cd>', '<Cd>PRCD</Cd>'),
  ).expect(201);
  expect([prcd.body.opening.bank, prcd.body.doesNotAddUpBy]).toEqual(['1000.00', null]);
  const missingPage = await upload(statement('TROU', [credit('10.00', 'T1')], { closing: '1500.00' })).expect(201);
  expect(missingPage.body.doesNotAddUpBy).toBe('490.00');
  const listed = (
    await request(api.http).get('/api/funds/dotation/bank-statements').set('Cookie', api.cookies.treasurer).expect(200)
  ).body;
  expect(listed.find((item: { id: string }) => item.id === missingPage.body.id).doesNotAddUpBy).toBe('490.00');
});

it('reads XML as XML: entities, the declared encoding, single-quoted namespaces, accounts named by Othr/Id', () => {
  const named = (name: string) => statement('XML', [credit('1.00', 'X1', name)], { closing: '1001.00' });
  expect(parseCamt053(Buffer.from(named('DUPONT &amp; FILS &#233;')))[0]!.lines[0]!.counterpartyName).toBe(
    'DUPONT & FILS é',
  );
  const latin1 = iconv.encode(named('Hélène Müller').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
  expect(parseCamt053(latin1)[0]!.lines[0]!.counterpartyName).toBe('Hélène Müller');
  const quoted = named('A').replace(
    'xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"',
    "xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.08'",
  );
  expect(parseCamt053(Buffer.from(quoted))[0]!.format).toBe('camt.053.001.08');
  const other = named('A').replace(`<IBAN>${ourIban}</IBAN></Id><Ccy>`, '<Othr><Id>00012345678</Id></Othr></Id><Ccy>');
  expect(parseCamt053(Buffer.from(other))[0]!.accountIban).toBe('00012345678');
});

it('answers 400 naming the line, never 500, to deep nesting and odd element names', async () => {
  const deep = statement('DEEP', [], { closing: '1000.00' }).replace(
    '<BkToCstmrStmt>',
    `<BkToCstmrStmt>${'<X>'.repeat(101)}${'</X>'.repeat(101)}`,
  );
  expect((await upload(deep).expect(400)).body.errors[0].message).toMatch(
    /^XML refusé : plus de 40 éléments imbriqués \(ligne \d+\)\.$/,
  );
  const proto = statement('PROTO', [credit('1.00', 'P1')], { closing: '1001.00' }).replace(
    '<AcctSvcrRef>P1</AcctSvcrRef>',
    '<AcctSvcrRef>P1</AcctSvcrRef><__proto__><polluted>yes</polluted></__proto__>',
  );
  const answer = await upload(proto);
  expect([200, 201, 400]).toContain(answer.status);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
