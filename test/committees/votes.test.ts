import request from 'supertest';
import { closeDueSessions } from '../../src/committees/deadlines';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { applicationAtCommittee, inOneDay } from '../support/pathway';

/** What people (and networks) do to a vote that its rules must survive. */
let api: TestApi;
let sofia: string;
let hugo: string;

beforeAll(async () => {
  api = await createTestApi();
  sofia = await logIn(api.http, 'comite2@milliard.test');
  hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(() => api.drop());

async function openVote(motion: Record<string, unknown> = { decision: 'approve', amount: '15000.00' }) {
  const applicationId = await applicationAtCommittee(api);
  const session = await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion, deadline: inOneDay() })
    .expect(201);
  return { applicationId, url: `/api/vote-sessions/${session.body.id}`, id: session.body.id as string };
}
const declare = (url: string, cookie: string, body: Record<string, unknown> = { conflicted: false }) =>
  request(api.http).post(`${url}/declaration`).set('Cookie', cookie).send(body);
const vote = (url: string, cookie: string, choice: string) =>
  request(api.http).put(`${url}/vote`).set('Cookie', cookie).send({ choice });
const applicationState = async (applicationId: string) =>
  (await request(api.http).get(`/api/applications/${applicationId}`).set('Cookie', api.cookies.referent).expect(200))
    .body.state;

it('keeps one vote when a member sends the same vote twenty times at once', async () => {
  const { url, id } = await openVote();
  await declare(url, hugo).expect(200);
  const answers = await Promise.all(Array.from({ length: 20 }, () => vote(url, hugo, 'for')));
  expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
  expect(await api.app.db('votes').where('session_id', id).count('* as count').first()).toEqual({ count: 1n });
  expect(await api.app.db('vote_ballots').where('session_id', id).count('* as count').first()).toEqual({ count: 1n });
  const session = await request(api.http).get(url).set('Cookie', hugo).expect(200);
  expect(session.body.history.filter((row: { event: string }) => row.event === 'CAST_VOTE')).toHaveLength(1);
});

it('refuses a vote after the close, and changes nothing', async () => {
  const { url, id } = await openVote();
  for (const cookie of [api.cookies.committeeMember, hugo]) {
    await declare(url, cookie).expect(200);
    await vote(url, cookie, 'for').expect(200);
  }
  await request(api.http).post(`${url}/close`).set('Cookie', api.cookies.committeeMember).send({}).expect(200);
  const late = await vote(url, hugo, 'against').expect(409);
  expect(late.body.allowedEvents).toEqual([]);
  expect(await api.app.db('votes').where({ session_id: id }).pluck('choice')).toEqual(['for', 'for']);
});

it("refuses a recused member's vote, in the service and in the database", async () => {
  const { url, id } = await openVote();
  await declare(url, sofia, { conflicted: true }).expect(400);
  await declare(url, sofia, { conflicted: true, details: 'Salariée de la structure.' }).expect(200);
  await declare(url, sofia, { conflicted: false }).expect(409);
  const refused = await vote(url, sofia, 'for').expect(422);
  expect(refused.body.type).toMatch(/committees\/recused$/);
  const sofiaId = (await request(api.http).get('/api/me').set('Cookie', sofia)).body.user.id;
  await expect(api.app.db('votes').insert({ session_id: id, user_id: sofiaId, choice: 'for' })).rejects.toMatchObject({
    code: 'MC001',
  });
  const undeclared = await vote(url, hugo, 'for').expect(422);
  expect(undeclared.body.type).toMatch(/committees\/declaration-first$/);
});

it('gives "no decision" when the quorum is not reached: the file stays before the committee', async () => {
  const { url, applicationId } = await openVote();
  await declare(url, hugo).expect(200);
  await declare(url, sofia).expect(200);
  await declare(url, api.cookies.committeeMember).expect(200);
  await vote(url, hugo, 'for').expect(200);
  const closed = await request(api.http)
    .post(`${url}/close`)
    .set('Cookie', api.cookies.committeeMember)
    .send({})
    .expect(200);
  expect([closed.body.outcome, closed.body.tally.quorumReached]).toEqual(['no-quorum', false]);
  expect(await applicationState(applicationId)).toBe('committee');
});

it('lets only the chair or an admin close, closes at the deadline by itself, and sends a rejected motion nowhere', async () => {
  const { url, id, applicationId } = await openVote({
    decision: 'decline',
    feedback: 'Le modèle économique reste à construire.',
  });
  for (const cookie of [api.cookies.committeeMember, hugo, sofia]) await declare(url, cookie).expect(200);
  await vote(url, hugo, 'against').expect(200);
  await vote(url, sofia, 'against').expect(200);
  await request(api.http).post(`${url}/close`).set('Cookie', hugo).send({}).expect(403);
  await api.app
    .db('vote_sessions')
    .where('id', id)
    .update({ deadline: api.app.db.raw("now() - interval '1 minute'") });
  await vote(url, api.cookies.committeeMember, 'for').expect(422);
  expect(await closeDueSessions(api.app.db)).toBe(1);
  expect(await closeDueSessions(api.app.db)).toBe(0);
  const closed = await request(api.http).get(url).set('Cookie', hugo).expect(200);
  expect([closed.body.outcome, closed.body.history.at(-1).actorRelations, closed.body.history.at(-1).actorId]).toEqual([
    'rejected',
    ['deadline'],
    null,
  ]);
  // Once closed, every member sees every vote.
  expect(closed.body.members.map((member: { choice: string | null }) => member.choice).sort()).toEqual([
    'against',
    'against',
    null,
  ]);
  expect(await applicationState(applicationId)).toBe('committee');
});

it('sends an adopted "send back" to the step named, and refuses a second open vote on the same file', async () => {
  const { url, applicationId } = await openVote({
    decision: 'send-back',
    to: 'proposal',
    rework: 'Détailler le budget prévisionnel.',
  });
  await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion: { decision: 'approve', amount: '15000.00' }, deadline: inOneDay() })
    .expect(409);
  for (const cookie of [api.cookies.committeeMember, hugo]) {
    await declare(url, cookie).expect(200);
    await vote(url, cookie, 'for').expect(200);
  }
  await request(api.http).post(`${url}/close`).set('Cookie', api.cookies.committeeMember).send({}).expect(200);
  const file = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect([file.body.state, file.body.context.rework]).toEqual(['proposal', 'Détailler le budget prévisionnel.']);
});

it('refuses a motion outside the ticket bounds, or by a member who does not chair, and hides sessions from outsiders', async () => {
  const applicationId = await applicationAtCommittee(api);
  const open = (cookie: string, amount: string) =>
    request(api.http)
      .post('/api/committees/comite-dotation/sessions')
      .set('Cookie', cookie)
      .send({ applicationId, motion: { decision: 'approve', amount }, deadline: inOneDay() });
  const tooMuch = await open(api.cookies.committeeMember, '30000.01').expect(400);
  expect(tooMuch.body.errors[0].pointer).toBe('/body/motion/amount');
  await open(hugo, '20000.00').expect(422);
  const opened = await open(api.cookies.admin, '20000.00').expect(201);
  for (const outsider of [api.cookies.applicant, api.cookies.referent, api.cookies.treasurer]) {
    await request(api.http)
      .get(`/api/vote-sessions/${opened.body.id}`)
      .set('Cookie', outsider)
      .expect((response) => expect([403, 404]).toContain(response.status));
  }
});
