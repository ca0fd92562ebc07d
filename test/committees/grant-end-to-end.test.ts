import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { jobHandlers } from '../../src/job-handlers';
import { startJobs, type RunningJobs } from '../../src/jobs/queue';
import { formatFrenchDate } from '../../src/time';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { applicationAtCommittee, eventually, inOneDay } from '../support/pathway';
import { pdfText } from '../support/pdf';

/**
 * One project from first contact to an active grant, through the HTTP API,
 * with a real person for each role, the real job worker (outbox → BullMQ →
 * PDF rendering, e-mails to the local outbox) and PDFs parsed back.
 */
let api: TestApi;
let jobs: RunningJobs;
const cookies: Record<'chair' | 'sofia' | 'hugo', string> = { chair: '', sofia: '', hugo: '' };

beforeAll(async () => {
  api = await createTestApi();
  jobs = startJobs(api.app, jobHandlers, { relayEveryMs: 50 });
  cookies.chair = api.cookies.committeeMember;
  cookies.sofia = await logIn(api.http, 'comite2@milliard.test');
  cookies.hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(async () => {
  await jobs.close();
  await api.drop();
});

const download = async (cookie: string, documentId: string) => {
  const response = await request(api.http)
    .get(`/api/documents/${documentId}`)
    .set('Cookie', cookie)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  return { content: response.body as Buffer, sha256: response.headers['x-content-sha256'] as string };
};

it('takes a project from first contact to an active grant, with votes, minutes, agreement, history and notifications', async () => {
  const applicationId = await applicationAtCommittee(api);
  const session = await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', cookies.chair)
    .send({ applicationId, motion: { decision: 'approve', amount: '20000.00' }, deadline: inOneDay() })
    .expect(201);
  const sessionUrl = `/api/vote-sessions/${session.body.id}`;
  expect(session.body.motion.text).toMatch(/^Accorder une subvention de 20\s000,00\s€$/);
  // The amount comes back as it was sent: euros, never cents.
  expect(session.body.motion.amount).toBe('20000.00');

  // The committee member sees the file they vote on.
  await request(api.http).get(`/api/applications/${applicationId}`).set('Cookie', cookies.hugo).expect(200);

  await request(api.http)
    .post(`${sessionUrl}/declaration`)
    .set('Cookie', cookies.chair)
    .send({ conflicted: false })
    .expect(200);
  await request(api.http)
    .post(`${sessionUrl}/declaration`)
    .set('Cookie', cookies.sofia)
    .send({ conflicted: true, details: 'Je siège au bureau de La Fabrique du Tiers-Lieu.' })
    .expect(200);
  await request(api.http)
    .post(`${sessionUrl}/declaration`)
    .set('Cookie', cookies.hugo)
    .send({ conflicted: false })
    .expect(200);
  await request(api.http)
    .put(`${sessionUrl}/vote`)
    .set('Cookie', cookies.chair)
    .send({ choice: 'for', comment: 'Projet exemplaire.' })
    .expect(200);
  const recused = await request(api.http)
    .put(`${sessionUrl}/vote`)
    .set('Cookie', cookies.sofia)
    .send({ choice: 'for' })
    .expect(422);
  expect(recused.body.type).toMatch(/committees\/recused$/);
  await request(api.http).put(`${sessionUrl}/vote`).set('Cookie', cookies.hugo).send({ choice: 'against' }).expect(200);
  const changed = await request(api.http)
    .put(`${sessionUrl}/vote`)
    .set('Cookie', cookies.hugo)
    .send({ choice: 'for', comment: 'Convaincu par le budget.' })
    .expect(200);
  // While the vote is open, a member sees who voted but only their own choice.
  const chairView = changed.body.members.find((member: { name: string }) => member.name === 'Paul Comité');
  expect(changed.body.members.find((member: { name: string }) => member.name === 'Hugo Comité')).toMatchObject({
    voted: true,
    choice: 'for',
  });
  expect([chairView.voted, chairView.choice]).toEqual([true, undefined]);

  const closed = await request(api.http)
    .post(`${sessionUrl}/close`)
    .set('Cookie', cookies.chair)
    .send({ reason: 'Tous les membres non déportés ont voté.' })
    .expect(200);
  expect([closed.body.outcome, closed.body.tally.counts, closed.body.tally.eligible]).toEqual([
    'adopted',
    { for: 2, against: 0, abstain: 0 },
    2,
  ]);
  expect(closed.body.history.map((row: { event: string }) => row.event)).toEqual([
    'start',
    'DECLARE',
    'DECLARE',
    'DECLARE',
    'CAST_VOTE',
    'CAST_VOTE',
    'CAST_VOTE',
    'CLOSE',
  ]);
  expect(closed.body.history[6].reason).toBe('Vote modifié (against → for)');

  const minutesMeta = await eventually(
    async () => (await request(api.http).get(sessionUrl).set('Cookie', cookies.hugo)).body.documents[0],
  );
  const minutes = await pdfText((await download(cookies.sofia, minutesMeta.id)).content);
  expect(minutes).toContain("Procès-verbal du Comité d'engagement du fonds de dotation");
  expect(minutes).toMatch(/Accorder une subvention de 20 000,00 € — La Fabrique du Tiers-Lieu/);
  expect(minutes).toMatch(/Sofia Comité s’est déporté·e et n’a pas pris part au vote : Je siège au bureau/);
  expect(minutes).toMatch(/Hugo Comité\s+Pour\s+Convaincu par le budget\./);
  expect(minutes).toContain('Pour : 2 — Contre : 0 — Abstentions : 0.');
  expect(minutes).toContain('Résultat : proposition adoptée.');
  expect(minutes).toContain(formatFrenchDate(new Date()));

  const atAgreement = await request(api.http)
    .get(`/api/applications/${applicationId}`)
    .set('Cookie', api.cookies.applicant)
    .expect(200);
  expect([
    atAgreement.body.state,
    atAgreement.body.context.approvedAmount,
    atAgreement.body.context.approvedAmountMinor,
  ]).toEqual(['agreement.awaitingApplicant', '20000.00', undefined]);
  const agreementMeta = await eventually(async () =>
    (
      await request(api.http).get(`/api/applications/${applicationId}`).set('Cookie', api.cookies.applicant)
    ).body.documents.find((document: { kind: string }) => document.kind === 'grant-agreement'),
  );
  const agreement = await download(api.cookies.applicant, agreementMeta.id);
  expect(agreement.sha256).toBe(agreementMeta.sha256);
  const agreementText = await pdfText(agreement.content);
  expect(agreementText).toContain('Convention de subvention');
  expect(agreementText).toMatch(/La Fabrique du Tiers-Lieu, association loi 1901 \(SIREN 812345676, RNA W751234567\)/);
  expect(agreementText).toMatch(/une subvention d'un montant de 20 000,00 €\./);
  expect(agreementText).toContain(`le ${formatFrenchDate(new Date())}`);
  expect(agreementText).toContain('FR7630006000011234567890189');

  const step = (cookie: string, body: Record<string, unknown>, status = 200) =>
    request(api.http)
      .post(`/api/applications/${applicationId}/transitions`)
      .set('Cookie', cookie)
      .send(body)
      .expect(status);
  const stale = await step(api.cookies.applicant, { event: 'ACCEPT_AGREEMENT', documentSha256: '0'.repeat(64) }, 422);
  expect(stale.body.documentSha256).toBe(agreement.sha256);
  await step(api.cookies.applicant, { event: 'ACCEPT_AGREEMENT', documentSha256: agreement.sha256 });
  const active = await step(api.cookies.admin, { event: 'COUNTERSIGN', documentSha256: agreement.sha256 });
  const people = Object.fromEntries(
    await Promise.all(
      (['applicant', 'admin', 'committeeMember', 'referent'] as const).map(async (persona) => [
        persona,
        (await request(api.http).get('/api/me').set('Cookie', api.cookies[persona])).body.user.id,
      ]),
    ),
  );
  expect(active.body.state).toBe('active');
  expect(active.body.context).toMatchObject({
    acceptedBy: people.applicant,
    countersignedBy: people.admin,
    agreementSha256: agreement.sha256,
  });
  const lastSteps = active.body.history.slice(-3);
  expect(
    lastSteps.map((row: { event: string; toState: string; actorId: string; actorRelations: string[] }) => [
      row.event,
      row.toState,
      row.actorId,
      row.actorRelations,
    ]),
  ).toEqual([
    ['APPROVE', 'agreement.awaitingApplicant', people.committeeMember, ['committee']],
    ['ACCEPT_AGREEMENT', 'agreement.awaitingCountersignature', people.applicant, ['applicant']],
    ['COUNTERSIGN', 'active', people.admin, ['admin']],
  ]);
  expect(lastSteps[0].reason).toMatch(
    /^Vote .+ : Majorité des suffrages exprimés \(hors abstentions\) : 100 % pour\. La proposition est adoptée\.$/,
  );

  const inbox = await request(api.http).get('/api/me/notifications').set('Cookie', api.cookies.applicant).expect(200);
  const titles = inbox.body.notifications.map((notice: { title: string }) => notice.title);
  expect(titles).toEqual(
    expect.arrayContaining([
      'Le comité accorde la subvention — La Fabrique du Tiers-Lieu',
      'Convention contresignée : la subvention est active — La Fabrique du Tiers-Lieu',
    ]),
  );
  const approvalNotice = inbox.body.notifications.find((notice: { title: string }) =>
    notice.title.startsWith('Le comité accorde'),
  );
  expect(approvalNotice.body).toMatch(/Montant accordé : 20\s000,00\s€/);
  // The applicant is not told about their own steps.
  expect(titles).not.toContain('Convention acceptée par le porteur — La Fabrique du Tiers-Lieu');

  // Without SMTP_URL, the e-mail of that notification lands in the local outbox.
  const approvalMail = await eventually(async () => {
    const file = path.join(api.app.config.mailOutboxDir, `${approvalNotice.id}.eml`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  });
  expect(approvalMail).toMatch(/^To: Louis Porteur de projet <porteur@milliard\.test>$/m);
  expect(approvalMail).toMatch(/^From: .*<ne-pas-repondre@milliard\.local>$/m);
  expect(approvalMail).toContain(`X-Milliard-Notification: ${approvalNotice.id}`);
});
