import request from 'supertest';
import { createTestApi, logIn, type TestApi } from '../support/http';
import { applicationAtCommittee, applicationAtInstruction } from '../support/pathway';

/** Finding files: a paginated, filtered list that shows each person what their role lets them see. */
let api: TestApi;
let hugo: string;
beforeAll(async () => {
  api = await createTestApi();
  hugo = await logIn(api.http, 'comite3@milliard.test');
});
afterAll(() => api.drop());

const list = (cookie: string, query = '') => request(api.http).get(`/api/applications${query}`).set('Cookie', cookie);

it('shows the committee the files sent to it, tells its members when one arrives, and lets them read it before any vote', async () => {
  const waiting = await applicationAtCommittee(api);
  const atInstruction = await applicationAtInstruction(api);
  const forCommittee = (await list(hugo, '?committeeId=comite-dotation&state=committee').expect(200)).body;
  expect(forCommittee.files.map((file: { id: string }) => file.id)).toContain(waiting);
  expect(forCommittee.files.map((file: { id: string }) => file.id)).not.toContain(atInstruction);
  const entry = forCommittee.files.find((file: { id: string }) => file.id === waiting);
  expect(entry).toMatchObject({
    organisation: { id: 'tiers-lieu-demo', name: 'La Fabrique du Tiers-Lieu' },
    state: 'committee',
    stateLabel: 'comité',
    committeeId: 'comite-dotation',
    amountAsked: { from: '10000.00', to: '25000.00' },
  });
  await request(api.http).get(`/api/applications/${waiting}`).set('Cookie', hugo).expect(200);
  const hugoId = (await request(api.http).get('/api/me').set('Cookie', hugo).expect(200)).body.user.id;
  const told = await api.app
    .db('notifications')
    .where({ user_id: hugoId, subject_type: 'application', subject_id: waiting })
    .pluck('title');
  expect(told).toEqual(['Nouveau dossier pour le comité — La Fabrique du Tiers-Lieu']);
  // A file still at instruction is not the committee's yet.
  await request(api.http).get(`/api/applications/${atInstruction}`).set('Cookie', hugo).expect(404);
});

it('paginates and filters, and shows each role only its files', async () => {
  const all = (await list(api.cookies.admin, '?pageSize=2').expect(200)).body;
  expect(all.files).toHaveLength(2);
  expect(all.total).toBeGreaterThanOrEqual(3);
  const second = (await list(api.cookies.admin, '?pageSize=2&page=2').expect(200)).body;
  expect(second.files.map((file: { id: string }) => file.id)).not.toContain(all.files[0].id);
  const mine = (await list(api.cookies.applicant).expect(200)).body;
  expect(mine.files.every((file: { organisation: { id: string } }) => file.organisation.id === 'tiers-lieu-demo')).toBe(
    true,
  );
  expect((await list(api.cookies.applicant, '?organisationId=autre-structure').expect(200)).body.total).toBe(0);
  const referentId = (await request(api.http).get('/api/me').set('Cookie', api.cookies.referent).expect(200)).body.user
    .id;
  const accompanied = (await list(api.cookies.referent, `?referentId=${referentId}`).expect(200)).body;
  expect(accompanied.total).toBeGreaterThanOrEqual(2);
  await list(api.cookies.donor).expect(403);
  expect((await list(api.cookies.admin, '?pageSize=101').expect(400)).body.errors[0].pointer).toBe('/query/pageSize');
});
