import request from 'supertest';
import { addBusinessDays } from '../../src/business-days';
import { camtDocument, entry, party, tx } from '../support/camt';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { formatFrenchDay } from '../../src/time';
import { demoPassword } from '../../src/demo/seed';
import { resetPassword, sendPasswordResetEmail } from '../../src/identity/password-resets';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { readMail } from '../support/mail';
import { pdfText } from '../support/pdf';
import { secondTreasurer } from '../support/treasury';
import {
  closedClosing,
  dayOffset,
  fpciAs,
  fpciRules,
  newInvestor,
  professional,
  setFpciRules,
  today,
  verifiedKyc,
} from '../support/fpci';

/**
 * Distributions: refused before the end of the subscription period; each
 * investor's part repays first the capital it paid, then is income and gain;
 * one reaching the carry units waits for the auditor's special report; four
 * eyes; booked as owed to the investors, to the cent.
 */
let api: TestApi;
const caisseIban = 'FR7630004000010001234567830';
let caisse: string;
let firstDistribution: string;
let banque: string;
const as = (persona: 'admin' | 'treasurer', method: 'get' | 'post', path: string) => fpciAs(api, persona, method, path);
const distributions = '/api/funds/developpement/distributions';

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
  caisse = await investor('Caisse Solidaire du Grand Ouest', '552100554', {
    iban: caisseIban,
    bic: 'CMCIFRPP',
  });
  banque = await investor('Banque des Territoires (test)', '404833048');
  const team = await investor('Citizen Capital (équipe)', '812345676');
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: banque, classCode: 'A', units: 1000 },
    { investorId: team, classCode: 'B', units: 50 },
  ]);
  // 20 % called; the Caisse pays its 60 000,00 €, the Bank nothing yet.
  const call = await as('treasurer', 'post', '/api/funds/developpement/capital-calls')
    .send({
      classShares: [{ classCode: 'A', share: '0.2' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: addBusinessDays(today, 10),
    })
    .expect(201);
  await as('admin', 'post', `/api/funds/developpement/capital-calls/${call.body.id}/steps`)
    .send({ event: 'APPROVE' })
    .expect(200);
  await as('treasurer', 'post', `/api/funds/developpement/capital-calls/${call.body.id}/steps`)
    .send({ event: 'ISSUE' })
    .expect(200);
  await as('treasurer', 'post', `/api/funds/developpement/capital-calls/${call.body.id}/payments`)
    .set('Idempotency-Key', 'caisse-1')
    .send({ investorId: caisse, amount: '60000.00', receivedOn: today })
    .expect(201);
  // What is distributed came back from the portfolio: a sale's proceeds, in the bank.
  await as('treasurer', 'post', '/api/funds/developpement/entries')
    .set('Idempotency-Key', 'cession-1')
    .send({
      accountingDate: today,
      label: 'Cession de titres',
      reason: 'Produit de cession encaissé',
      lines: [
        { accountCode: '512', debit: '200000.00' },
        { accountCode: '775', credit: '200000.00' },
      ],
    })
    .expect(201);
});
afterAll(() => api.drop());

it('refuses a distribution before the end of the subscription period, then repays capital first, then income and gain', async () => {
  const early = await as('treasurer', 'post', distributions)
    .send({ classCodes: ['A'], amount: '100000.00', income: '10000.00' })
    .expect(422);
  // The end of the subscription period said as people read dates (« 1 mars 2027 »), not as ISO.
  expect(early.body.detail).toMatch(
    /^Pas de distribution avant la fin de la période de souscription \(\d{1,2}(er)? \p{L}+ \d{4}\).*R214-75/u,
  );
  // The subscription period ended yesterday: a new version of the rules says so.
  await as('admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({
      effectiveFrom: today,
      reason: 'Fin de la période de souscription',
      rules: { ...fpciRules, subscriptionPeriodEndsOn: dayOffset(-1) },
    })
    .expect(201);

  const drafted = await as('treasurer', 'post', distributions)
    .send({ classCodes: ['A'], amount: '100000.00', income: '10000.00' })
    .expect(201);
  firstDistribution = drafted.body.id;
  // 3 000 and 1 000 units: 75 000,00 and 25 000,00. The Caisse paid 60 000,00: repaid that, the rest is its gain and income;
  // the Bank paid nothing: all of its part is gain and income. Income 10 000,00 spread over the 40 000,00 beyond repayment.
  expect(drafted.body.investors).toEqual([
    expect.objectContaining({
      investor: 'Banque des Territoires (test)',
      repayment: '0.00',
      income: '6250.00',
      gain: '18750.00',
      total: '25000.00',
    }),
    expect.objectContaining({
      investor: 'Caisse Solidaire du Grand Ouest',
      repayment: '60000.00',
      income: '3750.00',
      gain: '11250.00',
      total: '75000.00',
    }),
  ]);
  expect(drafted.body.totals).toEqual({ repayment: '60000.00', gain: '30000.00', income: '10000.00' });
  expect(drafted.body.auditorReport.required).toBe(false);
  const step = (id: string, persona: 'admin' | 'treasurer', event: string) =>
    as(persona, 'post', `${distributions}/${id}/steps`).send({ event });
  expect((await step(drafted.body.id, 'treasurer', 'APPROVE').expect(422)).body.detail).toMatch(/quatre yeux/);
  await step(drafted.body.id, 'admin', 'APPROVE').expect(200);
  const booked = await step(drafted.body.id, 'treasurer', 'BOOK').expect(200);
  expect(booked.body).toMatchObject({ state: 'booked', bookedOn: today });
  const entry = await as('treasurer', 'get', `/api/funds/developpement/entries/${booked.body.entryId}`).expect(200);
  const owed = entry.body.postings.filter((posting: { accountCode: string }) => posting.accountCode === '457');
  expect(owed.map((posting: { credit: string }) => posting.credit).sort()).toEqual(['25000.00', '75000.00']);

  // Income beyond what is not repayment is refused on its field.
  const tooMuchIncome = await as('treasurer', 'post', distributions)
    .send({ classCodes: ['A'], amount: '1000.00', income: '2000.00' })
    .expect(400);
  expect(tooMuchIncome.body.errors[0].pointer).toBe('/body/income');
});

it('pays each investor its part through the treasury: four eyes, a SEPA file, then the bank’s statement', async () => {
  const { requests } = (await as('treasurer', 'get', '/api/funds/developpement/disbursement-requests').expect(200))
    .body;
  const owedTo = (investorId: string) =>
    requests.find((one: { investorId: string | null }) => one.investorId === investorId);
  expect(owedTo(caisse)).toMatchObject({
    payee: 'Caisse Solidaire du Grand Ouest',
    organisationId: null,
    amount: '75000.00',
    payableAccountCode: '457',
    label: 'Distribution 1 du fonds developpement',
    status: 'requested',
  });
  // The Bank gave no bank details: its payment waits, and the refusal says why.
  const refused = await as('treasurer', 'post', '/api/funds/developpement/disbursements')
    .send({ requestId: owedTo(banque).id })
    .expect(422);
  expect(refused.body.detail).toContain('Banque des Territoires (test)');

  const payment = (
    await as('treasurer', 'post', '/api/funds/developpement/disbursements')
      .send({ requestId: owedTo(caisse).id })
      .expect(201)
  ).body;
  expect(payment.creditor).toEqual({ name: 'Caisse Solidaire du Grand Ouest', iban: caisseIban, bic: 'CMCIFRPP' });
  const transition = (cookie: string) =>
    request(api.http).post(`/api/disbursements/${payment.id}/transitions`).set('Cookie', cookie);
  await transition(api.cookies.treasurer).send({ event: 'APPROVE' }).expect(403);
  await transition(await secondTreasurer(api, 'controle-fpci@exemple.fr', 'developpement'))
    .send({ event: 'APPROVE' })
    .expect(200);
  const { batchId } = (
    await as('treasurer', 'post', '/api/funds/developpement/payment-batches')
      .send({ disbursementIds: [payment.id], executionDate: dayOffset(1) })
      .expect(201)
  ).body;
  const pain = (await as('treasurer', 'get', `/api/payment-batches/${batchId}/pain001`).expect(200)).text;
  expect(pain).toContain('<Nm>Caisse Solidaire du Grand Ouest</Nm>');
  expect(pain).toContain(`<IBAN>${caisseIban}</IBAN>`);
  expect(pain).toContain('<InstdAmt Ccy="EUR">75000.00</InstdAmt>');
  await as('treasurer', 'post', `/api/payment-batches/${batchId}/sent`).expect(204);

  const statement = camtDocument('001.08', {
    statementId: 'FPCI-2026-1',
    iban: 'FR7642559100000800123456771',
    opening: ['200000.00', today],
    closing: ['125000.00', today],
    entries: [
      entry('001.08', '75000.00', 'DBIT', today, 'CC-0001', [
        tx(
          `<Refs><EndToEndId>${payment.endToEndId}</EndToEndId></Refs><RltdPties>${party('001.08', 'Cdtr', 'CAISSE SOLIDAIRE DU GRAND OUEST', caisseIban)}</RltdPties>`,
        ),
      ]),
    ],
  });
  const imported = await as('treasurer', 'post', '/api/funds/developpement/bank-statements')
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(statement))
    .expect(201);
  const statementId = imported.body.id;
  const { matches } = (
    await as('treasurer', 'post', `/api/funds/developpement/bank-statements/${statementId}/matches`).expect(200)
  ).body;
  expect(matches).toHaveLength(1);
  expect(matches[0].method).toBe('end-to-end');
  const decided = await as('treasurer', 'post', `/api/bank-matches/${matches[0].id}/decision`).send({
    decision: 'confirm',
  });
  expect([decided.status, decided.body]).toEqual([204, {}]);
  const paid = (await as('treasurer', 'get', `${distributions}/${firstDistribution}`).expect(200)).body;
  const paymentOf = (investorId: string) =>
    paid.investors.find((one: { investorId: string }) => one.investorId === investorId).payment;
  expect(paymentOf(caisse)).toEqual({ requestId: owedTo(caisse).id, status: 'paid' });
  expect(paymentOf(banque)).toEqual({ requestId: owedTo(banque).id, status: 'requested' });
  // What is owed to investors is what the Bank is still owed: 25 000,00 €.
  const balances = (await as('treasurer', 'get', `/api/funds/developpement/balances?date=${today}`).expect(200)).body;
  expect(balances.accounts.find((account: { code: string }) => account.code === '457')).toMatchObject({
    credit: '25000.00',
    balance: '25000.00',
  });
});

it('books a distribution reaching the carry units only after the auditor’s special report', async () => {
  const drafted = await as('treasurer', 'post', distributions)
    .send({ classCodes: ['A', 'B'], amount: '40500.00' })
    .expect(201);
  expect(drafted.body.auditorReport).toEqual({ required: true, reference: null, reportOn: null });
  await as('admin', 'post', `${distributions}/${drafted.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  const refused = await as('treasurer', 'post', `${distributions}/${drafted.body.id}/steps`)
    .send({ event: 'BOOK' })
    .expect(422);
  expect(refused.body.detail).toMatch(/rapport spécial du commissaire aux comptes/);
  await as('treasurer', 'post', `${distributions}/${drafted.body.id}/auditor-report`)
    .send({ reference: 'CAC-2026-DIST-2', reportOn: today })
    .expect(200);
  const booked = await as('treasurer', 'post', `${distributions}/${drafted.body.id}/steps`)
    .send({ event: 'BOOK' })
    .expect(200);
  // 4 050 units: 10,00 € a unit, the carry's 50 units 500,00 €.
  expect(booked.body.investors).toContainEqual(
    expect.objectContaining({ investor: 'Citizen Capital (équipe)', classCode: 'B', total: '500.00' }),
  );
  expect((await as('admin', 'get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
});

it('shows an investor’s own people its position, its calls and its distributions, and nobody else’s', async () => {
  await as('treasurer', 'post', `/api/funds/developpement/investors/${caisse}/contacts`)
    .send({ email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' })
    .expect(201);
  const mine = await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200);
  expect(mine.body.positions).toEqual([
    expect.objectContaining({
      investor: 'Caisse Solidaire du Grand Ouest',
      fundId: 'developpement',
      commitment: '300000.00',
      called: '60000.00',
      paid: '60000.00',
      uncalled: '240000.00',
      distributed: '105000.00',
      calls: [expect.objectContaining({ number: 1, due: '60000.00', paid: '60000.00', status: 'paid' })],
    }),
  ]);
  expect(JSON.stringify(mine.body)).not.toContain('Banque des Territoires');
  // The investor's space says the same, in French.
  const page = await request(api.http).get('/investissement').set('Cookie', api.cookies.investor).expect(200);
  const text = page.text.replace(/\s/g, ' ');
  expect(text).toContain('Caisse Solidaire du Grand Ouest — Fonds de Développement pour la Transition Juste (FPCI)');
  expect(text).toMatch(/Engagement<\/dt><dd class="amount">300 000,00 €/);
  expect(text).toContain('versé');
  expect(text).not.toContain('Banque des Territoires');
  // A new contact gets an account that holds the investor role and sees the same position.
  await as('treasurer', 'post', `/api/funds/developpement/investors/${banque}/contacts`)
    .send({ email: 'tresorerie@banque-test.fr', displayName: 'Trésorerie de la Banque' })
    .expect(201);
  const grants = await api.app
    .db('role_grants')
    .join('users', 'users.id', 'role_grants.user_id')
    .where('users.email', 'tresorerie@banque-test.fr')
    .pluck('role');
  expect(grants).toEqual(['investor']);
  // Someone new is told why the account exists and chooses a password from the e-mail; Marc, who has one, is told in his inbox.
  const [opening] = await api.app.db('outbox').where('job_name', 'password-reset.email').pluck('payload');
  await sendPasswordResetEmail(api.app, opening.resetId);
  const mail = await readMail(api.app.config.mailOutboxDir, `password-reset-${opening.resetId}.eml`);
  expect(mail).toMatchObject({
    to: 'tresorerie@banque-test.fr',
    subject: '[milliard] Votre compte est ouvert : choisissez votre mot de passe',
  });
  expect(mail.text.replace(/\s+/g, ' ')).toContain(
    'vous a ouvert un compte sur milliard comme contact de Banque des Territoires (test)',
  );
  expect(mail.text).toContain('lien valable 14 jours');
  const token = /jeton=(pwr_[\w-]+)/.exec(mail.text)![1]!;
  // The link's page opens an account: it says so, not « new password ».
  const linkPage = await request(api.http).get(`/mot-de-passe/nouveau?jeton=${token}`).expect(200);
  expect(linkPage.text).toContain('Votre compte est ouvert : choisissez son mot de passe');
  expect(linkPage.text).not.toContain('Nouveau mot de passe');
  expect(await api.app.db.transaction((trx) => resetPassword(trx, token, demoPassword))).toBe('account-opening');
  const banqueCookie = await logIn(api.http, 'tresorerie@banque-test.fr');
  const theirs = await request(api.http).get('/api/me/investments').set('Cookie', banqueCookie).expect(200);
  expect(theirs.body.positions.map((one: { investor: string }) => one.investor)).toEqual([
    'Banque des Territoires (test)',
  ]);
  const told = await api.app
    .db('notifications')
    .join('users', 'users.id', 'notifications.user_id')
    .where('users.email', 'investisseur@milliard.test')
    .pluck('title');
  expect(told).toContain('Vous suivez Caisse Solidaire du Grand Ouest');
  await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.treasurer).expect(403);
  const unknown = await as(
    'treasurer',
    'post',
    `/api/funds/developpement/investors/00000000-0000-4000-8000-000000000000/contacts`,
  )
    .send({ email: 'x@exemple.fr', displayName: 'X' })
    .expect(404);
  expect(unknown.body.detail).toBe('Ce porteur de parts est introuvable dans ce fonds.');
});

it('sends each investor its distribution notice, and tells its contacts where to read it', async () => {
  const drafted = await as('treasurer', 'post', distributions)
    .send({ classCodes: ['A'], amount: '8000.00' })
    .expect(201);
  await as('admin', 'post', `${distributions}/${drafted.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  await as('treasurer', 'post', `${distributions}/${drafted.body.id}/steps`).send({ event: 'BOOK' }).expect(200);
  const queued = await api.app.db('outbox').where('job_name', 'document.render').select('payload');
  const notices = queued
    .map((row: { payload: RenderRequest }) => row.payload)
    .filter((payload) => payload.kind === 'distribution-notice' && payload.subjectId.startsWith(drafted.body.id));
  expect(notices).toHaveLength(2);
  const rendered = await renderDocument(
    api.app.db,
    documentKinds,
    notices.find((payload) => payload.subjectId.endsWith(caisse))!,
  );
  const document = await api.app.db('documents').where('id', rendered.id).first('content');
  const text = await pdfText(document.content);
  for (const line of [
    'Avis de distribution n° 3',
    'Caisse Solidaire du Grand Ouest',
    `comptabilisée le ${formatFrenchDay(today)}`,
    'Distribution totale du fonds : 8 000,00 €',
    'Engagement 300 000,00 €',
    'Versé au fonds (libéré) 60 000,00 €',
    'Distribué avant cette distribution 105 000,00 €',
    'Cette distribution 6 000,00 €',
    'Distribué après cette distribution 111 000,00 €',
    'Non appelé 240 000,00 €',
    'A 0,00 € 0,00 € 6 000,00 € 6 000,00 €',
    'compte se terminant par 7830',
  ])
    expect(text).toContain(line);
  // Marc, the Caisse's contact, is told, with a link to his space, where the notice is.
  const inbox = await request(api.http).get('/api/me/notifications').set('Cookie', api.cookies.investor).expect(200);
  expect(inbox.body.notifications).toContainEqual(
    expect.objectContaining({ title: 'Distribution n° 3', link: '/investissement' }),
  );
  const mine = await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200);
  expect(mine.body.positions[0].distributions).toContainEqual(
    expect.objectContaining({ number: 3, noticeDocumentId: rendered.id, total: '6000.00' }),
  );
  const space = await request(api.http).get('/investissement').set('Cookie', api.cookies.investor).expect(200);
  expect(space.text).toContain(`href="/api/documents/${rendered.id}"`);
  // Marc reads the Caisse's notice, not the Bank's.
  const theBanks = await renderDocument(
    api.app.db,
    documentKinds,
    notices.find((payload) => payload.subjectId.endsWith(banque))!,
  );
  await request(api.http).get(`/api/documents/${rendered.id}`).set('Cookie', api.cookies.investor).expect(200);
  await request(api.http).get(`/api/documents/${theBanks.id}`).set('Cookie', api.cookies.investor).expect(404);
});
