import request from 'supertest';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { adoptedVote, applicationAtCommittee, inOneDay } from '../support/pathway';
import { secondTreasurer } from '../support/treasury';

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
  const userId = async (cookie: string) => (await as(cookie, 'get', '/api/me').expect(200)).body.user.id as string;
  await as(api.cookies.admin, 'post', '/api/committees')
    .send({
      id: 'comite-investissement',
      name: 'Comité d’investissement du FPCI',
      fundId: 'developpement',
      rules: { quorumShare: '0.5', decisionRule: 'majority', abstentionsCount: false, chairCastingVote: true },
      members: [
        { userId: await userId(api.cookies.committeeMember), chair: true },
        { userId: await userId(await logIn(api.http, 'comite3@milliard.test')) },
      ],
    })
    .expect(201);
});
afterAll(() => api.drop());

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
  const early = await step({ event: 'EXIT' }).expect(409);
  expect(early.body.detail).toContain('term-sheet');
  expect((await step({ event: 'SIGN_TERM_SHEET' }).expect(200)).body.state).toBe('disbursing');
  const listed = (await team('get', investments).expect(200)).body.investments;
  expect(listed).toEqual([expect.objectContaining({ id: opened.body.id, state: 'disbursing' })]);
});

it('shows the fund’s investments to its team only', async () => {
  // A role without the route is refused it; a treasurer of another fund finds nothing.
  await as(api.cookies.donor, 'get', investments).expect(403);
  await as(await secondTreasurer(api, 'tresorerie-dotation@exemple.fr', 'dotation'), 'get', investments).expect(404);
  // The endowment fund has no investments: it is not a unit fund.
  await team('get', '/api/funds/dotation/investments').expect(422);
});
