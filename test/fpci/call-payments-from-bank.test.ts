import request from 'supertest';
import { addBusinessDays } from '../../src/business-days';
import { camtDocument, entry, party, tx } from '../support/camt';
import { closedClosing, fpciAs, newInvestor, professional, setFpciRules, today, verifiedKyc } from '../support/fpci';
import { createTestApi, type TestApi } from '../support/http';

/**
 * Investors pay their calls by transfer: the treasury's matcher pairs the
 * bank's line with what the investor owes on the call — by the structured
 * reference its notice gives, or by hand for a part —, confirming records the
 * payment, and undoing takes it back by a reversal.
 */
let api: TestApi;
let caisse: string;
let banque: string;
let callId: string;
let team: string;
const caisseIban = 'FR7630004000010001234567830';
const fpciIban = 'FR7642559100000800123456771';
const as = (method: 'get' | 'post', path: string) => fpciAs(api, 'treasurer', method, path);
const callOf = async () => (await as('get', `/api/funds/developpement/capital-calls/${callId}`).expect(200)).body;
const lineOf = (call: { investors: { investorId: string }[] }, investorId: string) =>
  call.investors.find((one) => one.investorId === investorId) as Record<string, string>;

beforeAll(async () => {
  api = await createTestApi();
  await setFpciRules(api);
  const investor = (name: string, siren: string, bankDetails = {}) =>
    newInvestor(api, 'developpement', {
      kind: 'legal-person',
      name,
      siren,
      kyc: verifiedKyc,
      eligibility: professional,
      ...bankDetails,
    });
  caisse = await investor('Caisse Solidaire du Grand Ouest', '552100554', { iban: caisseIban, bic: 'CMCIFRPP' });
  banque = await investor('Banque des Territoires (test)', '404833048');
  team = await investor('Citizen Capital (équipe)', '812345676');
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: banque, classCode: 'A', units: 1000 },
    { investorId: team, classCode: 'B', units: 50 },
  ]);
  const call = await as('post', '/api/funds/developpement/capital-calls')
    .send({
      classShares: [{ classCode: 'A', share: '0.1' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: addBusinessDays(today, 10),
    })
    .expect(201);
  callId = call.body.id;
  await fpciAs(api, 'admin', 'post', `/api/funds/developpement/capital-calls/${callId}/steps`)
    .send({ event: 'APPROVE' })
    .expect(200);
  await as('post', `/api/funds/developpement/capital-calls/${callId}/steps`).send({ event: 'ISSUE' }).expect(200);
});
afterAll(() => api.drop());

it('matches an investor’s transfer quoting its reference, records the payment, and takes it back when undone', async () => {
  const reference = lineOf(await callOf(), caisse).paymentReference!;
  expect(reference).toMatch(/^RF\d{2}C1I[0-9A-F]{12}$/);
  // Its contact reads the same reference in its space.
  await as('post', `/api/funds/developpement/investors/${caisse}/contacts`)
    .send({ email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' })
    .expect(201);
  const mine = await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200);
  expect(mine.body.positions[0].calls[0]).toMatchObject({ due: '30000.00', paymentReference: reference });

  // The Caisse pays all it owes, quoting the reference; the Bank pays 4 000,00 € of its 10 000,00 €, without one.
  const statement = camtDocument('001.08', {
    statementId: 'FPCI-APPELS-1',
    iban: fpciIban,
    opening: ['0.00', today],
    closing: ['34000.00', today],
    entries: [
      entry('001.08', '30000.00', 'CRDT', today, 'CC-1001', [
        tx(
          `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party('001.08', 'Dbtr', 'CAISSE SOLIDAIRE GO', caisseIban)}</RltdPties><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${reference}</Ref></CdtrRefInf></Strd></RmtInf>`,
        ),
      ]),
      entry('001.08', '4000.00', 'CRDT', today, 'CC-1002', [
        tx(
          `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party('001.08', 'Dbtr', 'BANQUE DES TERRITOIRES', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Ustrd>APPEL DE FONDS 1</Ustrd></RmtInf>`,
        ),
      ]),
    ],
  });
  const imported = await as('post', '/api/funds/developpement/bank-statements')
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(statement))
    .expect(201);
  const statementId = imported.body.id;
  const lineIds = new Map<string, string>(
    imported.body.lines.map((line: { id: string; amount: string }) => [line.amount, line.id]),
  );
  const { matches } = (await as('post', `/api/funds/developpement/bank-statements/${statementId}/matches`).expect(200))
    .body;
  expect(matches).toHaveLength(1);
  expect(matches[0]).toMatchObject({ method: 'structured-reference' });
  expect(matches[0].items).toEqual([
    expect.objectContaining({ type: 'capital-call', id: `${callId}.${caisse}`, action: 'receive', amount: '30000.00' }),
  ]);
  await as('post', `/api/bank-matches/${matches[0].id}/decision`).send({ decision: 'confirm' }).expect(204);
  expect(lineOf(await callOf(), caisse)).toMatchObject({ paid: '30000.00', status: 'paid' });

  // The Bank's part, matched by hand: a part of what it owes, never more.
  const byHand = (amountLine: string) =>
    as('post', `/api/funds/developpement/bank-matches`).send({
      lineIds: [lineIds.get(amountLine)],
      items: [{ type: 'capital-call', id: `${callId}.${banque}` }],
      reason: 'Virement de la Banque sans référence',
    });
  const manual = await byHand('4000.00').expect(201);
  expect(manual.body.matchId).toBeDefined();
  expect(lineOf(await callOf(), banque)).toMatchObject({
    paid: '4000.00',
    outstanding: '6000.00',
    status: 'partly-paid',
  });

  // The Caisse's match undone: its payment reversed, the call owed again, and proposed again.
  await as('post', `/api/bank-matches/${matches[0].id}/decision`)
    .send({ decision: 'undo', reason: 'Virement rappelé par la banque émettrice' })
    .expect(204);
  expect(lineOf(await callOf(), caisse)).toMatchObject({ paid: '0.00', status: 'unpaid' });
  const again = (await as('post', `/api/funds/developpement/bank-statements/${statementId}/matches`).expect(200)).body
    .matches;
  expect(again.filter((match: { status: string }) => match.status === 'proposed')).toHaveLength(1);
  // The books follow: the bank holds the Bank's 4 000,00 €, and the ledger verifies.
  const balances = (await as('get', `/api/funds/developpement/balances?date=${today}`).expect(200)).body.accounts.find(
    (account: { code: string }) => account.code === '512',
  );
  expect(balances.balance).toBe('4000.00');
  expect((await fpciAs(api, 'admin', 'get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
});

it('matches a later subscriber’s catch-up and premium by its reference, split catch-up first, and takes it back when undone', async () => {
  const mutuelle = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Mutuelle des Territoires',
    siren: '732829320',
    kyc: verifiedKyc,
    eligibility: professional,
  });
  // Call 1 raised every A unit to 10,00 €: a later subscriber of 1 000 units owes a catch-up of 10 000,00 € (no premium
  // here); the team takes carry units to stay above the floor.
  const later = await closedClosing(api, [
    { investorId: mutuelle, classCode: 'A', units: 1000 },
    { investorId: team, classCode: 'B', units: 10 },
  ]);
  const subscription = (
    later.subscriptions as { id: string; investorId: string; catchUp: string; paymentReference: string }[]
  ).find((one) => one.investorId === mutuelle)!;
  expect(subscription.catchUp).toBe('10000.00');
  const statement = camtDocument('001.08', {
    statementId: 'FPCI-SOUSCRIPTIONS-1',
    iban: fpciIban,
    opening: ['4000.00', today],
    closing: ['8000.00', today],
    entries: [
      entry('001.08', '4000.00', 'CRDT', today, 'CC-2001', [
        tx(
          `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party('001.08', 'Dbtr', 'MUTUELLE', 'FR7630006000011234567890189')}</RltdPties><RmtInf><Strd><CdtrRefInf><Ref>${subscription.paymentReference}</Ref></CdtrRefInf></Strd></RmtInf>`,
        ),
      ]),
    ],
  });
  const imported = await as('post', '/api/funds/developpement/bank-statements')
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(statement))
    .expect(201);
  // A part of what it owes: not proposed by itself (the amounts differ), matched by hand.
  const manual = await as('post', '/api/funds/developpement/bank-matches')
    .send({
      lineIds: [imported.body.lines[0].id],
      items: [{ type: 'subscription', id: subscription.id }],
      reason: 'Premier versement du rattrapage',
    })
    .expect(201);
  const balance = async (code: string) =>
    (await as('get', `/api/funds/developpement/balances?date=${today}`).expect(200)).body.accounts.find(
      (account: { code: string }) => account.code === code,
    )?.balance;
  // Catch-up first: 4 000,00 € more of paid-up capital (the Bank's 4 000,00 € were there).
  expect(await balance('1013')).toBe('8000.00');
  await as('post', `/api/bank-matches/${manual.body.matchId}/decision`)
    .send({ decision: 'undo', reason: 'Virement mal affecté par la banque' })
    .expect(204);
  expect(await balance('1013')).toBe('4000.00');
  expect((await fpciAs(api, 'admin', 'get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
});
