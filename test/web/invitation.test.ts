import request from 'supertest';
import { sendInvitationEmail } from '../../src/organisations/people';
import { accessibilityViolations, newPage, pagesUnderTest, screenshot } from '../support/browser';
import { readMail } from '../support/mail';

/** An invitation's e-mail opens a page where the invited person chooses a password and joins. */
const under = pagesUnderTest();

it('follows the link of the e-mail to a page that sets the password, once', async () => {
  const invited = await request(under.api.http)
    .post('/api/organisations/tiers-lieu-demo/invitations')
    .set('Cookie', under.api.cookies.applicant)
    .send({ email: 'lea@exemple.fr', displayName: 'Léa Bénévole' })
    .expect(201);
  const invitationId = invited.body.invitations[0].id as string;
  await sendInvitationEmail(under.api.app, invitationId);
  const mail = await readMail(under.api.app.config.mailOutboxDir, `invitation-${invitationId}.eml`);
  const link = new URL(/https?:\/\/\S+\/invitation\?jeton=inv_[\w-]+/.exec(mail.text)![0]);

  const page = await newPage(under.browser);
  await page.goto(`${link.pathname}${link.search}`);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Invitation');
  expect(await page.locator('main').textContent()).toContain('La Fabrique du Tiers-Lieu');
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'invitation');

  await page.getByLabel('Mot de passe').fill('court');
  await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
  expect(await page.getByLabel('Mot de passe').getAttribute('aria-invalid')).toBe('true');
  expect(await page.getByRole('alert').textContent()).toContain('12 caractères');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByLabel('Mot de passe').fill('des pommes et des poires au marché');
  await page.getByRole('button', { name: 'Accepter l’invitation' }).click();
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Invitation acceptée');
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Adresse électronique').fill('lea@exemple.fr');
  await page.getByLabel('Mot de passe').fill('des pommes et des poires au marché');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  expect(await page.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Ma structure']);

  // The link serves once.
  const again = await page.goto(`${link.pathname}${link.search}`);
  expect(again?.status()).toBe(404);
  expect(await page.locator('main').textContent()).toContain('inconnue, déjà utilisée ou expirée');
  await page.context().close();
});
