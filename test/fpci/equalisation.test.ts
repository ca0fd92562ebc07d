import request from 'supertest';
import { equalisationInterestMinor } from '../../src/fpci/equalisation';
import { entry, party, tx } from '../support/camt';
import {
  bankCredit,
  closedClosing,
  dayOffset,
  fpciAs,
  fpciRules,
  issuedFpciCall,
  newInvestor,
  professional,
  reconciledFpciStatement,
  today,
  verifiedKyc,
} from '../support/fpci';
import { createTestApi, type TestApi } from '../support/http';
import { sentTransfer } from '../support/treasury';

/**
 * Equalisation interest, when the fund's rules set a rate: a later subscriber
 * pays, with its catch-up, interest on its part of each earlier call from that
 * call's due date to the closing; the closing shares it among the class's
 * earlier holders pro rata to their units, exact to the cent; the subscriber's
 * payments are split catch-up, interest, premium; once the interest is all in,
 * the treasury pays each holder its share. The calls' due dates are moved back
 * in the database: the clock cannot be, and what matters is the days between.
 */
let api: TestApi;
const fund = '/api/funds/developpement';
const ibans = {
  caisse: 'FR7630004000010001234567830',
  banque: 'FR7630004000031234567890143',
  mutuelle: 'FR7630006000011234567890189',
};
const team = (method: 'get' | 'post', path: string) => fpciAs(api, 'treasurer', method, `${fund}${path}`);
const closingOf = async (id: string) => (await team('get', `/closings/${id}`).expect(200)).body;

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

it('computes the interest call by call, from each due date, rounded once', () => {
  const calls = [
    { dueOn: '2026-01-01', perUnitMinor: 10_00n },
    { dueOn: '2026-03-01', perUnitMinor: 5_00n },
    // Due after the closing: no interest on it.
    { dueOn: '2026-07-01', perUnitMinor: 5_00n },
  ];
  // 10 000 € × 5 % × 151/365 + 5 000 € × 5 % × 92/365 = 206,849… + 63,013… = 269,86 €.
  expect(equalisationInterestMinor(calls, 1000, '2026-06-01', '0.05')).toBe(269_86n);
  expect(equalisationInterestMinor(calls, 1000, '2026-01-01', '0.05')).toBe(0n);
  expect(equalisationInterestMinor(calls, 3, '2026-06-01', '0')).toBe(0n);
});

it('charges a later subscriber interest for the earlier holders, shares it and pays it once it is all in', async () => {
  await fpciAs(api, 'admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({
      effectiveFrom: dayOffset(-200),
      reason: 'Règlement du fonds : intérêts d’égalisation de 5 %',
      rules: {
        ...fpciRules,
        premiumSchedule: [{ from: dayOffset(-200), rate: '0' }],
        equalisationInterestRate: '0.05',
      },
    })
    .expect(201);
  const holder = (name: string, siren: string, iban: string) =>
    newInvestor(api, 'developpement', {
      kind: 'legal-person',
      name,
      siren,
      iban,
      kyc: verifiedKyc,
      eligibility: professional,
    });
  const caisse = await holder('Caisse Solidaire du Grand Ouest', '552100554', ibans.caisse);
  const banque = await holder('Banque des Territoires (test)', '404833048', ibans.banque);
  const carry = await holder('Citizen Capital (équipe)', '812345676', ibans.banque);
  const mutuelle = await holder('Mutuelle des Territoires', '775685019', ibans.mutuelle);
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: banque, classCode: 'A', units: 1500 },
    { investorId: carry, classCode: 'B', units: 60 },
  ]);
  // Two calls, due 146 and 73 days ago.
  for (const [share, daysAgo] of [
    ['0.1', 146],
    ['0.05', 73],
  ] as const) {
    const call = await issuedFpciCall(api, share);
    await api.app
      .db('capital_calls')
      .where('id', call.id)
      .update({ due_on: dayOffset(-daysAgo) });
  }
  await fpciAs(api, 'admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({
      effectiveFrom: today,
      reason: 'Prime de souscription de 2 %',
      rules: {
        ...fpciRules,
        premiumSchedule: [
          { from: dayOffset(-200), rate: '0' },
          { from: today, rate: '0.02' },
        ],
        equalisationInterestRate: '0.05',
      },
    })
    .expect(201);

  // A call being prepared holds the closing back: its amounts are spread on today's holders only.
  const opened = await team('post', '/closings').expect(201);
  await team('post', `/closings/${opened.body.id}/subscriptions`)
    .send({ investorId: mutuelle, classCode: 'A', units: 1000 })
    .expect(201);
  await team('post', `/closings/${opened.body.id}/steps`).send({ event: 'SUBMIT' }).expect(200);
  const pending = await team('post', '/capital-calls')
    .send({
      classShares: [{ classCode: 'A', share: '0.05' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: dayOffset(30),
    })
    .expect(201);
  const approve = () =>
    fpciAs(api, 'admin', 'post', `${fund}/closings/${opened.body.id}/steps`).send({ event: 'APPROVE' });
  expect((await approve().expect(422)).body.detail).toContain('L’appel de fonds n° 3 est en préparation');
  await team('post', `/capital-calls/${pending.body.id}/steps`).send({ event: 'CANCEL' }).expect(200);
  const closed = (await approve().expect(200)).body;

  // Catch-up 15 € a unit; interest 10 000 € × 5 % × 146/365 + 5 000 € × 5 % × 73/365 = 200 € + 50 €; premium 2 %.
  expect(closed.subscriptions[0]).toMatchObject({
    catchUp: '15000.00',
    equalisationInterest: '250.00',
    premium: '2000.00',
  });
  // Shared among the A holders, 3 000 and 1 500 units: 166,666… and 83,333…, the cent left to the larger remainder.
  expect(closed.equalisation).toEqual({
    interest: '250.00',
    collected: '0.00',
    shares: [
      { investorId: banque, investor: 'Banque des Territoires (test)', amount: '83.33', payment: null },
      { investorId: caisse, investor: 'Caisse Solidaire du Grand Ouest', amount: '166.67', payment: null },
    ],
  });
  const closingEntry = (await team('get', `/entries/${closed.entryId}`).expect(200)).body;
  const on = (code: string) =>
    closingEntry.postings
      .filter((posting: { accountCode: string }) => posting.accountCode === code)
      .map((posting: { debit: string; credit: string }) => [posting.debit, posting.credit]);
  expect(on('4571').sort()).toEqual([
    ['0.00', '166.67'],
    ['0.00', '83.33'],
  ]);
  expect(on('4562')).toContainEqual(['250.00', '0.00']);

  // Marc signs in for the Mutuelle and for the Caisse: what each owes, and is owed.
  for (const investorId of [mutuelle, caisse])
    await team('post', `/investors/${investorId}/contacts`)
      .send({ email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' })
      .expect(201);
  const positions = async () =>
    (await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200)).body
      .positions as { investorId: string; subscriptions: unknown[]; equalisationShares: unknown[] }[];
  const positionOf = async (investorId: string) => (await positions()).find((one) => one.investorId === investorId)!;
  const reference = closed.subscriptions[0].paymentReference as string;
  expect((await positionOf(mutuelle)).subscriptions).toEqual([
    {
      closingNumber: 2,
      closedOn: today,
      classCode: 'A',
      units: 1000,
      owed: '17250.00',
      catchUp: '15000.00',
      equalisationInterest: '250.00',
      premium: '2000.00',
      paid: '0.00',
      paymentReference: reference,
    },
  ]);
  expect((await positionOf(caisse)).equalisationShares).toEqual([
    { closingNumber: 2, closedOn: today, amount: '166.67', status: 'awaiting-subscribers' },
  ]);

  // A first transfer covers the catch-up and part of the interest (a part: matched by hand); nothing is paid out yet.
  const proposed = await reconciledFpciStatement(
    api,
    'EGAL-1',
    [bankCredit('15100.00', 'E-1', 'MUTUELLE TERRITOIRES', ibans.mutuelle, reference)],
    ['0.00', '15100.00'],
  );
  expect(proposed).toBe(0);
  const line = await api.app.db('bank_lines').where('amount_minor', 15100_00).first('id');
  await team('post', '/bank-matches')
    .send({
      lineIds: [line.id],
      items: [{ type: 'subscription', id: closed.subscriptions[0].id }],
      reason: 'Premier versement de la Mutuelle',
    })
    .expect(201);
  expect((await closingOf(closed.id)).equalisation).toMatchObject({ collected: '100.00' });
  const requestsFor = async () =>
    (await team('get', '/disbursement-requests').expect(200)).body.requests.filter(
      (one: { payableAccountCode: string }) => one.payableAccountCode === '4571',
    ) as { id: string; investorId: string; amount: string; label: string; status: string }[];
  expect(await requestsFor()).toEqual([]);
  // The rest: the interest's 150 €, then the premium.
  await reconciledFpciStatement(
    api,
    'EGAL-2',
    [bankCredit('2150.00', 'E-2', 'MUTUELLE TERRITOIRES', ibans.mutuelle, reference)],
    ['15100.00', '17250.00'],
  );
  const requests = await requestsFor();
  expect(requests.map(({ investorId, amount, label, status }) => ({ investorId, amount, label, status }))).toEqual(
    expect.arrayContaining([
      { investorId: caisse, amount: '166.67', label: 'Intérêts d’égalisation du closing 2', status: 'requested' },
      { investorId: banque, amount: '83.33', label: 'Intérêts d’égalisation du closing 2', status: 'requested' },
    ]),
  );
  expect(requests).toHaveLength(2);
  const payments = await api.app
    .db('subscription_payments')
    .orderBy('received_on')
    .orderBy('amount_minor', 'desc')
    .select('catch_up_minor', 'interest_minor', 'premium_minor');
  expect(payments.map((one) => [one.catch_up_minor, one.interest_minor, one.premium_minor])).toEqual([
    [15000_00n, 100_00n, 0n],
    [0n, 150_00n, 2000_00n],
  ]);
  expect((await positionOf(mutuelle)).subscriptions).toMatchObject([{ paid: '17250.00' }]);
  // The interest passed on, the payment carrying its last part is no longer taken back by undoing its match.
  const { match_id: lastMatch } = await api.app
    .db('bank_match_lines')
    .join('bank_lines', 'bank_lines.id', 'bank_match_lines.line_id')
    .where('bank_lines.amount_minor', 2150_00)
    .first('bank_match_lines.match_id');
  const undone = await fpciAs(api, 'treasurer', 'post', `/api/bank-matches/${lastMatch}/decision`)
    .send({ decision: 'undo', reason: 'Virement mal affecté par la banque' })
    .expect(422);
  expect(undone.body.detail).toContain('Les intérêts d’égalisation du closing n° 2 sont déjà reversés');

  // The Caisse's share paid through the treasury: four eyes, pain.001, the bank's statement.
  const caisseRequest = requests.find((one) => one.investorId === caisse)!;
  const transfer = await sentTransfer(api, 'developpement', caisseRequest.id, dayOffset(1));
  expect(transfer.pain).toContain('<InstdAmt Ccy="EUR">166.67</InstdAmt>');
  expect(transfer.pain).toContain("<Ustrd>Interets d'egalisation du closing 2</Ustrd>");
  await reconciledFpciStatement(
    api,
    'EGAL-3',
    [
      entry('001.08', '166.67', 'DBIT', today, 'E-3', [
        tx(
          `<Refs><EndToEndId>${transfer.endToEndId}</EndToEndId></Refs><RltdPties>${party('001.08', 'Cdtr', 'CAISSE SOLIDAIRE', ibans.caisse)}</RltdPties>`,
        ),
      ]),
    ],
    ['17250.00', '17083.33'],
  );
  const shares = (await closingOf(closed.id)).equalisation.shares as { investorId: string; payment: unknown }[];
  expect(shares.find((one) => one.investorId === caisse)!.payment).toEqual({
    requestId: caisseRequest.id,
    status: 'paid',
  });
  expect((await positionOf(caisse)).equalisationShares).toMatchObject([{ status: 'paid' }]);
  // The team's closing page and Marc's space say the same, in French.
  const pageText = async (url: string, cookie: string) =>
    (await request(api.http).get(url).set('Cookie', cookie).expect(200)).text.replace(/\s/g, ' ');
  const closingPage = await pageText(`/tresorerie/developpement/closings/${closed.id}`, api.cookies.treasurer);
  expect(closingPage).toContain('250,00 € dus par les souscripteurs de ce closing, 250,00 € reçus');
  expect(closingPage).toMatch(/Caisse Solidaire du Grand Ouest<\/td><td class="amount">166,67 €<\/td><td>payé/);
  expect(closingPage).toMatch(/Banque des Territoires \(test\)<\/td><td class="amount">83,33 €<\/td><td>à payer/);
  const space = await pageText('/investissement', api.cookies.investor);
  expect(space).toContain('Intérêts d’égalisation reçus');
  expect(space).toContain(reference);
  expect(space).toMatch(/15 000,00 €<\/td><td class="amount">250,00 €<\/td><td class="amount">2 000,00 €/);
  // What the fund still owes the earlier holders is the Bank's share; the premium is the fund's.
  const balances = (await team('get', `/balances?date=${dayOffset(1)}`).expect(200)).body.accounts as {
    code: string;
    balance: string;
  }[];
  expect(balances.find((account) => account.code === '4571')?.balance).toBe('83.33');
  expect(balances.find((account) => account.code === '1041')?.balance).toBe('2000.00');
  expect((await fpciAs(api, 'admin', 'get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
});
