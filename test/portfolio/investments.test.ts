import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';
import { adoptedVote, applicationAtCommittee, inOneDay, investmentCommittee } from '../support/pathway';
import { entry, party, tx } from '../support/camt';
import {
  closedClosing,
  dayOffset,
  issuedFpciCall,
  newInvestor,
  professional,
  reconciledFpciStatement,
  setFpciRules,
  today,
  verifiedKyc,
} from '../support/fpci';
import { secondTreasurer, sentTransfer } from '../support/treasury';

/**
 * An investment of the FPCI, from the organisation's file there (the project
 * redirected by the endowment fund's committee: one trajectory), through its
 * workflow: sourcing, due diligence, submitted to the FPCI's investment
 * committee, which votes to invest an amount with the committees' own vote
 * sessions; then the term sheet signed. Each step refused out of turn, each
 * recorded in the investment's history.
 */
let api: TestApi;
let fpciFile: string;
let endowmentFile: string;
const investments = '/api/funds/developpement/investments';
const as = (cookie: string, method: 'post' | 'get', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);
const team = (method: 'post' | 'get', url: string) => as(api.cookies.treasurer, method, url);

beforeAll(async () => {
  api = await createTestApi();
  endowmentFile = await applicationAtCommittee(api);
  await adoptedVote(api, 'comite-dotation', {
    applicationId: endowmentFile,
    motion: { decision: 'redirect', fundId: 'developpement', feedback: 'Un apport en fonds propres conviendra mieux.' },
  });
  fpciFile = (await as(api.cookies.referent, 'get', `/api/applications/${endowmentFile}`).expect(200)).body.context
    .redirectedToFileId;
  await investmentCommittee(api);
});
afterAll(() => api.drop());

/** The FPCI's cash: one investor's units 80 % called and paid, so that the fund can pay what it invests. */
async function fundWithCash() {
  await setFpciRules(api);
  const caisse = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Caisse Solidaire du Grand Ouest',
    siren: '552100554',
    kyc: verifiedKyc,
    eligibility: professional,
  });
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: caisse, classCode: 'B', units: 50 },
  ]);
  const call = await issuedFpciCall(api, '0.8');
  await team('post', `/api/funds/developpement/capital-calls/${call.id}/payments`)
    .set('Idempotency-Key', 'versement-caisse-appel-1')
    .send({ investorId: caisse, amount: '244000.00', receivedOn: today })
    .expect(201);
}

it('takes an investment from sourcing to its term sheet, the committee deciding by its vote', async () => {
  // From the organisation's file in this fund only.
  const elsewhere = await team('post', investments)
    .send({
      applicationId: endowmentFile,
      instrument: 'participating-loan',
      name: 'Prêt participatif',
      amountSought: '250000.00',
    })
    .expect(404);
  expect(elsewhere.body.detail).toContain('dossier de la structure dans ce fonds');
  const opened = await team('post', investments)
    .send({
      applicationId: fpciFile,
      instrument: 'participating-loan',
      name: 'Prêt participatif — rénovation du tiers-lieu',
      amountSought: '250000.00',
    })
    .expect(201);
  const url = `${investments}/${opened.body.id}`;
  expect(opened.body).toMatchObject({
    organisationId: 'tiers-lieu-demo',
    applicationId: fpciFile,
    instrument: 'participating-loan',
    amountSought: '250000.00',
    approvedAmount: null,
    state: 'sourcing',
  });
  const vote = (motion: Record<string, unknown>, ids: Record<string, string> = { investmentId: opened.body.id }) =>
    as(api.cookies.committeeMember, 'post', '/api/committees/comite-investissement/sessions').send({
      ...ids,
      motion,
      deadline: inOneDay(),
    });
  // Nothing to vote on before the team submits it.
  expect((await vote({ decision: 'invest', amount: '200000.00' }).expect(409)).body.detail).toContain(
    'L’investissement n’est pas présenté au comité (étape « sourcing »)',
  );
  const step = (body: Record<string, unknown>) => team('post', `${url}/steps`).send(body);
  await step({ event: 'START_DUE_DILIGENCE' }).expect(200);
  const noSummary = await step({ event: 'SUBMIT_TO_COMMITTEE' }).expect(400);
  expect(noSummary.body.errors[0].pointer).toBe('/body/summary');
  const submitted = await step({
    event: 'SUBMIT_TO_COMMITTEE',
    summary: 'Modèle économique solide, gouvernance coopérative, besoin de fonds propres pour 250 000 €.',
  }).expect(200);
  expect(submitted.body.state).toBe('committee');

  // The committee votes to invest or to decline, on the investment and nothing else at once.
  expect((await vote({ decision: 'approve', amount: '200000.00' }).expect(400)).body.errors[0].pointer).toBe(
    '/body/motion/decision',
  );
  expect(
    (
      await vote(
        { decision: 'invest', amount: '1.00' },
        { investmentId: opened.body.id, applicationId: fpciFile },
      ).expect(400)
    ).body.errors[0].pointer,
  ).toBe('/body/applicationId');
  const session = await adoptedVote(api, 'comite-investissement', {
    investmentId: opened.body.id,
    motion: { decision: 'invest', amount: '200000.00' },
  });
  expect(session.motion.text.replace(/\s/g, ' ')).toBe('Investir 200 000,00 €');
  const decided = (await team('get', url).expect(200)).body;
  expect(decided).toMatchObject({ state: 'term-sheet', approvedAmount: '200000.00' });
  expect(decided.history.map((one: { event: string }) => one.event)).toEqual([
    'start',
    'START_DUE_DILIGENCE',
    'SUBMIT_TO_COMMITTEE',
    'COMMITTEE_APPROVED',
  ]);
  expect(decided.history[2].reason).toContain('Modèle économique solide');
  expect(decided.history[3].reason).toMatch(/^Vote COMITE-INVESTISSEMENT-/);

  // Out of turn, a step is refused, saying where the investment stands.
  const early = await step({ event: 'START_DUE_DILIGENCE' }).expect(409);
  expect(early.body.detail).toContain('term-sheet');

  // The term sheet: the instrument's own terms, never more than voted.
  const loan = {
    instrument: 'participating-loan',
    principal: '200000.00',
    yearlyRate: '0.04',
    dayCount: 'act/365f',
    periodMonths: 12,
    periods: 7,
    gracePeriods: 2,
    amortisation: 'linear',
  };
  const shares = { instrument: 'shares', shares: 2000, pricePerShare: '100.00' };
  const pointerOf = async (terms: Record<string, unknown>) =>
    (await step({ event: 'SIGN_TERM_SHEET', terms }).expect(400)).body.errors[0].pointer;
  expect(await pointerOf(shares)).toBe('/body/terms/instrument');
  expect(await pointerOf({ ...loan, principal: '250000.00' })).toBe('/body/terms');
  expect(await pointerOf({ ...loan, gracePeriods: 7 })).toBe('/body/terms/gracePeriods');
  const signed = (await step({ event: 'SIGN_TERM_SHEET', terms: loan }).expect(200)).body;
  expect(signed).toMatchObject({ state: 'disbursing', invested: '200000.00', drawn: '0.00', terms: loan });
  // Two years of interest only, then five equal repayments: the schedule sums to what is lent.
  expect(signed.schedule).toHaveLength(7);
  expect(signed.schedule.slice(0, 2).map((line: { principal: string }) => line.principal)).toEqual(['0.00', '0.00']);
  expect(signed.schedule[2].principal).toBe('40000.00');
  expect(
    signed.schedule.reduce((total: number, line: { principal: string }) => total + Number(line.principal), 0),
  ).toBe(200000);

  // Drawdowns: numbered, replayed under their number, never beyond the terms; the last makes it held.
  const drawdowns = `${url}/drawdowns`;
  const draw = (number: number, amountText: string) => team('post', drawdowns).send({ number, amount: amountText });
  expect((await draw(2, '150000.00').expect(400)).body.errors[0].pointer).toBe('/body/number');
  const first = (await draw(1, '150000.00').expect(201)).body;
  expect(first.drawdowns).toEqual([
    expect.objectContaining({
      number: 1,
      amount: '150000.00',
      payment: expect.objectContaining({ status: 'requested' }),
    }),
  ]);
  expect((await draw(1, '150000.00').expect(200)).body.drawdowns).toHaveLength(1);
  await draw(1, '140000.00').expect(409);
  expect((await draw(2, '60000.00').expect(400)).body.errors[0].detail ?? '').toBeDefined();
  const held = (await draw(2, '50000.00').expect(201)).body;
  expect(held).toMatchObject({ state: 'held', drawn: '200000.00' });
  // The schedule now runs from the first drawdown.
  expect(held.schedule[0].dueOn).toBe(
    `${Number(first.drawdowns[0].requestedOn.slice(0, 4)) + 1}${first.drawdowns[0].requestedOn.slice(4)}`,
  );

  // The treasury pays the first drawdown to the organisation (four eyes, pain.001, the bank's statement) from the
  // cash the investors paid in: never below zero.
  await fundWithCash();
  const { requests } = (await team('get', '/api/funds/developpement/disbursement-requests').expect(200)).body;
  const firstRequest = requests.find((one: { id: string }) => one.id === first.drawdowns[0].payment.requestId);
  expect(firstRequest).toMatchObject({
    payee: 'La Fabrique du Tiers-Lieu',
    organisationId: 'tiers-lieu-demo',
    amount: '150000.00',
    payableAccountCode: expect.stringMatching(/^404/),
    label: 'Tirage 1 — Prêt participatif — rénovation du tiers-lieu',
  });
  // Above the fund's threshold (100 000 €): two approvals.
  const transfer = await sentTransfer(api, 'developpement', firstRequest.id, dayOffset(1), 2);
  expect(transfer.pain).toContain('<InstdAmt Ccy="EUR">150000.00</InstdAmt>');
  await reconciledFpciStatement(
    api,
    'INV-1',
    [
      entry('001.08', '150000.00', 'DBIT', today, 'I-1', [
        tx(
          `<Refs><EndToEndId>${transfer.endToEndId}</EndToEndId></Refs><RltdPties>${party('001.08', 'Cdtr', 'LA FABRIQUE DU TIERS-LIEU', 'FR7630006000011234567890189')}</RltdPties>`,
        ),
      ]),
    ],
    ['500000.00', '350000.00'],
  );
  const paid = (await team('get', url).expect(200)).body;
  expect(paid.drawdowns.map((one: { payment: { status: string } }) => one.payment.status)).toEqual([
    'paid',
    'requested',
  ]);
  const balances = (await team('get', `/api/funds/developpement/balances?date=${dayOffset(1)}`).expect(200)).body
    .accounts as { code: string; balance: string }[];
  expect(balances.find((account) => account.code === '2741')?.balance).toBe('200000.00');
  // What is still owed to the organisation, on its own account under 404.
  expect(balances.find((account) => account.code === firstRequest.payableAccountCode)?.balance).toBe('50000.00');
  const verification = (await as(api.cookies.admin, 'get', '/api/admin/ledger/verification').expect(200)).body;
  expect(verification.ok).toBe(true);
  const listed = (await team('get', investments).expect(200)).body.investments;
  expect(listed).toEqual([expect.objectContaining({ id: opened.body.id, state: 'held' })]);
  // The team's pages say the same, in French.
  const pageText = async (url: string) => (await team('get', url).expect(200)).text.replace(/\s/g, ' ');
  const list = await pageText('/tresorerie/developpement/investissements');
  expect(list).toMatch(
    /Prêt participatif — rénovation du tiers-lieu<\/a><\/td><td>prêt participatif<\/td><td>en portefeuille/,
  );
  const page = await pageText(`/tresorerie/developpement/investissements/${opened.body.id}`);
  for (const shown of ['Échéancier', 'Taux annuel</dt><dd>4 %', 'constant', '40 000,00 €', 'payé', 'à payer'])
    expect(page).toContain(shown);

  // The organisation's one trajectory: the endowment file redirected, the FPCI's file, then the investment —
  // its drawdowns and schedule, never the fund's valuation of it.
  const trajectory = (
    await as(api.cookies.applicant, 'get', '/api/organisations/tiers-lieu-demo/trajectory').expect(200)
  ).body;
  const [investment] = trajectory.investments;
  expect(investment).toMatchObject({ id: opened.body.id, state: 'held', drawn: '200000.00' });
  expect(investment.schedule).toHaveLength(7);
  expect(investment).not.toHaveProperty('bookValue');
  expect(investment).not.toHaveProperty('moic');
  const endowmentSteps = trajectory.files.find((file: { id: string }) => file.id === endowmentFile).history;
  expect(endowmentSteps.at(-1).toState).toBe('redirected');
  const history = (await as(api.cookies.applicant, 'get', '/structures/tiers-lieu-demo/trajectoire').expect(200)).text
    .replace(/<[^>]+>/g, '|')
    .replace(/\s/g, ' ');
  const order = [
    'Dossier : Proposition envoyée',
    'Dossier : Le comité oriente le projet vers un autre financeur',
    'Prêt participatif — rénovation du tiers-lieu : devant le comité',
    'Prêt participatif — rénovation du tiers-lieu : tirage n° 1 demandé',
    'Prêt participatif — rénovation du tiers-lieu : en portefeuille',
  ].map((what) => history.indexOf(what));
  expect(order.every((at, index) => at > 0 && (index === 0 || at > order[index - 1]!))).toBe(true);
  expect(history).toContain('150 000,00 €');
  expect(history).toContain('Échéancier');
  // Nobody else's: the treasurer reads the fund's side, not the organisation's trajectory.
  await as(api.cookies.treasurer, 'get', '/structures/tiers-lieu-demo/trajectoire').expect(404);
});

it('shows the fund’s investments to its team only', async () => {
  // A role without the route is refused it; a treasurer of another fund finds nothing.
  await as(api.cookies.donor, 'get', investments).expect(403);
  await as(await secondTreasurer(api, 'tresorerie-dotation@exemple.fr', 'dotation'), 'get', investments).expect(404);
  // The endowment fund has no investments: it is not a unit fund.
  await team('get', '/api/funds/dotation/investments').expect(422);
});
