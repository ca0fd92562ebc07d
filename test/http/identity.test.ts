import request from 'supertest';
import { connect } from '../../src/db/database';
import { createApp } from '../../src/app';
import { demoPassword } from '../../src/demo/seed';
import { createTestApi, personas, type TestApi } from '../support/http';

let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ loginAttemptsPer15Min: 5 });
});
afterAll(() => api.drop());

describe('password login and sessions', () => {
  it('opens an httpOnly session cookie and never returns the password hash', async () => {
    const response = await request(api.http)
      .post('/api/auth/login')
      .send({ email: personas.donor, password: demoPassword })
      .expect(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^milliard_session=mls_[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(JSON.stringify(response.body)).not.toMatch(/argon2|password/i);
    expect(response.body.user.roles).toEqual([{ role: 'donor', scopeType: null, scopeId: null }]);
  });

  it('gives the same answer for a wrong password and an unknown address', async () => {
    const wrong = await request(api.http)
      .post('/api/auth/login')
      .send({ email: personas.referent, password: 'not-the-password' })
      .expect(401);
    const unknown = await request(api.http)
      .post('/api/auth/login')
      .send({ email: 'personne@milliard.test', password: 'not-the-password' })
      .expect(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('limits failed login attempts per address and account, never counting successful ones', async () => {
    // Successful logins are not counted: a script that logs in often is never locked out.
    for (let index = 0; index < 8; index += 1)
      await request(api.http)
        .post('/api/auth/login')
        .send({ email: personas.investor, password: demoPassword })
        .expect(200);
    const attempt = () =>
      request(api.http).post('/api/auth/login').send({ email: personas.investor, password: 'wrong-password-again' });
    for (let index = 0; index < 5; index += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe('/problems/too-many-requests');
    // Once limited, even the right password waits: the guesser learns nothing more.
    expect(
      (await request(api.http).post('/api/auth/login').send({ email: personas.investor, password: demoPassword }))
        .status,
    ).toBe(429);
    // Another account from the same address is not locked out by these failures.
    await request(api.http).post('/api/auth/login').send({ email: personas.donor, password: demoPassword }).expect(200);
  });

  it('ends the session at logout', async () => {
    const login = await request(api.http)
      .post('/api/auth/login')
      .send({ email: personas.applicant, password: demoPassword })
      .expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    await request(api.http).get('/api/me').set('Cookie', cookie).expect(200);
    await request(api.http).post('/api/auth/logout').set('Cookie', cookie).expect(204);
    await request(api.http).get('/api/me').set('Cookie', cookie).expect(401);
  });
});

describe('API tokens', () => {
  it('shows a token once, authenticates with it, lists it without its value, and revokes it', async () => {
    const created = await request(api.http)
      .post('/api/me/api-tokens')
      .set('Cookie', api.cookies.treasurer)
      .send({ name: 'Export comptable' })
      .expect(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^mlk_/);

    const me = await request(api.http).get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ via: 'api-token', user: { email: personas.treasurer } });
    await request(api.http).get('/api/funds/dotation/accounts').set('Authorization', `Bearer ${token}`).expect(200);
    // Every token expires (90 days unless configured otherwise, never more), and a token never makes another.
    const expiresInDays = (Date.parse(created.body.apiToken.expiresAt) - Date.now()) / 86_400_000;
    expect(Math.round(expiresInDays)).toBe(90);
    const longer = await request(api.http)
      .post('/api/me/api-tokens')
      .set('Cookie', api.cookies.treasurer)
      .send({ name: 'Trop long', expiresInDays: 3000 })
      .expect(201);
    expect(Math.round((Date.parse(longer.body.apiToken.expiresAt) - Date.now()) / 86_400_000)).toBe(90);
    await request(api.http)
      .delete(`/api/me/api-tokens/${longer.body.apiToken.id}`)
      .set('Cookie', api.cookies.treasurer)
      .expect(204);
    const byToken = await request(api.http)
      .post('/api/me/api-tokens')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Fabriqué par un jeton' })
      .expect(403);
    expect(byToken.body.detail).toMatch(/^Un jeton d'API ne crée pas d'autres jetons/);

    const listed = await request(api.http).get('/api/me/api-tokens').set('Cookie', api.cookies.treasurer).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(listed.body.apiTokens).toEqual([
      expect.objectContaining({ name: 'Export comptable', prefix: token.slice(0, 8) }),
    ]);
    const stored = await api.app.db('api_tokens').first();
    expect(JSON.stringify(stored)).not.toContain(token.slice(4));

    await request(api.http)
      .delete(`/api/me/api-tokens/${created.body.apiToken.id}`)
      .set('Cookie', api.cookies.treasurer)
      .expect(204);
    await request(api.http).get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('refuses a made-up token', async () => {
    await request(api.http).get('/api/me').set('Authorization', 'Bearer mlk_made-up-token-value').expect(401);
  });
});

describe('administration of users', () => {
  it('lets an admin create a scoped user, and refuses a scope that does not exist or a duplicate', async () => {
    const created = await request(api.http)
      .post('/api/admin/users')
      .set('Cookie', api.cookies.admin)
      .send({
        email: 'Nouvelle.Tresoriere@Milliard.test',
        displayName: 'Nora',
        password: 'un-long-mot-de-passe',
        roles: [{ role: 'treasurer', scopeId: 'developpement' }],
      })
      .expect(201);
    expect(created.body.user).toMatchObject({
      email: 'nouvelle.tresoriere@milliard.test',
      roles: [{ role: 'treasurer', scopeType: 'fund', scopeId: 'developpement' }],
    });
    await request(api.http)
      .post('/api/admin/users')
      .set('Cookie', api.cookies.admin)
      .send({ email: 'nouvelle.tresoriere@milliard.test', displayName: 'Nora', roles: [{ role: 'donor' }] })
      .expect(409);
    const badScope = await request(api.http)
      .post('/api/admin/users')
      .set('Cookie', api.cookies.admin)
      .send({ email: 'x@milliard.test', displayName: 'X', roles: [{ role: 'treasurer', scopeId: 'inexistant' }] })
      .expect(400);
    expect(badScope.body.errors[0].pointer).toBe('/body/roles');
    expect(await api.app.db('users').where('email', 'x@milliard.test').first()).toBeUndefined();
  });
});

describe('the edge', () => {
  it('answers /health and /ready', async () => {
    await request(api.http).get('/health').expect(200, { status: 'ok' });
    const ready = await request(api.http).get('/ready').expect(200);
    expect(ready.body.checks).toEqual({ postgres: true, migrations: true, redis: true });
  });

  it('answers 503 with a problem when PostgreSQL is out of reach, and /health without touching it', async () => {
    const unreachable = connect('postgres://milliard@127.0.0.1:1/milliard');
    try {
      const http = createApp({ ...api.app, db: unreachable });
      await request(http).get('/health').expect(200, { status: 'ok' });
      const refused = await request(http)
        .post('/api/auth/login')
        .send({ email: personas.donor, password: 'un-mot-de-passe' })
        .expect(503);
      expect([refused.type, refused.body.type, refused.body.detail]).toEqual([
        'application/problem+json',
        '/problems/database-unavailable',
        'La base de données est momentanément injoignable : réessayez dans un instant.',
      ]);
      await request(http).get('/api/funds').set('Cookie', api.cookies.admin).expect(503);
      expect((await request(http).get('/ready').expect(503)).body.checks.postgres).toBe(false);
    } finally {
      await unreachable.destroy();
    }
  });

  it('refuses unknown fields, malformed JSON, oversized bodies and wrong content types as problems', async () => {
    const unknownField = await request(api.http)
      .post('/api/auth/login')
      .send({ email: personas.donor, password: 'x', admin: true })
      .expect(400);
    expect(unknownField.body.errors).toEqual([expect.objectContaining({ pointer: '/body' })]);
    const malformed = await request(api.http)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(malformed.body.type).toBe('/problems/malformed-json');
    await request(api.http)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a'.repeat(100_000) }))
      .expect(413);
    await request(api.http).post('/api/auth/login').set('Content-Type', 'text/plain').send('email=x').expect(400);
    for (const response of [unknownField, malformed]) {
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
      expect(response.body).toMatchObject({ status: 400, instance: '/api/auth/login', requestId: expect.any(String) });
    }
  });

  it('carries a request id through, or makes one', async () => {
    const echoed = await request(api.http).get('/health').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const made = await request(api.http).get('/health').set('X-Request-Id', 'not valid!');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI 3.1 document with every route, and a docs page', async () => {
    const document = (await request(api.http).get('/api/openapi.json').expect(200)).body;
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/funds/{fundId}/entries', '/api/auth/login', '/ready']),
    );
    const manualEntry = document.paths['/api/funds/{fundId}/entries'].post;
    expect(
      manualEntry.requestBody.content['application/json'].schema.properties.lines.items.properties.debit.type,
    ).toBe('string');
    expect(manualEntry.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]),
    );
    const docs = await request(api.http).get('/api/docs').expect(200);
    expect(docs.text).toContain('/api/docs/start.js');
    expect((await request(api.http).get('/api/docs/start.js').expect(200)).text).toContain('/api/openapi.json');
    await request(api.http).get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
  });
});
