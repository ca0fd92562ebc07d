import request from 'supertest';
import { demoPassword } from '../../src/demo/seed';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument } from '../../src/documents/service';
import { logIn, type TestApi } from './http';

/**
 * Walks a new application of the demo organisation up to the committee, each
 * step taken by its person through the API: the ground of the committee tests.
 */
export async function applicationAtCommittee(api: TestApi, options: { committeeId?: string } = {}): Promise<string> {
  const id = await applicationAtInstruction(api);
  await request(api.http)
    .post(`/api/applications/${id}/transitions`)
    .set('Cookie', api.cookies.referent)
    .send({ event: 'SEND_TO_COMMITTEE', ...(options.committeeId ? { committeeId: options.committeeId } : {}) })
    .expect(200);
  return id;
}

/** The same walk, up to the referent's opinion: the file waits to be sent to a committee. */
export async function applicationAtInstruction(api: TestApi): Promise<string> {
  const { http, cookies } = api;
  const opened = await request(http)
    .post('/api/applications')
    .set('Cookie', cookies.referent)
    .send({
      organisationId: 'tiers-lieu-demo',
      message: 'Nous voulons rénover notre tiers-lieu.',
      contactName: 'Louis',
      contactEmail: 'porteur@milliard.test',
    })
    .expect(201);
  const id: string = opened.body.id;
  const me = await request(http).get('/api/me').set('Cookie', cookies.referent).expect(200);
  const step = (cookie: string, body: Record<string, unknown>) =>
    request(http).post(`/api/applications/${id}/transitions`).set('Cookie', cookie).send(body).expect(200);
  await step(cookies.referent, { event: 'ASSIGN_REFERENT', referentId: me.body.user.id });
  await step(cookies.referent, { event: 'INVITE_PRE_PROPOSAL' });
  await step(cookies.applicant, {
    event: 'SUBMIT_PRE_PROPOSAL',
    need: 'Mettre le bâtiment aux normes.',
    project: 'Rénovation énergétique du tiers-lieu de Paris Est.',
    amountFrom: '10000.00',
    amountTo: '25000.00',
  });
  for (const [name, answers] of Object.entries(proposalAnswers))
    await step(cookies.applicant, { event: 'COMPLETE_STEP', step: name, answers });
  await step(cookies.applicant, { event: 'SUBMIT_PROPOSAL' });
  await step(cookies.referent, { event: 'GIVE_OPINION', opinion: 'Projet mûr, équipe solide, budget réaliste.' });
  return id;
}

/**
 * What the applicant types in each proposal step: only what is not known yet.
 * The summary and territory of the project, and the amount asked, come from the
 * pre-proposal and the profile; the organisation step has nothing left to ask.
 */
export const proposalAnswers: Record<string, Record<string, unknown>> = {
  organisation: {},
  project: { title: 'Rénovation du tiers-lieu', projectType: 'energy', startsOn: '2027-01-01', endsOn: '2027-12-31' },
  budget: {
    totalBudget: '60000.00',
    otherFunding: [{ funder: 'Région Île-de-France', amount: '20000.00', obtained: true }],
  },
  impact: {
    beneficiaries: 'Habitants du quartier',
    ecologicalImpact: '40 % de chauffage en moins',
    socialImpact: 'Un lieu ouvert à tous',
    indicators: ['kWh économisés'],
  },
};

export const inOneDay = (): string => new Date(Date.now() + 24 * 3600 * 1000).toISOString();

/** Polls until `probe` returns a value (a queued job has done its work), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A file of the demo organisation taken to an active grant: voted by the demo
 * committee (Paul and Hugo for), its agreement rendered, accepted and countersigned.
 */
export async function activeGrant(api: TestApi, amount: string): Promise<string> {
  const { http, cookies } = api;
  const applicationId = await applicationAtCommittee(api);
  const hugo = String(
    (await request(http).post('/api/auth/login').send({ email: 'comite3@milliard.test', password: demoPassword }))
      .headers['set-cookie'],
  ).split(';')[0]!;
  const session = await request(http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', cookies.committeeMember)
    .send({ applicationId, motion: { decision: 'approve', amount }, deadline: inOneDay() })
    .expect(201);
  const url = `/api/vote-sessions/${session.body.id}`;
  for (const cookie of [cookies.committeeMember, hugo]) {
    await request(http).post(`${url}/declaration`).set('Cookie', cookie).send({ conflicted: false }).expect(200);
    await request(http).put(`${url}/vote`).set('Cookie', cookie).send({ choice: 'for' }).expect(200);
  }
  await request(http).post(`${url}/close`).set('Cookie', cookies.committeeMember).send({}).expect(200);
  const file = await request(http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', cookies.applicant)
    .expect(200);
  const agreement = await renderDocument(api.app.db, documentKinds, {
    kind: 'grant-agreement',
    subjectType: 'application',
    subjectId: applicationId,
    documentKey: `grant-agreement:${applicationId}:v${file.body.history.length}`,
  });
  await request(http)
    .post(`/api/applications/${applicationId}/transitions`)
    .set('Cookie', cookies.applicant)
    .send({ event: 'ACCEPT_AGREEMENT', documentSha256: agreement.sha256 })
    .expect(200);
  await request(http)
    .post(`/api/applications/${applicationId}/transitions`)
    .set('Cookie', cookies.admin)
    .send({ event: 'COUNTERSIGN', documentSha256: agreement.sha256 })
    .expect(200);
  return applicationId;
}

/**
 * Opens a vote at a committee (on a file or an investment) by its chair Claire,
 * has Claire and Hugo declare no conflict and vote for, and closes it: the motion adopted.
 */
export async function adoptedVote(
  api: TestApi,
  committeeId: string,
  body: { applicationId?: string; investmentId?: string; motion: Record<string, unknown> },
): Promise<{ id: string; motion: { text: string } }> {
  const as = (cookie: string, method: 'post' | 'put', url: string) =>
    request(api.http)[method](url).set('Cookie', cookie);
  const opened = await as(api.cookies.committeeMember, 'post', `/api/committees/${committeeId}/sessions`)
    .send({ ...body, deadline: inOneDay() })
    .expect(201);
  const hugo = await logIn(api.http, 'comite3@milliard.test');
  for (const cookie of [api.cookies.committeeMember, hugo]) {
    await as(cookie, 'post', `/api/vote-sessions/${opened.body.id}/declaration`)
      .send({ conflicted: false })
      .expect(200);
    await as(cookie, 'put', `/api/vote-sessions/${opened.body.id}/vote`).send({ choice: 'for' }).expect(200);
  }
  const closed = await as(api.cookies.committeeMember, 'post', `/api/vote-sessions/${opened.body.id}/close`)
    .send({})
    .expect(200);
  expect(closed.body.outcome).toBe('adopted');
  return opened.body;
}

/** The FPCI's investment committee, `comite-investissement`: Claire chairs, Hugo sits (the voters of `adoptedVote`). */
export async function investmentCommittee(api: TestApi): Promise<void> {
  const userId = async (email: string) => String((await api.app.db('users').where('email', email).first('id')).id);
  await request(api.http)
    .post('/api/committees')
    .set('Cookie', api.cookies.admin)
    .send({
      id: 'comite-investissement',
      name: 'Comité d’investissement du FPCI',
      fundId: 'developpement',
      rules: { quorumShare: '0.5', decisionRule: 'majority', abstentionsCount: false, chairCastingVote: true },
      members: [
        { userId: await userId('comite@milliard.test'), chair: true },
        { userId: await userId('comite3@milliard.test') },
      ],
    })
    .expect(201);
}
