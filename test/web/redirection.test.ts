import request from 'supertest';
import { pagesUnderTest } from '../support/browser';
import { logIn } from '../support/http';
import { looked, signedInPage, submit } from '../support/pages';
import { applicationAtCommittee } from '../support/pathway';

/**
 * The chair redirects a project to the FPCI from the committee's page; once the
 * vote is adopted, the referent follows it from the earlier file to the one
 * opened in the FPCI, which shows where the project comes from.
 */
const under = pagesUnderTest();

it('redirects a file to another of our funds, and the new file carries the earlier one', async () => {
  const { api, browser } = under;
  const fileId = await applicationAtCommittee(api);
  const chair = await signedInPage(browser, 'comite@milliard.test', '/comites/comite-dotation');
  const ours = chair.locator('article', { has: chair.locator(`a[href="/dossiers/${fileId}"]`) });
  await ours.getByText('Ouvrir un vote sur le dossier de La Fabrique du Tiers-Lieu').click();
  await ours.getByLabel('Proposition soumise au vote').selectOption({ label: 'Orienter vers un autre financeur' });
  await ours
    .getByLabel('Vers un de nos fonds (le dossier y continue)')
    .selectOption({ label: 'Fonds de Développement pour la Transition Juste (FPCI)' });
  await ours.getByLabel('Ce qui sera dit à la structure').fill('Un apport en fonds propres conviendrait mieux.');
  await ours.getByRole('button', { name: 'Ouvrir le vote' }).click();
  await chair.waitForURL((url) => url.pathname.startsWith('/votes/'));
  expect(await chair.locator('main dd').first().textContent()).toMatch(
    /^Orienter le projet vers Fonds de Développement pour la Transition Juste \(FPCI\)/,
  );
  const sessionId = new URL(chair.url()).pathname.split('/').pop()!;
  for (const cookie of [api.cookies.committeeMember, await logIn(api.http, 'comite3@milliard.test')]) {
    await request(api.http)
      .post(`/api/vote-sessions/${sessionId}/declaration`)
      .set('Cookie', cookie)
      .send({ conflicted: false });
    await request(api.http).put(`/api/vote-sessions/${sessionId}/vote`).set('Cookie', cookie).send({ choice: 'for' });
  }
  await submit(chair, 'Clore le vote maintenant');
  await chair.context().close();

  const referent = await signedInPage(browser, 'referente@milliard.test', `/dossiers/${fileId}`);
  expect(await referent.locator('.state').textContent()).toBe('Étape : réorienté');
  await referent.getByRole('link', { name: 'Voir le dossier où le projet continue' }).click();
  await referent.waitForLoadState('load');
  expect(await referent.locator('.state').textContent()).toBe('Étape : dialogue avec le référent');
  const earlier = referent.locator('section', { has: referent.getByRole('heading', { name: 'Parcours antérieur' }) });
  await earlier.getByText(/^Dossier du Fonds de Dotation pour la Transition Juste \(réorienté\)$/).click();
  expect(await earlier.locator('tbody tr').last().textContent()).toContain('Le comité oriente le projet');
  expect(await earlier.getByRole('link', { name: 'Ouvrir ce dossier' }).getAttribute('href')).toBe(
    `/dossiers/${fileId}`,
  );
  await looked(referent, 'file-redirected-to-fpci');
  await referent.context().close();
});
