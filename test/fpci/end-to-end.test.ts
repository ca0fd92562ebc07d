import request from 'supertest';
import { documentKinds } from '../../src/document-kinds';
import { exportFec } from '../../src/ledger/fec';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { entry, party, tx } from '../support/camt';
import { fecCents, fecRecordsFollowingTheRules } from '../support/fec';
import {
  bankCredit as credit,
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
import { pdfText } from '../support/pdf';
import { secondTreasurer } from '../support/treasury';

/**
 * The FPCI from its first closing to a distribution paid, through the API as
 * its team and its investors use it: two closings (the second with the catch-up
 * and a premium), three calls (their payments matched from the bank, one paid
 * late, with its interest), a distribution refused before the end of the
 * subscription period and one paid after it; the notices read back, the
 * investor's space, the books verified and the FEC following the rules.
 */
let api: TestApi;
const fund = '/api/funds/developpement';
const ibans = { caisse: 'FR7630004000010001234567830', mutuelle: 'FR7630006000011234567890189' };
const team = (method: 'get' | 'post', path: string) => fpciAs(api, 'treasurer', method, `${fund}${path}`);
const admin = (method: 'get' | 'post', path: string) => fpciAs(api, 'admin', method, path);
const newRules = (reason: string, changes: Record<string, unknown>) =>
  admin('post', '/api/admin/funds/developpement/vehicle-rules')
    .send({ effectiveFrom: today, reason, rules: { ...fpciRules, ...changes } })
    .expect(201);

const closing = (subscriptions: { investorId: string; classCode: string; units: number }[]) =>
  closedClosing(api, subscriptions);
const issuedCall = (share: string) => issuedFpciCall(api, share);
const reconciled = (statementId: string, lines: string[], balances: [string, string]) =>
  reconciledFpciStatement(api, statementId, lines, balances);

async function noticeText(kind: string, parentId: string, investorId: string): Promise<string> {
  const queued = await api.app.db('outbox').where('job_name', 'document.render').select('payload');
  const payload = queued
    .map((row: { payload: RenderRequest }) => row.payload)
    .find((one) => one.kind === kind && one.subjectId === `${parentId}.${investorId}`)!;
  const rendered = await renderDocument(api.app.db, documentKinds, payload);
  return pdfText((await api.app.db('documents').where('id', rendered.id).first('content')).content);
}

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

it('runs a fund from its first closing to a distribution paid, exact to the cent', async () => {
  // Rules without premium for the first closing.
  await admin('post', '/api/admin/funds/developpement/vehicle-rules')
    .send({
      effectiveFrom: dayOffset(-200),
      reason: 'Règlement du fonds',
      rules: { ...fpciRules, premiumSchedule: [{ from: dayOffset(-200), rate: '0' }] },
    })
    .expect(201);
  const holder = (name: string, siren: string, iban?: string) =>
    newInvestor(api, 'developpement', {
      kind: 'legal-person',
      name,
      siren,
      kyc: verifiedKyc,
      eligibility: professional,
      ...(iban ? { iban } : {}),
    });
  const caisse = await holder('Caisse Solidaire du Grand Ouest', '552100554', ibans.caisse);
  const teamHolder = await holder('Citizen Capital (équipe)', '812345676');
  const mutuelle = await holder('Mutuelle des Territoires', '404833048', ibans.mutuelle);
  await closing([
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: teamHolder, classCode: 'B', units: 50 },
  ]);
  await team('post', `/investors/${caisse}/contacts`)
    .send({ email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' })
    .expect(201);

  // Call 1: 10 % — the Caisse owes 30 000,00 €, the team 500,00 €.
  const first = await issuedCall('0.1');
  const referenceOf = async (callId: string, investorId: string) =>
    (await team('get', `/capital-calls/${callId}`).expect(200)).body.investors.find(
      (one: { investorId: string }) => one.investorId === investorId,
    ).paymentReference as string;

  // The second closing, with a premium of 2 % from today: the Mutuelle pays the catch-up to 10 % and the premium.
  await newRules('Prime de souscription de 2 %', {
    premiumSchedule: [
      { from: dayOffset(-200), rate: '0' },
      { from: today, rate: '0.02' },
    ],
  });
  const second = await closing([{ investorId: mutuelle, classCode: 'A', units: 1000 }]);
  expect(second.subscriptions[0]).toMatchObject({ catchUp: '10000.00', premium: '2000.00', premiumRate: '0.02' });
  const subscriptionReference = second.subscriptions[0]!.paymentReference!;
  expect(subscriptionReference).toMatch(/^RF\d{2}S2I[0-9A-F]{12}$/);

  // Calls 2 and 3; every unit of A now called 25 % of its nominal, the Mutuelle's included.
  const secondCall = await issuedCall('0.1');
  const third = await issuedCall('0.05');
  const mine = await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200);
  expect(mine.body.positions[0]).toMatchObject({ commitment: '300000.00', called: '75000.00', uncalled: '225000.00' });

  // The Mutuelle's notice of call 2 counts its catch-up as called before.
  const mutuelleNotice = await noticeText('capital-call-notice', secondCall.id, mutuelle);
  expect(mutuelleNotice).toContain('Appelé avant cet appel 10 000,00 €');
  expect(mutuelleNotice).toContain('Cet appel 10 000,00 €');
  expect(mutuelleNotice).toContain('Non appelé après cet appel 80 000,00 €');

  // The bank: the Caisse pays calls 1 and 2 quoting their references; the Mutuelle pays call 2, and its catch-up and premium.
  const matched = await reconciled(
    'FPCI-RELEVE-1',
    [
      credit('30000.00', 'R-1', 'CAISSE SOLIDAIRE', ibans.caisse, await referenceOf(first.id, caisse)),
      credit('30000.00', 'R-2', 'CAISSE SOLIDAIRE', ibans.caisse, await referenceOf(secondCall.id, caisse)),
      credit('10000.00', 'R-3', 'MUTUELLE TERRITOIRES', ibans.mutuelle, await referenceOf(secondCall.id, mutuelle)),
      credit('12000.00', 'R-5', 'MUTUELLE TERRITOIRES', ibans.mutuelle, subscriptionReference),
    ],
    ['0.00', '82000.00'],
  );
  expect(matched).toBe(4);
  // Its catch-up is paid-up capital; its premium is the fund's.
  const balancesAfter = (await team('get', `/balances?date=${today}`).expect(200)).body.accounts;
  const balanceOf = (code: string) => balancesAfter.find((account: { code: string }) => account.code === code)?.balance;
  expect(balanceOf('1041')).toBe('2000.00');
  // Call 3 goes unpaid by the Caisse past its due date: 15 000,00 € late 20 days at 5 % a year is 41,10 €.
  const lateOn = dayOffset(20 + Math.round((Date.parse(third.dueOn) - Date.parse(today)) / 86_400_000));
  const late = (await team('get', `/late-payers?asOf=${lateOn}`).expect(200)).body.latePayers;
  expect(late).toContainEqual(
    expect.objectContaining({
      investor: 'Caisse Solidaire du Grand Ouest',
      callNumber: 3,
      outstanding: '15000.00',
      daysLate: 20,
      lateInterest: '41.10',
    }),
  );

  // No distribution before the end of the subscription period; after it, one is paid to the Caisse through the bank.
  const early = await team('post', '/distributions')
    .send({ classCodes: ['A'], amount: '20000.00' })
    .expect(422);
  expect(early.body.detail).toMatch(/R214-75/);
  await newRules('Fin de la période de souscription', { subscriptionPeriodEndsOn: dayOffset(-1) });
  const drafted = await team('post', '/distributions')
    .send({ classCodes: ['A'], amount: '20000.00' })
    .expect(201);
  await admin('post', `${fund}/distributions/${drafted.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  const booked = (await team('post', `/distributions/${drafted.body.id}/steps`).send({ event: 'BOOK' }).expect(200))
    .body;
  const caissePart = booked.investors.find((one: { investorId: string }) => one.investorId === caisse);
  // 3 000 of 4 000 A units: 15 000,00 €, all of it repaying the 60 000,00 € it paid in; the Mutuelle's 5 000,00 €
  // repay part of the 20 000,00 € it paid in, its catch-up included.
  expect(caissePart).toMatchObject({ total: '15000.00', repayment: '15000.00', gain: '0.00' });
  expect(booked.investors.find((one: { investorId: string }) => one.investorId === mutuelle)).toMatchObject({
    total: '5000.00',
    repayment: '5000.00',
  });
  const payment = (await team('post', '/disbursements').send({ requestId: caissePart.payment.requestId }).expect(201))
    .body;
  await request(api.http)
    .post(`/api/disbursements/${payment.id}/transitions`)
    .set('Cookie', await secondTreasurer(api, 'controle-fpci@exemple.fr', 'developpement'))
    .send({ event: 'APPROVE' })
    .expect(200);
  const batch = (
    await team('post', '/payment-batches')
      .send({ disbursementIds: [payment.id], executionDate: dayOffset(1) })
      .expect(201)
  ).body;
  await fpciAs(api, 'treasurer', 'post', `/api/payment-batches/${batch.batchId}/sent`).expect(204);
  const debit = entry('001.08', '15000.00', 'DBIT', today, 'R-4', [
    tx(
      `<Refs><EndToEndId>${payment.endToEndId}</EndToEndId></Refs><RltdPties>${party('001.08', 'Cdtr', 'CAISSE SOLIDAIRE', ibans.caisse)}</RltdPties>`,
    ),
  ]);
  expect(await reconciled('FPCI-RELEVE-2', [debit], ['82000.00', '67000.00'])).toBe(1);
  const paid = (await team('get', `/distributions/${drafted.body.id}`).expect(200)).body;
  expect(paid.investors.find((one: { investorId: string }) => one.investorId === caisse).payment.status).toBe('paid');
  const distributionNotice = await noticeText('distribution-notice', drafted.body.id, caisse);
  expect(distributionNotice).toContain('Cette distribution 15 000,00 €');
  expect(distributionNotice).toContain('Versé au fonds (libéré) 60 000,00 €');
  // The Mutuelle paid in its call and its catch-up, not its premium.
  expect(await noticeText('distribution-notice', drafted.body.id, mutuelle)).toContain(
    'Versé au fonds (libéré) 20 000,00 €',
  );

  // The investor's page says each step; the books verify; the FEC follows the rules.
  const space = (
    await request(api.http).get('/investissement').set('Cookie', api.cookies.investor).expect(200)
  ).text.replace(/\s/g, ' ');
  for (const shown of ['n° 1', 'n° 2', 'n° 3', 'versé', 'à verser', '15 000,00']) expect(space).toContain(shown);
  expect((await admin('get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
  const year = Number(today.slice(0, 4));
  const fec = await exportFec(api.app.db, 'developpement', year);
  expect(fec.fileName).toBe(`900000019FEC${year}1231.txt`);
  const { records } = fecRecordsFollowingTheRules(fec.content, year, { firstYear: true });
  const bank = records
    .filter((record) => record('CompteNum') === '512')
    .reduce((total, record) => total + fecCents(record('Debit')) - fecCents(record('Credit')), 0n);
  expect(bank).toBe(67_000_00n);
});
