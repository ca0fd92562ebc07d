import request from 'supertest';
import { closeDueSessions } from '../../src/committees/deadlines';
import { todayInParis } from '../../src/time';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { applicationAtCommittee, applicationAtInstruction, inOneDay } from '../support/pathway';

/** Decisions that neither bend nor get stuck: the file's own committee, fundable motions, amended pool rules, the fund's bounds. */
let api: TestApi;
let hugo: string;
beforeAll(async () => {
  api = await createTestApi();
  hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(() => api.drop());

const as = (cookie: string, method: 'post' | 'get' | 'put', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);
const treasurer = (method: 'post' | 'get', url: string) => as(api.cookies.treasurer, method, url);
const openVote = (
  applicationId: string,
  motion: Record<string, unknown>,
  deadline = inOneDay(),
  committee = 'comite-dotation',
  cookie = api.cookies.committeeMember,
) => as(cookie, 'post', `/api/committees/${committee}/sessions`).send({ applicationId, motion, deadline });
async function voteFor(sessionId: string) {
  for (const cookie of [api.cookies.committeeMember, hugo]) {
    await as(cookie, 'post', `/api/vote-sessions/${sessionId}/declaration`).send({ conflicted: false }).expect(200);
    await as(cookie, 'put', `/api/vote-sessions/${sessionId}/vote`).send({ choice: 'for' }).expect(200);
  }
}
const fileState = async (applicationId: string) =>
  (await as(api.cookies.referent, 'get', `/api/applications/${applicationId}`).expect(200)).body;
async function newPool(id: string, body: Record<string, unknown> = {}) {
  await treasurer('post', '/api/funds/dotation/pools')
    .send({
      id,
      name: `Pool ${id}`,
      partnerName: 'ACTED',
      ticketMin: '5000.00',
      ticketMax: '30000.00',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      ...body,
    })
    .expect(201);
}
const contribute = (poolId: string, amount: string) =>
  treasurer('post', `/api/funds/dotation/pools/${poolId}/contributions`)
    .set('Idempotency-Key', `contribution-${poolId}-${amount}`)
    .send({ amount, receivedOn: todayInParis() })
    .expect(201);

describe('a vote the pool can no longer pay for', () => {
  it('is refused at opening when the pool cannot hold it, saying what is missing', async () => {
    await newPool('petit-pool');
    await contribute('petit-pool', '20000.00');
    const applicationId = await applicationAtCommittee(api);
    const refused = await openVote(applicationId, {
      decision: 'approve',
      amount: '25000.00',
      poolId: 'petit-pool',
    }).expect(422);
    expect(refused.body.detail.replace(/\s/g, ' ')).toBe(
      'Le pool ne peut pas financer ce ticket : il lui reste 20 000,00 €, dont 0,00 € déjà proposés au vote ; il manque 5 000,00 €.',
    );
    const late = await openVote(
      applicationId,
      { decision: 'approve', amount: '10000.00', poolId: 'petit-pool' },
      '2028-03-01T10:00:00Z',
    ).expect(422);
    expect(late.body.detail).toMatch(/^Le pool n'engage plus après le 31 décembre 2027/);
  });

  it('closes as "adopted, not fundable" with the reason, the file back at instruction and everyone told; the next due session closes too', async () => {
    await newPool('pool-epuise');
    await contribute('pool-epuise', '20000.00');
    const first = await applicationAtCommittee(api);
    const second = await applicationAtCommittee(api);
    const sessions = [];
    for (const applicationId of [first, second]) {
      const session = await openVote(applicationId, {
        decision: 'approve',
        amount: '10000.00',
        poolId: 'pool-epuise',
      }).expect(201);
      await voteFor(session.body.id);
      sessions.push(session.body.id as string);
    }
    // Meanwhile the partner's money is taken back in part: the pool holds 12 000 € for two motions of 10 000 €.
    await treasurer('post', '/api/funds/dotation/entries')
      .set('Idempotency-Key', 'pool-epuise-refund')
      .send({
        accountingDate: todayInParis(),
        label: 'Remboursement partiel ACTED',
        reason: 'Avenant de réduction',
        lines: [
          { accountCode: '195POOLEPUISE', debit: '8000.00' },
          { accountCode: '512', credit: '8000.00' },
        ],
      })
      .expect(201);
    await api.app
      .db('vote_sessions')
      .whereIn('id', sessions)
      .update({ deadline: new Date(Date.now() - 60_000) });
    expect(await closeDueSessions(api.app.db)).toBe(2);

    const closed = await api.app
      .db('vote_sessions')
      .whereIn('id', sessions)
      .orderBy('deadline')
      .select('id', 'outcome', 'outcome_reason');
    const outcomes = new Map(closed.map((row) => [row.id, row]));
    const funded = sessions.find((id) => outcomes.get(id).outcome === 'adopted')!;
    const unfunded = sessions.find((id) => outcomes.get(id).outcome === 'adopted-not-fundable')!;
    expect(outcomes.get(unfunded).outcome_reason).toMatch(
      /^Le pool « Pool pool-epuise » n'a plus de quoi financer cette aide \(disponible : 2/,
    );
    const unfundedFile = unfunded === sessions[0] ? first : second;
    const fundedFile = funded === sessions[0] ? first : second;
    const file = await fileState(unfundedFile);
    expect([file.state, file.grant, file.context.feedback]).toEqual([
      'instruction',
      null,
      outcomes.get(unfunded).outcome_reason,
    ]);
    expect((await fileState(fundedFile)).state).toBe('agreement.awaitingApplicant');
    const session = (await as(hugo, 'get', `/api/vote-sessions/${unfunded}`).expect(200)).body;
    expect([session.state, session.outcome]).toEqual(['closed', 'adopted-not-fundable']);
    const told = await api.app
      .db('notifications')
      .where({ subject_type: 'vote-session', subject_id: unfunded })
      .where('title', 'like', 'Vote clos%')
      .pluck('title');
    // Every member (the deadline closed it: nobody is left out as the closer).
    expect(told).toEqual(
      Array.from(
        {
          length: await api.app
            .db('vote_session_members')
            .where('session_id', unfunded)
            .count('* as count')
            .first()
            .then((row) => Number(row!.count)),
        },
        () => 'Vote clos — proposition adoptée mais non finançable, dossier renvoyé à l’instruction',
      ),
    );
    const applicantTold = await api.app
      .db('notifications')
      .where({ subject_type: 'application', subject_id: unfundedFile })
      .where('title', 'like', '%ne peut pas être financée%')
      .count('* as count')
      .first();
    expect(Number(applicantTold!.count)).toBeGreaterThanOrEqual(1);
    // The file can go back to a committee, and a new vote opens on it.
    await as(api.cookies.referent, 'post', `/api/applications/${unfundedFile}/transitions`)
      .send({ event: 'SEND_TO_COMMITTEE' })
      .expect(200);
    await openVote(unfundedFile, { decision: 'approve', amount: '5000.00' }).expect(201);
  });

  it('closes a session whose file was withdrawn while the vote was open', async () => {
    const applicationId = await applicationAtCommittee(api);
    const session = await openVote(applicationId, { decision: 'approve', amount: '10000.00' }).expect(201);
    await as(api.cookies.applicant, 'post', `/api/applications/${applicationId}/transitions`)
      .send({ event: 'WITHDRAW', reason: 'Projet abandonné' })
      .expect(200);
    expect(await closeDueSessions(api.app.db)).toBe(1);
    expect(await api.app.db('vote_sessions').where('id', session.body.id).first('outcome')).toEqual({
      outcome: 'withdrawn',
    });
  });
});

describe('the committee of a file', () => {
  it('lets only the committee the file was sent to open a vote on it', async () => {
    const paulId = (await as(api.cookies.committeeMember, 'get', '/api/me').expect(200)).body.user.id;
    const hugoId = (await as(hugo, 'get', '/api/me').expect(200)).body.user.id;
    await as(api.cookies.admin, 'post', '/api/committees')
      .send({
        id: 'comite-bis',
        name: 'Comité bis',
        fundId: 'dotation',
        members: [
          { userId: hugoId, chair: true },
          { userId: paulId, chair: false },
        ],
        rules: { quorumShare: '0.5', decisionRule: 'majority', abstentionsCount: false, chairCastingVote: false },
      })
      .expect(201);
    // With two committees, the referent names the one that decides.
    const files = { id: await applicationAtInstruction(api) };
    const refused = await as(api.cookies.referent, 'post', `/api/applications/${files.id}/transitions`)
      .send({ event: 'SEND_TO_COMMITTEE' })
      .expect(400);
    expect(refused.body.errors[0]).toEqual({
      pointer: '/body/committeeId',
      message: 'Précisez le comité qui décidera (comite-bis, comite-dotation).',
    });
    await as(api.cookies.referent, 'post', `/api/applications/${files.id}/transitions`)
      .send({ event: 'SEND_TO_COMMITTEE', committeeId: 'comite-dotation' })
      .expect(200);
    const other = await openVote(
      files.id,
      { decision: 'approve', amount: '15000.00' },
      inOneDay(),
      'comite-bis',
      hugo,
    ).expect(404);
    expect(other.body.detail).toBe("Ce dossier n'est pas présenté à ce comité.");
    await openVote(files.id, { decision: 'approve', amount: '15000.00' }).expect(201);
  });
});

describe('pool rules and ticket bounds', () => {
  it('records an amendment extending a pool; tickets after it follow it, and a grant keeps the rules it was decided under', async () => {
    await newPool('acted-s1', { startsOn: '2026-01-01', endsOn: '2026-06-30' });
    await contribute('acted-s1', '180000.00');
    // The fund has two committees by now: files name theirs.
    const applicationId = await applicationAtCommittee(api, { committeeId: 'comite-dotation' });
    const refused = await openVote(applicationId, {
      decision: 'approve',
      amount: '25000.00',
      poolId: 'acted-s1',
    }).expect(422);
    expect(refused.body.detail).toMatch(/il engage du 1er janvier 2026 au 30 juin 2026/);
    await openVote(applicationId, { decision: 'approve', amount: '35000.00', poolId: 'acted-s1' }).expect(422);
    const amended = await treasurer('post', '/api/funds/dotation/pools/acted-s1/amendments')
      .send({
        effectiveFrom: '2026-07-01',
        reason: 'Avenant n° 1 : prolongation jusqu’en juin 2027, tickets jusqu’à 40 000 €',
        ticketMin: '5000.00',
        ticketMax: '40000.00',
        startsOn: '2026-01-01',
        endsOn: '2027-06-30',
        tranchePercents: ['60', '40'],
      })
      .expect(201);
    expect(amended.body.rules).toMatchObject({
      endsOn: '2027-06-30',
      ticketMax: '40000.00',
      tranchePercents: ['60', '40'],
    });
    expect(amended.body.amendments).toHaveLength(1);
    expect(amended.body.amendments[0]).toMatchObject({
      effectiveFrom: '2026-07-01',
      amendedBy: expect.any(String),
      reason: expect.stringMatching(/^Avenant n° 1/),
    });
    const session = await openVote(applicationId, {
      decision: 'approve',
      amount: '35000.00',
      poolId: 'acted-s1',
    }).expect(201);
    await voteFor(session.body.id);
    await as(api.cookies.committeeMember, 'post', `/api/vote-sessions/${session.body.id}/close`).send({}).expect(200);
    const grant = await api.app.db('grants').where('application_id', applicationId).first('pool_amendment_id', 'id');
    expect(String(grant.pool_amendment_id)).toBe(amended.body.amendments[0].id);
    expect(
      await api.app.db('grant_tranches').where('grant_id', grant.id).orderBy('position').pluck('amount_minor'),
    ).toEqual([2_100_000n, 1_400_000n]);
    await treasurer('post', '/api/funds/dotation/pools/acted-s1/amendments')
      .send({ effectiveFrom: '2026-07-01', reason: 'x' })
      .expect(400);
  });

  it('takes the bounds of a file outside any pool from its fund’s rules', async () => {
    // The fund has two committees by now: files name theirs.
    const applicationId = await applicationAtCommittee(api, { committeeId: 'comite-dotation' });
    await openVote(applicationId, { decision: 'approve', amount: '35000.00' }).expect(400);
    await as(api.cookies.admin, 'put', '/api/admin/funds/dotation/endowment-rules')
      .send({ giftAmountMax: '5000000.00', ticketMin: '5000.00', ticketMax: '40000.00' })
      .expect(200);
    const session = await openVote(applicationId, { decision: 'approve', amount: '35000.00' }).expect(201);
    await voteFor(session.body.id);
    await as(api.cookies.committeeMember, 'post', `/api/vote-sessions/${session.body.id}/close`).send({}).expect(200);
    expect((await fileState(applicationId)).grant.amount).toBe('35000.00');
  });
});
