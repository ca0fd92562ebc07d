import { notify } from '../../src/notifications/service';
import { accessibilityViolations, newPage, pagesUnderTest, screenshot } from '../support/browser';
import { logInThroughPage } from '../support/pages';

/** The inbox as a page: newest first, unread marked and filtered, marked as read by a button; nobody else's. */
const under = pagesUnderTest();

it('lists my notifications, marks one as read, and filters the unread ones', async () => {
  const treasurer = await under.api.app
    .db('users')
    .where('email', 'tresoriere@milliard.test')
    .first<{ id: string }>('id');
  const donor = await under.api.app.db('users').where('email', 'donatrice@milliard.test').first<{ id: string }>('id');
  // One transaction each: notices sent together share their time, and their order among them is not defined.
  for (const title of ['Premier avis', 'Second avis'])
    await under.api.app.db.transaction((trx) =>
      notify(trx, [treasurer.id], { subject: { type: 'test', id: title }, title, body: `Le texte de ${title}.` }),
    );
  await under.api.app.db.transaction((trx) =>
    notify(trx, [donor.id], { subject: { type: 'test', id: 'autre' }, title: 'Avis de Jeanne', body: 'À elle.' }),
  );
  const page = await newPage(under.browser);
  await logInThroughPage(page, 'tresoriere@milliard.test', '/notifications');
  const titles = await page.locator('.inbox h2').allTextContents();
  expect(titles.slice(0, 2)).toEqual(['Second avisnon lue', 'Premier avisnon lue']);
  expect(await page.locator('.inbox small').first().textContent()).toMatch(/^Reçue le \d{1,2}(er)? [a-zéû]+ \d{4}/);
  expect(await accessibilityViolations(page)).toEqual([]);
  await screenshot(page, 'notifications');

  await page.locator('.inbox li').first().getByRole('button', { name: 'Marquer comme lue' }).click();
  await page.waitForURL((url) => url.pathname === '/notifications');
  expect((await page.locator('.inbox h2').allTextContents()).slice(0, 2)).toEqual([
    'Second avis',
    'Premier avisnon lue',
  ]);
  await page.getByRole('link', { name: 'Non lues' }).click();
  expect(await page.locator('.inbox h2').allTextContents()).not.toContain('Second avis');
  expect(await page.getByRole('link', { name: 'Non lues' }).getAttribute('aria-current')).toBe('page');

  // Someone else's notification cannot be marked from here: a 404 page, nothing changed.
  const theirs = await under.api.app
    .db('notifications')
    .where({ user_id: donor.id, title: 'Avis de Jeanne' })
    .first<{ id: string }>('id');
  const token = await page.locator('input[name=_csrf]').first().inputValue();
  const answer = await page.request.post(`/notifications/${theirs.id}/lue`, { form: { _csrf: token } });
  expect(answer.status()).toBe(404);
  expect((await under.api.app.db('notifications').where('id', theirs.id).first('read_at')).read_at).toBeNull();
  await page.context().close();
});
