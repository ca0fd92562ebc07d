import request from 'supertest';
import { createUser } from '../../src/identity/service';
import { demoPassword, seedDemo } from '../../src/demo/seed';
import { createTestApi, type Persona, type TestApi } from '../support/http';
import { applicationAtCommittee, proposalAnswers } from '../support/pathway';

let api: TestApi;
let otherApplicant: string;
let applicationId: string;

beforeAll(async () => {
  api = await createTestApi();
  await api.app.db('organisations').insert({ id: 'autre-asso', name: 'Autre association', legal_form: 'association' });
  await api.app.db.transaction((trx) =>
    createUser(trx, {
      email: 'autre@exemple.fr',
      displayName: 'Autre',
      password: demoPassword,
      roles: [{ role: 'applicant', scopeId: 'autre-asso' }],
    }),
  );
  otherApplicant = String(
    (
      await request(api.http)
        .post('/api/auth/login')
        .send({ email: 'autre@exemple.fr', password: demoPassword })
        .expect(200)
    ).headers['set-cookie'],
  ).split(';')[0]!;
});
afterAll(() => api.drop());

const step = (who: Persona, body: Record<string, unknown>, status = 200) =>
  request(api.http)
    .post(`/api/applications/${applicationId}/transitions`)
    .set('Cookie', api.cookies[who])
    .send(body)
    .then((response) => {
      if (response.status !== status) throw new Error(`${response.status} ${response.text}`);
      return response;
    });

it('walks a project from a first contact to the committee, each step by its person, all in the history', async () => {
  const opened = await request(api.http)
    .post('/api/applications')
    .set('Cookie', api.cookies.referent)
    .send({
      organisationId: 'tiers-lieu-demo',
      message: 'Nous voulons rénover notre tiers-lieu.',
      contactName: 'Louis',
      contactEmail: 'porteur@milliard.test',
    })
    .expect(201);
  applicationId = opened.body.id;
  // What the referent may do next: take the file (withdrawing it is the applicant's).
  expect([opened.body.state, opened.body.allowedEvents]).toEqual(['firstContact', ['ASSIGN_REFERENT']]);

  const me = await request(api.http).get('/api/me').set('Cookie', api.cookies.referent).expect(200);
  await step('referent', { event: 'ASSIGN_REFERENT', referentId: me.body.user.id, reason: 'Je connais le quartier' });
  await step('referent', { event: 'INVITE_PRE_PROPOSAL' });
  await step('applicant', {
    event: 'SUBMIT_PRE_PROPOSAL',
    need: 'Mettre le bâtiment aux normes.',
    project: 'Rénovation énergétique du tiers-lieu.',
    amountFrom: '10000.00',
    amountTo: '25000.00',
  });
  // The demo organisation has an earlier file (the demo data set's), about another project: this one is
  // pre-filled from its own pre-proposal and the profile, never from that project's title, dates or budget.
  const project = await request(api.http)
    .get(`/api/applications/${applicationId}/steps/project`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(project.body.known).toEqual({ summary: 'Rénovation énergétique du tiers-lieu.', territory: 'Paris Est' });
  expect([project.body.missing, project.body.suggestions]).toEqual([
    ['title', 'projectType', 'startsOn', 'endsOn'],
    {},
  ]);
  const budget = await request(api.http)
    .get(`/api/applications/${applicationId}/steps/budget`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(budget.body.known).toEqual({ requestedAmount: '25000.00' });
  const incoherent = await step(
    'applicant',
    { event: 'COMPLETE_STEP', step: 'budget', answers: { totalBudget: '10000.00', otherFunding: [] } },
    400,
  );
  expect(incoherent.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual([
    '/body/answers/requestedAmount',
  ]);
  const mistyped = await step(
    'applicant',
    { event: 'COMPLETE_STEP', step: 'impact', answers: { ...proposalAnswers.impact, indicators: [] } },
    400,
  );
  expect(mistyped.body.errors.map((error: { pointer: string }) => error.pointer)).toEqual(['/body/answers/indicators']);
  for (const [name, answers] of Object.entries(proposalAnswers))
    await step('applicant', { event: 'COMPLETE_STEP', step: name, answers });
  await step('applicant', { event: 'SUBMIT_PROPOSAL' });
  await step('referent', { event: 'GIVE_OPINION', opinion: 'Projet mûr, équipe solide, budget réaliste.' });
  const atCommittee = await step('referent', { event: 'SEND_TO_COMMITTEE' });

  expect(atCommittee.body.state).toBe('committee');
  expect(atCommittee.body.preProposal).toMatchObject({ amountFrom: '10000.00', amountTo: '25000.00' });
  expect(atCommittee.body.context).toMatchObject({ ticketMin: '5000.00', ticketMax: '30000.00', approvedAmount: null });
  expect(Object.keys(atCommittee.body.context).filter((key) => key.endsWith('Minor'))).toEqual([]);
  expect(Object.keys(atCommittee.body.proposal).sort()).toEqual(['budget', 'impact', 'project']);
  expect(atCommittee.body.proposal.budget).toEqual({
    totalBudget: '60000.00',
    requestedAmount: '25000.00',
    otherFunding: [{ funder: 'Région Île-de-France', amount: '20000.00', obtained: true }],
  });
  expect(
    atCommittee.body.history.map((row: { event: string; toState: string }) => `${row.event}→${row.toState}`),
  ).toEqual([
    'start→firstContact',
    'ASSIGN_REFERENT→dialogue',
    'INVITE_PRE_PROPOSAL→preProposal',
    'SUBMIT_PRE_PROPOSAL→proposal',
    'COMPLETE_STEP→proposal',
    'COMPLETE_STEP→proposal',
    'COMPLETE_STEP→proposal',
    'COMPLETE_STEP→proposal',
    'SUBMIT_PROPOSAL→instruction',
    'GIVE_OPINION→instruction',
    'SEND_TO_COMMITTEE→committee',
  ]);
  expect(atCommittee.body.history[1].reason).toBe('Je connais le quartier');
});

it('lets the applicant see the file, and another organisation nothing', async () => {
  await request(api.http).get(`/api/applications/${applicationId}`).set('Cookie', api.cookies.applicant).expect(200);
  const hidden = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', otherApplicant)
    .expect(404);
  expect(hidden.text).not.toMatch(/tiers-lieu|rénover/);
  await request(api.http)
    .post(`/api/applications/${applicationId}/transitions`)
    .set('Cookie', otherApplicant)
    .send({ event: 'WITHDRAW' })
    .expect(404);
});

it("refuses a step that is not the person's to take, or not the state's, and changes nothing", async () => {
  await step('applicant', { event: 'GIVE_OPINION', opinion: 'Je me donne un avis favorable.' }, 403);
  const refused = await step('admin', { event: 'CLOSE' }, 409);
  expect(refused.body.allowedEvents).toEqual(expect.arrayContaining(['APPROVE', 'DECLINE', 'WITHDRAW']));
  const unknown = await step('referent', { event: 'APPROVE', amountMinor: '2000000' }, 400);
  expect(unknown.body.errors[0].pointer).toBe('/body/event');
  const file = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.referent)
    .expect(200);
  expect([file.body.state, file.body.history.length]).toEqual(['committee', 11]);
});

it('lets a referent take charge of a new contact only for themselves', async () => {
  const opened = await request(api.http)
    .post('/api/applications')
    .set('Cookie', api.cookies.admin)
    .send({ organisationId: 'autre-asso', message: 'Bonjour', contactName: 'Autre', contactEmail: 'autre@exemple.fr' })
    .expect(201);
  const colleague = await api.app.db.transaction((trx) =>
    createUser(trx, { email: 'collegue@exemple.fr', displayName: 'Collègue', roles: [{ role: 'referent' }] }),
  );
  const assign = (who: Persona, referentId: string, status: number) =>
    request(api.http)
      .post(`/api/applications/${opened.body.id}/transitions`)
      .set('Cookie', api.cookies[who])
      .send({ event: 'ASSIGN_REFERENT', referentId })
      .expect(status);
  await assign('referent', colleague.id, 403);
  const assigned = await assign('admin', colleague.id, 200);
  expect([assigned.body.state, assigned.body.context.referentId]).toEqual(['dialogue', colleague.id]);
  // Now in the colleague's hands, the file leaves the other referents' queue.
  await request(api.http).get(`/api/applications/${opened.body.id}`).set('Cookie', api.cookies.referent).expect(404);
});

it('logs the dialogue: the team reads its internal notes, the applicant only what is shared', async () => {
  const log = (who: Persona, body: Record<string, unknown>, status = 201) =>
    request(api.http)
      .post(`/api/applications/${applicationId}/exchanges`)
      .set('Cookie', api.cookies[who])
      .send(body)
      .expect(status);
  await log('referent', { kind: 'meeting', occurredOn: '2026-11-20', summary: 'Visite du tiers-lieu avec le bureau.' });
  await log('referent', {
    kind: 'note',
    occurredOn: '2026-11-21',
    summary: 'Trésorerie fragile : à suivre.',
    internal: true,
  });
  await log('applicant', { kind: 'message', occurredOn: '2026-11-22', summary: 'Voici nos devis.' });
  await log(
    'applicant',
    { kind: 'note', occurredOn: '2026-11-22', summary: 'Note que je voudrais cacher.', internal: true },
    403,
  );
  await log('referent', { kind: 'visit', occurredOn: '2026-11-22', summary: 'x' }, 400);
  await request(api.http)
    .post(`/api/applications/${applicationId}/exchanges`)
    .set('Cookie', otherApplicant)
    .send({ kind: 'message', occurredOn: '2026-11-22', summary: 'Intrus' })
    .expect(404);

  const asReferent = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.referent)
    .expect(200);
  expect(
    asReferent.body.exchanges.map((exchange: { summary: string; internal: boolean }) => [
      exchange.summary,
      exchange.internal,
    ]),
  ).toEqual([
    ['Visite du tiers-lieu avec le bureau.', false],
    ['Trésorerie fragile : à suivre.', true],
    ['Voici nos devis.', false],
  ]);
  const asApplicant = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(asApplicant.body.exchanges.map((exchange: { summary: string }) => exchange.summary)).toEqual([
    'Visite du tiers-lieu avec le bureau.',
    'Voici nos devis.',
  ]);
  expect(asApplicant.text).not.toContain('Trésorerie fragile');
  expect(asApplicant.body.exchanges[0]).toMatchObject({
    kind: 'meeting',
    occurredOn: '2026-11-20',
    author: 'Awa Référente',
  });
});

it('pre-fills a later file from the earlier ones, and asks the organisation only what its profile lacks', async () => {
  const secondId = await applicationAtCommittee(api);
  expect(secondId).not.toBe(applicationId);
  const third = await request(api.http)
    .post('/api/applications')
    .set('Cookie', api.cookies.referent)
    .send({
      organisationId: 'tiers-lieu-demo',
      message: 'Un second projet.',
      contactName: 'Louis',
      contactEmail: 'porteur@milliard.test',
    })
    .expect(201);
  const impact = await request(api.http)
    .get(`/api/applications/${third.body.id}/steps/impact`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  // Who the organisation serves and the indicators it follows are offered from the last file, saying which; the applicant confirms them.
  expect(impact.body.known).toEqual({});
  expect(impact.body.missing).toEqual(['beneficiaries', 'ecologicalImpact', 'socialImpact', 'indicators']);
  expect(impact.body.suggestions).toEqual({
    beneficiaries: {
      value: proposalAnswers.impact!.beneficiaries,
      fromApplicationId: secondId,
      fromFileOpenedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    },
    indicators: {
      value: proposalAnswers.impact!.indicators,
      fromApplicationId: secondId,
      fromFileOpenedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    },
  });

  await api.app.db('organisations').where('id', 'tiers-lieu-demo').update({ iban: null, bic: null });
  const organisation = await request(api.http)
    .get(`/api/applications/${third.body.id}/steps/organisation`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect(organisation.body.missing).toEqual(['iban', 'bic']);
});

it('seeds one demo file waiting at committee, once however often the demo is loaded', async () => {
  await seedDemo(api.app.db);
  const demoFiles = await api.app
    .db('applications')
    .where({
      organisation_id: 'tiers-lieu-demo',
      first_message: 'Nous voulons isoler et chauffer sobrement notre tiers-lieu.',
    })
    .pluck('id');
  expect(demoFiles).toHaveLength(1);
  const file = await request(api.http)
    .get(`/api/applications/${demoFiles[0]}`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect([file.body.state, file.body.proposal.budget.requestedAmount]).toEqual(['committee', '25000.00']);
});
