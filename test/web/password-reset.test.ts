import request from 'supertest';
import { sendPasswordResetEmail } from '../../src/identity/password-resets';
import { accessibilityViolations, newPage, pagesUnderTest, screenshot } from '../support/browser';
import { readMail } from '../support/mail';

/** "Mot de passe oublié": a link by e-mail, hashed, single use, short lived; the same answer for an unknown address. */
const under = pagesUnderTest();

/** The resets the outbox holds for their e-mail job, sent as the worker would. */
async function sendResets(): Promise<string[]> {
  const rows: { payload: { resetId: string } }[] = await under.api.app
    .db('outbox')
    .where('job_name', 'password-reset.email')
    .select('payload');
  for (const row of rows) await sendPasswordResetEmail(under.api.app, row.payload.resetId);
  return rows.map((row) => row.payload.resetId);
}

it('sends a link that sets a new password once, closes the sessions, and says nothing of unknown addresses', async () => {
  const page = await newPage(under.browser);
  await page.goto('/connexion');
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel('Adresse électronique').fill('personne@exemple.fr');
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  const unknownAnswer = await page.locator('main').textContent();
  expect(await sendResets()).toEqual([]);

  await page.goto('/mot-de-passe/oublie');
  await page.getByLabel('Adresse électronique').fill('donatrice@milliard.test');
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  expect(await page.locator('main').textContent()).toBe(unknownAnswer);
  await screenshot(page, 'mot-de-passe-oublie-envoye');
  const [resetId] = await sendResets();
  const mail = await readMail(under.api.app.config.mailOutboxDir, `password-reset-${resetId}.eml`);
  expect(mail.to).toBe('donatrice@milliard.test');
  const link = new URL(/https?:\/\/\S+\/mot-de-passe\/nouveau\?jeton=pwr_[\w-]+/.exec(mail.text)![0]);
  const token = link.searchParams.get('jeton')!;
  // Only the token's hash is kept.
  expect(JSON.stringify(await under.api.app.db('password_resets').select())).not.toContain(token);

  await page.goto(`${link.pathname}${link.search}`);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'nouveau-mot-de-passe');
  await page.getByLabel('Mot de passe').fill('court');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  expect(await page.getByLabel('Mot de passe').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('Mot de passe').fill('une nouvelle phrase pour Jeanne');
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  expect(await page.locator('main').textContent()).toContain('Votre mot de passe est changé');

  // Her other sessions are closed; the new password opens a new one; the link is spent.
  expect((await request(under.api.http).get('/api/me').set('Cookie', under.api.cookies.donor)).status).toBe(401);
  await request(under.api.http)
    .post('/api/auth/login')
    .send({ email: 'donatrice@milliard.test', password: 'une nouvelle phrase pour Jeanne' })
    .expect(200);
  const spent = await page.goto(`${link.pathname}${link.search}`);
  expect(spent?.status()).toBe(404);
  await page.context().close();
});
