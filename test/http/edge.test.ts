import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';

/** A safe edge: writes only from our own origin, security headers, plain text, uploads read only once allowed. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const entry = {
  accountingDate: '2026-11-20',
  label: 'Frais',
  reason: 'Frais du mois',
  lines: [
    { accountCode: '627', debit: '1.00' },
    { accountCode: '512', credit: '1.00' },
  ],
};

it('refuses a change sent with the session cookie from another site, whatever its content type', async () => {
  const foreign = await request(api.http)
    .post('/api/auth/logout')
    .set('Cookie', api.cookies.referent)
    .set('Origin', 'https://pirate.example')
    .set('Content-Type', 'text/plain')
    .send('x')
    .expect(403);
  expect(foreign.body.detail).toBe('Requête refusée : elle vient d’un autre site que milliard.');
  await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Sec-Fetch-Site', 'cross-site')
    .set('Idempotency-Key', 'edge-cross-site')
    .send(entry)
    .expect(403);
  await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Origin', 'http://localhost:3000')
    .set('Sec-Fetch-Site', 'same-origin')
    .set('Idempotency-Key', 'edge-same-origin')
    .send(entry)
    .expect(201);
  // Still logged in: the foreign logout did nothing.
  await request(api.http).get('/api/me').set('Cookie', api.cookies.referent).expect(200);
});

it('sends security headers, and the docs page runs without inline script', async () => {
  const docs = await request(api.http).get('/api/docs').expect(200);
  expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  expect([docs.headers['referrer-policy'], docs.headers['x-content-type-options']]).toEqual(['same-origin', 'nosniff']);
  expect(docs.text).not.toMatch(/<script>/);
  await request(api.http)
    .get('/api/docs/start.js')
    .expect(200)
    .expect('Content-Type', /javascript/);
});

it('refuses control characters and lone surrogates in text, naming the field', async () => {
  const refused = await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', 'edge-control')
    .send({ ...entry, label: 'Frais\u0000cachés' })
    .expect(400);
  expect(refused.body.errors).toEqual([
    { pointer: '/body/label', message: 'Caractère de contrôle ou caractère Unicode incomplet : retirez-le.' },
  ]);
  const surrogate = await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', 'edge-surrogate')
    .set('Content-Type', 'application/json')
    .send('{"accountingDate":"2026-11-20","label":"a\\ud800b","reason":"Frais du mois","lines":[]}')
    .expect(400);
  expect(surrogate.body.errors[0].pointer).toBe('/body/label');
  const deep = await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', 'edge-deep')
    .set('Content-Type', 'application/json')
    .send(`${'['.repeat(5000)}${']'.repeat(5000)}`)
    .expect(400);
  expect(deep.body.errors[0].message).toBe('Données trop imbriquées (au plus 32 niveaux).');
  await request(api.http)
    .post('/api/funds/dotation/entries')
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', 'edge-multiline')
    .send({ ...entry, reason: 'Frais du mois\nligne deux\tet tabulation 😀' })
    .expect(201);
});

it('answers an anonymous upload before reading its body', async () => {
  const server = api.http.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    // Announces 19 MiB and sends 1 KiB: the answer must come without waiting for the rest.
    const status = await new Promise<number>((resolve, reject) => {
      const upload = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/funds/dotation/bank-statements',
          headers: { 'Content-Type': 'application/xml', 'Content-Length': String(19 * 1024 * 1024) },
        },
        (response) => {
          resolve(response.statusCode ?? 0);
          upload.destroy();
        },
      );
      upload.on('error', (error) => (String(error).includes('socket hang up') ? undefined : reject(error)));
      upload.write(Buffer.alloc(1024, 'x'));
    });
    expect(status).toBe(401);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
