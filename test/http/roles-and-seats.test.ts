import request from 'supertest';
import { createTestApi, logIn, personas, type TestApi } from '../support/http';
import { applicationAtCommittee, inOneDay } from '../support/pathway';

/**
 * An administrator gives an existing account a role and withdraws it, each move
 * kept with who made it; she seats people on a committee, hands the chair on,
 * and takes a seat back — never the chair's, never during a session the member
 * sits on. Each change holds from the person's next request.
 */
let api: TestApi;
const idOf = async (email: string) => String((await api.app.db('users').where('email', email).first('id')).id);
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const asAdmin = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
  request(api.http)[method](path).set('Cookie', api.cookies.admin);

it('gives a role to an existing account and withdraws it, from the next request on, with its trace', async () => {
  const referentId = await idOf(personas.referent);
  await request(api.http).get('/api/funds/garantie/balances').set('Cookie', api.cookies.referent).expect(403);

  const given = await asAdmin('post', `/api/admin/users/${referentId}/roles`)
    .send({ role: 'treasurer', scopeId: 'garantie' })
    .expect(200);
  expect(given.body.user.roles).toContainEqual({ role: 'treasurer', scopeType: 'fund', scopeId: 'garantie' });
  // Given twice, held once; the same session sees the fund now.
  await asAdmin('post', `/api/admin/users/${referentId}/roles`)
    .send({ role: 'treasurer', scopeId: 'garantie' })
    .expect(200);
  await request(api.http).get('/api/funds/garantie/balances').set('Cookie', api.cookies.referent).expect(200);

  await asAdmin('post', `/api/admin/users/${referentId}/roles/withdrawal`)
    .send({ role: 'treasurer', scopeId: 'garantie' })
    .expect(200);
  await request(api.http).get('/api/funds/garantie/balances').set('Cookie', api.cookies.referent).expect(403);
  const withdrawnAgain = await asAdmin('post', `/api/admin/users/${referentId}/roles/withdrawal`)
    .send({ role: 'treasurer', scopeId: 'garantie' })
    .expect(404);
  expect(withdrawnAgain.body.detail).toBe('Ce compte n’a pas ce rôle.');

  const trace = await asAdmin('get', `/api/admin/users/${referentId}/role-changes`).expect(200);
  expect(trace.body.changes.slice(0, 2)).toEqual([
    expect.objectContaining({
      role: 'treasurer',
      scopeId: 'garantie',
      change: 'withdrawn',
      changedBy: 'Camille Admin',
    }),
    expect.objectContaining({ role: 'treasurer', scopeId: 'garantie', change: 'granted', changedBy: 'Camille Admin' }),
  ]);
  // The seed's own grant is in the trace too, made by nobody.
  expect(trace.body.changes.at(-1)).toMatchObject({ role: 'referent', change: 'granted', changedBy: null });
  // The trace is kept: the database refuses to change it.
  await expect(api.app.db('role_changes').where('user_id', referentId).delete()).rejects.toThrow();
});

it('refuses, in plain French and on its field, a role given the wrong way', async () => {
  const referentId = await idOf(personas.referent);
  const adminId = await idOf(personas.admin);
  const refusals = [
    [{ role: 'treasurer' }, '/body/scopeId', 'Le rôle « trésorerie » porte sur un fonds : indiquez lequel.'],
    [{ role: 'referent', scopeId: 'dotation' }, '/body/scopeId', /ne porte sur aucun fonds/],
    [{ role: 'treasurer', scopeId: 'inconnu' }, '/body/scopeId', "Le fonds inconnu n'existe pas."],
    [{ role: 'committee_member', scopeId: 'comite-dotation' }, '/body/role', /page du comité/],
    [{ role: 'applicant', scopeId: 'tiers-lieu-demo' }, '/body/role', /invitation/],
  ] as const;
  for (const [body, pointer, message] of refusals) {
    const refused = await asAdmin('post', `/api/admin/users/${referentId}/roles`).send(body).expect(400);
    expect(refused.body.errors).toEqual([{ pointer, message: expect.stringMatching(message) }]);
  }
  const own = await asAdmin('post', `/api/admin/users/${adminId}/roles/withdrawal`).send({ role: 'admin' }).expect(422);
  expect(own.body.detail).toMatch(/propre rôle d’administration/);
  await asAdmin('post', '/api/admin/users/00000000-0000-4000-8000-000000000000/roles')
    .send({ role: 'donor' })
    .expect(404);
  await request(api.http)
    .post(`/api/admin/users/${referentId}/roles`)
    .set('Cookie', api.cookies.treasurer)
    .send({ role: 'admin' })
    .expect(403);
});

it('seats a member, hands the chair on, and takes a seat back once the sessions she sits on are closed', async () => {
  const members = async () =>
    (await asAdmin('get', '/api/committees/comite-dotation').expect(200)).body.members.map(
      (member: { name: string; chair: boolean }) => `${member.name}${member.chair ? ' (préside)' : ''}`,
    );
  const referentId = await idOf(personas.referent);
  const chairId = await idOf(personas.committeeMember);
  const before = await members();

  await request(api.http).get('/api/committees/comite-dotation').set('Cookie', api.cookies.referent).expect(403);
  await asAdmin('put', `/api/committees/comite-dotation/members/${referentId}`).send({}).expect(200);
  expect(await members()).toHaveLength(before.length + 1);
  await request(api.http).get('/api/committees/comite-dotation').set('Cookie', api.cookies.referent).expect(200);

  // The chair handed on: one chair still, the former one a member again.
  await asAdmin('put', `/api/committees/comite-dotation/members/${referentId}`).send({ chair: true }).expect(200);
  const handedOn = await members();
  expect(handedOn.filter((member: string) => member.endsWith('(préside)'))).toEqual(['Awa Référente (préside)']);
  const chairLeaving = await asAdmin('delete', `/api/committees/comite-dotation/members/${referentId}`).expect(422);
  expect(chairLeaving.body.detail).toMatch(/désignez d’abord un autre membre/);
  await asAdmin('put', `/api/committees/comite-dotation/members/${chairId}`).send({ chair: true }).expect(200);

  // Sitting on an open session, she stays until it closes; then she leaves, and her role with her seat.
  const applicationId = await applicationAtCommittee(api);
  const opened = await request(api.http)
    .post('/api/committees/comite-dotation/sessions')
    .set('Cookie', api.cookies.committeeMember)
    .send({ applicationId, motion: { decision: 'decline', feedback: 'Hors du champ du fonds.' }, deadline: inOneDay() })
    .expect(201);
  const sitting = await asAdmin('delete', `/api/committees/comite-dotation/members/${referentId}`).expect(422);
  expect(sitting.body.detail).toContain(opened.body.reference);
  await request(api.http)
    .post(`/api/vote-sessions/${opened.body.id}/close`)
    .set('Cookie', api.cookies.admin)
    .send({ reason: 'Séance close pour le test.' })
    .expect(200);
  await asAdmin('delete', `/api/committees/comite-dotation/members/${referentId}`).expect(200);
  expect(await members()).toEqual(before);
  const referent = await logIn(api.http, personas.referent);
  await request(api.http).get('/api/committees/comite-dotation').set('Cookie', referent).expect(403);
  await asAdmin('delete', `/api/committees/comite-dotation/members/${referentId}`).expect(404);
});
