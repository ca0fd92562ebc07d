import request from 'supertest';
import { sendNotificationEmail } from '../../src/notifications/service';
import { createTestApi, type TestApi } from '../support/http';
import { applicationAtCommittee } from '../support/pathway';

/** Notifications worth reading: no notice per part of a proposal, and each person chooses what reaches them by e-mail. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const referentId = async () =>
  (await request(api.http).get('/api/me').set('Cookie', api.cookies.referent).expect(200)).body.user.id as string;

it('tells the referent of a proposal once it is sent whole, not of each part completed', async () => {
  const applicationId = await applicationAtCommittee(api);
  const titles = await api.app
    .db('notifications')
    .where({ user_id: await referentId(), subject_type: 'application', subject_id: applicationId })
    .pluck('title');
  expect(titles.filter((title: string) => title.startsWith('Une partie de la proposition'))).toEqual([]);
  expect(titles.filter((title: string) => title.startsWith('Proposition envoyée'))).toHaveLength(1);
});

it('sends by e-mail what each person chose — all, the important ones, or none — and keeps every notice in the inbox', async () => {
  const userId = await referentId();
  const preferences = (email: string) =>
    request(api.http).put('/api/me/notification-preferences').set('Cookie', api.cookies.referent).send({ email });
  expect(
    (await request(api.http).get('/api/me/notification-preferences').set('Cookie', api.cookies.referent).expect(200))
      .body,
  ).toEqual({ email: 'all' });
  const [minor, important] = await api.app
    .db('notifications')
    .insert([
      {
        user_id: userId,
        subject_type: 'application',
        subject_id: 'x',
        title: 'Avis du référent donné',
        body: '…',
        important: false,
      },
      {
        user_id: userId,
        subject_type: 'application',
        subject_id: 'x',
        title: 'Le comité accorde la subvention',
        body: '…',
        important: true,
      },
    ])
    .returning('id');
  await preferences('important').expect(200);
  expect(await sendNotificationEmail(api.app, minor.id)).toEqual({ sent: false });
  expect((await sendNotificationEmail(api.app, important.id)).sent).toBe(true);
  await preferences('none').expect(200);
  const another = (
    await api.app
      .db('notifications')
      .insert({
        user_id: userId,
        subject_type: 'application',
        subject_id: 'x',
        title: 'Décision',
        body: '…',
        important: true,
      })
      .returning('id')
  )[0];
  expect(await sendNotificationEmail(api.app, another.id)).toEqual({ sent: false });
  expect(
    (
      await request(api.http).get('/api/me/notifications').set('Cookie', api.cookies.referent).expect(200)
    ).body.notifications.map((item: { id: string }) => item.id),
  ).toEqual(expect.arrayContaining([minor.id, important.id, another.id]));
  await preferences('sometimes').expect(400);
});
