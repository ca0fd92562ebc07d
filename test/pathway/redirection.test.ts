import request from 'supertest';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { adoptedVote, applicationAtCommittee, inOneDay, proposalAnswers } from '../support/pathway';

/**
 * A committee redirects a project to another of our vehicles: the file closes as
 * "redirected" and the project continues in a file of that fund, linked both
 * ways, with the same organisation, referent and pre-proposal, and the earlier
 * file's history read with the new one's — one trajectory.
 */
let api: TestApi;
let hugo: string;
beforeAll(async () => {
  api = await createTestApi();
  hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(() => api.drop());

const as = (cookie: string, method: 'post' | 'get' | 'put', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);
const openVote = (applicationId: string, motion: Record<string, unknown>, committee = 'comite-dotation') =>
  as(api.cookies.committeeMember, 'post', `/api/committees/${committee}/sessions`).send({
    applicationId,
    motion,
    deadline: inOneDay(),
  });
const file = async (id: string, cookie = api.cookies.referent) =>
  (await as(cookie, 'get', `/api/applications/${id}`).expect(200)).body;

describe('a redirection motion', () => {
  it('names a funder or one of our funds, other than the file’s', async () => {
    const applicationId = await applicationAtCommittee(api);
    const feedback = 'Un prêt conviendrait mieux.';
    for (const [where, pointer, message] of [
      [{}, '/body/motion/to', 'Nommez le financeur vers qui orienter le projet, ou choisissez un de nos fonds.'],
      [
        { fundId: 'dotation' },
        '/body/motion/fundId',
        'Le dossier est déjà dans ce fonds : choisissez un autre de nos fonds, ou un autre financeur.',
      ],
      [{ fundId: 'fonds-inconnu' }, '/body/motion/fundId', 'Fonds inconnu.'],
    ] as const) {
      const refused = await openVote(applicationId, { decision: 'redirect', ...where, feedback }).expect(400);
      expect(refused.body.errors).toEqual([{ pointer, message }]);
    }
  });
});

describe('a project redirected to the FPCI', () => {
  let fromId: string;
  let toId: string;

  beforeAll(async () => {
    fromId = await applicationAtCommittee(api);
    const session = await adoptedVote(api, 'comite-dotation', {
      applicationId: fromId,
      motion: {
        decision: 'redirect',
        fundId: 'developpement',
        feedback: 'Le besoin relève de fonds propres plus que d’une subvention.',
      },
    });
    expect(session.motion.text).toMatch(/^Orienter le projet vers Fonds de Développement/);
    toId = (await file(fromId)).context.redirectedToFileId;
  });

  it('closes the file as redirected, pointing at the file opened in the FPCI', async () => {
    const from = await file(fromId);
    expect(from.state).toBe('redirected');
    expect(from.context.redirectedTo).toMatch(/^Fonds de Développement/);
    expect(toId).toMatch(/^[0-9a-f-]{36}$/);
    // One redirection opens one file: the database refuses a second.
    await expect(
      api.app.db.raw(
        `insert into applications (organisation_id, fund_id, first_message, contact_name, contact_email, redirected_from_id)
         values ('tiers-lieu-demo', 'garantie', 'Encore', 'Louis', 'porteur@milliard.test', ?)`,
        [fromId],
      ),
    ).rejects.toMatchObject({ constraint: 'applications_one_file_per_redirection' });
  });

  it('continues there with the same organisation, referent and pre-proposal, its history carried', async () => {
    const from = await file(fromId);
    const to = await file(toId);
    expect(to).toMatchObject({
      organisationId: 'tiers-lieu-demo',
      fundId: 'developpement',
      state: 'dialogue',
      preProposal: from.preProposal,
      proposal: {},
      context: {
        referentId: from.context.referentId,
        redirectedFromFileId: fromId,
        // The FPCI does not grant: no grant bounds are shown on its files.
        ticketMin: null,
        ticketMax: null,
      },
    });
    expect(to.history).toHaveLength(1);
    expect(to.history[0].reason).toMatch(/^Projet orienté par le comité du Fonds de Dotation/);
    expect(to.earlierFiles).toHaveLength(1);
    expect(to.earlierFiles[0]).toMatchObject({ id: fromId, fundId: 'dotation', state: 'redirected' });
    expect(to.earlierFiles[0].history.map((row: { event: string }) => row.event)).toEqual(
      from.history.map((row: { event: string }) => row.event),
    );
    expect(to.earlierFiles[0].history.at(-1).event).toBe('REDIRECT');
    // The proposal is not copied silently: what the earlier file said is offered, to confirm.
    const project = await as(api.cookies.applicant, 'get', `/api/applications/${toId}/steps/project`).expect(200);
    expect(project.body.known.title).toBeUndefined();
    expect(project.body.suggestions.title).toMatchObject({
      value: 'Rénovation du tiers-lieu',
      fromApplicationId: fromId,
    });
  });

  it('is one trajectory for the organisation, and its people are told where it continues', async () => {
    const trajectory = await as(api.cookies.applicant, 'get', '/api/organisations/tiers-lieu-demo/trajectory').expect(
      200,
    );
    const files = new Map(trajectory.body.files.map((item: { id: string }) => [item.id, item]));
    expect(files.get(toId)).toMatchObject({ fundId: 'developpement', state: 'dialogue', redirectedFromId: fromId });
    expect(files.get(fromId)).toMatchObject({ fundId: 'dotation', state: 'redirected', redirectedFromId: null });
    const listed = await as(api.cookies.referent, 'get', '/api/applications?fundId=developpement').expect(200);
    expect(listed.body.files.map((item: { id: string }) => item.id)).toContain(toId);
    const inbox = await as(api.cookies.applicant, 'get', '/api/me/notifications').expect(200);
    const told = inbox.body.notifications.find(
      (notification: { title: string; link: string }) =>
        notification.title.startsWith('Le comité oriente le projet') && notification.link === `/dossiers/${toId}`,
    );
    expect(told.body).toMatch(/où le dossier continue avec le même référent/);
  });

  it('is not shown to the members of the committee that redirected it', async () => {
    // Hugo voted on the earlier file: the new one is the FPCI's until it is sent to one of his committees.
    await as(hugo, 'get', `/api/applications/${fromId}`).expect(200);
    await as(hugo, 'get', `/api/applications/${toId}`).expect(404);
  });

  it('goes on in the FPCI, whose committee may not grant: it decides otherwise', async () => {
    const admin = (method: 'post' | 'get', url: string) => as(api.cookies.admin, method, url);
    const paul = (await as(api.cookies.committeeMember, 'get', '/api/me').expect(200)).body.user.id;
    const hugoId = (await as(hugo, 'get', '/api/me').expect(200)).body.user.id;
    await admin('post', '/api/committees')
      .send({
        id: 'comite-fpci',
        name: 'Comité d’investissement du FPCI',
        fundId: 'developpement',
        rules: { quorumShare: '0.5', decisionRule: 'majority', abstentionsCount: false, chairCastingVote: true },
        members: [{ userId: paul, chair: true }, { userId: hugoId }],
      })
      .expect(201);
    const step = (cookie: string, body: Record<string, unknown>) =>
      as(cookie, 'post', `/api/applications/${toId}/transitions`).send(body).expect(200);
    const carried = (await file(toId)).preProposal;
    await step(api.cookies.referent, { event: 'INVITE_PRE_PROPOSAL' });
    await step(api.cookies.applicant, { event: 'SUBMIT_PRE_PROPOSAL', ...carried });
    for (const [name, answers] of Object.entries(proposalAnswers))
      await step(api.cookies.applicant, { event: 'COMPLETE_STEP', step: name, answers });
    await step(api.cookies.applicant, { event: 'SUBMIT_PROPOSAL' });
    await step(api.cookies.referent, { event: 'GIVE_OPINION', opinion: 'Un apport en fonds propres est adapté.' });
    await step(api.cookies.referent, { event: 'SEND_TO_COMMITTEE' });
    expect((await file(toId)).context.committeeId).toBe('comite-fpci');

    const grant = await openVote(toId, { decision: 'approve', amount: '20000.00' }, 'comite-fpci').expect(422);
    expect(grant.body.detail).toMatch(/^Fonds de Développement .* n’accorde pas de subvention/);
    // Back to the endowment fund, by the FPCI's committee: a third file, carrying both earlier ones.
    await adoptedVote(api, 'comite-fpci', {
      applicationId: toId,
      motion: { decision: 'redirect', fundId: 'dotation', feedback: 'Une subvention d’amorçage d’abord.' },
    });
    const third = await file((await file(toId)).context.redirectedToFileId);
    expect(third.fundId).toBe('dotation');
    expect(third.context.ticketMin).toBe('5000.00');
    expect(third.earlierFiles.map((earlier: { id: string }) => earlier.id)).toEqual([fromId, toId]);
  });
});
