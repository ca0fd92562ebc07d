import request from 'supertest';
import { demoPassword } from '../../src/demo/seed';
import { createApp } from '../../src/app';
import { createTestApi, logIn, personas, type TestApi } from '../support/http';

/** The safe edge of accounts: the login limit shared and not fooled, passwords hard to guess, sessions and accounts that can be ended. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi({ loginAttemptsPer15Min: 5 });
});
afterAll(() => api.drop());

const login = (http: Parameters<typeof request>[0], email: string, password: string, forwardedFor?: string) => {
  const call = request(http).post('/api/auth/login').send({ email, password });
  return forwardedFor ? call.set('X-Forwarded-For', forwardedFor) : call;
};

it('counts failed logins in Redis, so that two API processes share one count', async () => {
  const other = createApp(api.app);
  for (let index = 0; index < 3; index += 1)
    await login(api.http, personas.referent, 'faux-mot-de-passe-1').expect(401);
  for (let index = 0; index < 2; index += 1) await login(other, personas.referent, 'faux-mot-de-passe-2').expect(401);
  await login(api.http, personas.referent, 'faux-mot-de-passe-3').expect(429);
  await login(other, personas.referent, 'faux-mot-de-passe-4').expect(429);
});

it('believes X-Forwarded-For only from a configured proxy', async () => {
  // No proxy configured (the default): rotating the header changes nothing.
  for (let index = 0; index < 5; index += 1)
    await login(api.http, personas.partnerLender, 'faux-mot-de-passe', `203.0.113.${index}`).expect(401);
  await login(api.http, personas.partnerLender, 'faux-mot-de-passe', '203.0.113.99').expect(429);

  // Behind a proxy on this machine, each client address has its own count.
  const behindProxy = createApp({
    ...api.app,
    config: { ...api.app.config, trustProxy: ['loopback'], queueName: `${api.app.config.queueName}-proxy` },
  });
  for (let index = 0; index < 5; index += 1)
    await login(behindProxy, personas.committeeMember, 'faux-mot-de-passe', '198.51.100.1').expect(401);
  await login(behindProxy, personas.committeeMember, 'faux-mot-de-passe', '198.51.100.1').expect(429);
  await login(behindProxy, personas.committeeMember, demoPassword, '198.51.100.2').expect(200);
});

it('refuses a password that is easy to guess, saying why, wherever a password is set', async () => {
  const create = (password: string, email: string) =>
    request(api.http)
      .post('/api/admin/users')
      .set('Cookie', api.cookies.admin)
      .send({ email, displayName: 'Jeanne Martin', password, roles: [{ role: 'donor' }] });
  for (const weak of ['azertyuiop12', 'motdepasse123', 'Jeanne1234567', 'soleilsoleil1']) {
    const refused = await create(weak, 'jeanne.martin@exemple.fr').expect(400);
    expect(refused.body.errors[0]).toMatchObject({
      pointer: '/body/password',
      message: expect.stringMatching(/^Mot de passe trop facile à deviner\./),
    });
  }
  expect((await create('court', 'jeanne.martin@exemple.fr').expect(400)).body.errors[0].message).toBe(
    'Au moins 12 caractères.',
  );
  expect(await api.app.db('users').where('email', 'jeanne.martin@exemple.fr').first()).toBeUndefined();
  await create('tilleul-boussole-marée-ocre', 'jeanne.martin@exemple.fr').expect(201);
});

it('changes my password with the current one, ending my other sessions', async () => {
  const here = await logIn(api.http, personas.donor);
  const elsewhere = await logIn(api.http, personas.donor);
  const change = (body: object) => request(api.http).put('/api/me/password').set('Cookie', here).send(body);
  expect(
    (await change({ currentPassword: 'pas-le-bon-mot-de-passe', newPassword: 'girafe-lanterne-piano-sel' }).expect(400))
      .body.errors[0],
  ).toMatchObject({ pointer: '/body/currentPassword', message: 'Mot de passe actuel incorrect.' });
  expect(
    (await change({ currentPassword: demoPassword, newPassword: 'donatrice12345' }).expect(400)).body.errors[0].pointer,
  ).toBe('/body/password');
  await change({ currentPassword: demoPassword, newPassword: 'girafe-lanterne-piano-sel' }).expect(204);
  await request(api.http).get('/api/me').set('Cookie', here).expect(200);
  await request(api.http).get('/api/me').set('Cookie', elsewhere).expect(401);
  await login(api.http, personas.donor, demoPassword).expect(401);
  await login(api.http, personas.donor, 'girafe-lanterne-piano-sel').expect(200);
});

it('ends all my sessions at once, this one included', async () => {
  const phone = await logIn(api.http, personas.applicant);
  const laptop = await logIn(api.http, personas.applicant);
  const ended = await request(api.http).delete('/api/me/sessions').set('Cookie', laptop).expect(200);
  expect(ended.body.ended).toBeGreaterThanOrEqual(2);
  await request(api.http).get('/api/me').set('Cookie', phone).expect(401);
  await request(api.http).get('/api/me').set('Cookie', laptop).expect(401);
  await logIn(api.http, personas.applicant);
});

it('lets an admin disable an account: its sessions and tokens end, it cannot log in, until enabled again', async () => {
  const treasurer = await api.app.db('users').where('email', personas.guaranteeTreasurer).first('id');
  const session = await logIn(api.http, personas.guaranteeTreasurer);
  const token = (
    await request(api.http).post('/api/me/api-tokens').set('Cookie', session).send({ name: 'Export' }).expect(201)
  ).body.token;
  const disabled = await request(api.http)
    .post(`/api/admin/users/${treasurer.id}/disable`)
    .set('Cookie', api.cookies.admin)
    .expect(200);
  expect(disabled.body.user.disabledAt).toEqual(expect.any(String));
  await request(api.http).get('/api/me').set('Cookie', session).expect(401);
  await request(api.http).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  const refused = await login(api.http, personas.guaranteeTreasurer, demoPassword).expect(401);
  expect(refused.body.detail).toBe('Adresse ou mot de passe incorrect.');
  // Not by the person themself, and not by a non-admin.
  const admin = await api.app.db('users').where('email', personas.admin).first('id');
  expect(
    (await request(api.http).post(`/api/admin/users/${admin.id}/disable`).set('Cookie', api.cookies.admin).expect(409))
      .body.detail,
  ).toMatch(/propre compte/);
  await request(api.http).post(`/api/admin/users/${admin.id}/disable`).set('Cookie', api.cookies.treasurer).expect(403);

  await request(api.http).post(`/api/admin/users/${treasurer.id}/enable`).set('Cookie', api.cookies.admin).expect(200);
  await login(api.http, personas.guaranteeTreasurer, demoPassword).expect(200);
  await request(api.http).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
});

it('refuses a JSON body that gives a key twice, naming it', async () => {
  const body = '{"email": "donatrice@milliard.test", "password": "x", "nested": {"a": 1, "a": 2}}';
  const refused = await request(api.http)
    .post('/api/auth/login')
    .set('Content-Type', 'application/json')
    .send(body)
    .expect(400);
  expect(refused.body.errors).toEqual([
    { pointer: '/body/nested/a', message: 'Clé « a » présente deux fois : ne la donnez qu’une fois.' },
  ]);
  const twice = await request(api.http)
    .post('/api/auth/login')
    .set('Content-Type', 'application/json')
    .send('{"email": "a@b.fr", "email": "donatrice@milliard.test", "password": "x"}')
    .expect(400);
  expect(twice.body.errors[0].pointer).toBe('/body/email');
  // The same key in two objects is no duplicate.
  await request(api.http)
    .post('/api/auth/login')
    .set('Content-Type', 'application/json')
    .send('[{"a": 1}, {"a": 1}]')
    .expect(400)
    .expect((response) => expect(response.body.errors[0].message).not.toMatch(/deux fois/));
});
