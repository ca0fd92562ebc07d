import request from 'supertest';
import { demoPassword } from '../../src/demo/seed';
import { accessibilityViolations, newPage, pagesUnderTest, screenshot } from '../support/browser';

/** Signing in and out in a real browser, the frame of every page, its errors as pages, and forged forms refused. */
const under = pagesUnderTest();

it('signs a person in through the login page, keeps what they typed when refused, and signs them out', async () => {
  const page = await newPage(under.browser);
  await page.goto('/');
  // Anonymous: sent to the login page, to come back here once signed in.
  expect(new URL(page.url()).pathname).toBe('/connexion');
  expect(await page.title()).toBe('Connexion — milliard');
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'connexion');

  await page.getByLabel('Adresse électronique').fill('tresoriere@milliard.test');
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const summary = page.getByRole('alert');
  expect(await summary.getByRole('heading').textContent()).toBe('Un point à corriger');
  expect(await summary.textContent()).toContain('Adresse ou mot de passe incorrect.');
  expect(await page.getByLabel('Adresse électronique').inputValue()).toBe('tresoriere@milliard.test');
  expect(await page.getByLabel('Mot de passe').inputValue()).toBe('');
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'connexion-refusee');

  await page.getByLabel('Mot de passe').fill(demoPassword);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Bonjour /);
  expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Trésorerie']);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'accueil-tresoriere');

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL((url) => url.pathname === '/connexion');
  // The session is closed on the server, not only forgotten by the browser.
  await page.goto('/');
  expect(new URL(page.url()).pathname).toBe('/connexion');
  await page.context().close();
});

it('names the field to correct, with a link to it, when the form is incomplete', async () => {
  const page = await newPage(under.browser);
  await page.goto('/connexion');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const links = page.getByRole('alert').getByRole('link');
  expect(await links.count()).toBeGreaterThan(0);
  const target = await links.first().getAttribute('href');
  expect(await page.locator(`${target!} `).getAttribute('aria-invalid')).toBe('true');
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.context().close();
});

it('answers an unknown page with a page in French, and the API with its JSON problem', async () => {
  const page = await newPage(under.browser);
  const response = await page.goto('/nulle-part');
  expect(response?.status()).toBe(404);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Introuvable');
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'introuvable');
  await page.context().close();
  const api404 = await request(under.api.http).get('/api/nulle-part').expect(404);
  expect(api404.headers['content-type']).toMatch(/^application\/problem\+json/);
});

/** A page's form token, and the cookie that goes with it, as a browser would hold them. */
async function formOf(path: string, cookie?: string) {
  const form = request(under.api.http).get(path);
  const answer = await (cookie ? form.set('Cookie', cookie) : form).expect(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(answer.text)![1]!;
  const csrfCookie = (answer.headers['set-cookie'] as unknown as string[])
    .find((line) => line.startsWith('milliard_csrf='))!
    .split(';')[0]!;
  return { token, csrfCookie };
}

it('refuses a form posted without its token, or with a token of another session', async () => {
  const { token, csrfCookie } = await formOf('/connexion');
  const credentials = { email: 'tresoriere@milliard.test', password: demoPassword };
  const withoutToken = await request(under.api.http)
    .post('/connexion')
    .set('Cookie', csrfCookie)
    .type('form')
    .send(credentials);
  expect(withoutToken.status).toBe(403);
  expect(withoutToken.text).toContain('Ce formulaire a expiré');
  expect(withoutToken.headers['set-cookie'] ?? []).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/^milliard_session=/)]),
  );
  const signedIn = await request(under.api.http)
    .post('/connexion')
    .set('Cookie', csrfCookie)
    .type('form')
    .send({ ...credentials, _csrf: token })
    .expect(303);
  const session = (signedIn.headers['set-cookie'] as unknown as string[])
    .find((line) => line.startsWith('milliard_session='))!
    .split(';')[0]!;
  // Signed in, the sign-out form carries a token bound to this session; another session's is refused.
  const theirs = await formOf('/', under.api.cookies.donor);
  const forged = await request(under.api.http)
    .post('/deconnexion')
    .set('Cookie', `${session}; ${theirs.csrfCookie}`)
    .type('form')
    .send({ _csrf: theirs.token });
  expect(forged.status).toBe(403);
  expect((await request(under.api.http).get('/api/me').set('Cookie', session)).status).toBe(200);
});
