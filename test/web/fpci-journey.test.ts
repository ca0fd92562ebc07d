import type { Page } from 'playwright-core';
import request from 'supertest';
import { addBusinessDays } from '../../src/business-days';
import { seedFpciDemo } from '../../src/demo/fpci';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { todayInParis } from '../../src/time';
import { pagesUnderTest } from '../support/browser';
import { looked, signedInPage, submit } from '../support/pages';
import { pdfText } from '../support/pdf';

/**
 * The FPCI through its pages, on the demo's development fund: the fund's team
 * finds its investors, closings, calls and late payers; a second call drafted
 * by Inès is approved by another person (her own approval is refused, saying
 * why) and issued; Marc, the Caisse's contact, reads his position, what to pay
 * with the reference to quote, and the notice's PDF.
 */
const under = pagesUnderTest();
/** A table's rows as read, every space (amounts hold narrow no-break ones) a plain one. */
const rowsOf = async (page: Page) =>
  (await page.locator('tbody tr').allTextContents()).map((text) => text.replace(/\s/g, ' '));

it('walks the FPCI as its team and as an investor', async () => {
  const { api, browser } = under;
  await seedFpciDemo(api.app.db);
  // The demo's FPCI is there once, however often the demo is loaded.
  await seedFpciDemo(api.app.db);
  const team = await signedInPage(browser, 'tresoriere@milliard.test', '/tresorerie/developpement');
  await team.getByRole('link', { name: 'Porteurs' }).click();
  await team.waitForLoadState('load');
  expect(await rowsOf(team)).toEqual([
    expect.stringMatching(/^Banque des Territoires \(démo\)personne moralevérifié jusqu’au .*100 000,00 €$/),
    expect.stringMatching(/^Caisse Solidaire du Grand Ouest.*300 000,00 €$/),
    expect.stringMatching(/^Citizen Capital \(équipe de gestion\).*5 000,00 €$/),
  ]);
  await looked(team, 'fpci-investors');
  await team.getByRole('link', { name: 'Closings' }).click();
  await team.waitForLoadState('load');
  expect((await rowsOf(team))[0]).toMatch(/^n° 1clos.*3405 000,00 €$/);
  await team.getByRole('link', { name: 'n° 1' }).click();
  await team.waitForLoadState('load');
  expect(await team.locator('h1').textContent()).toBe('Closing n° 1');
  expect(await rowsOf(team)).toContainEqual(
    expect.stringMatching(/^Caisse Solidaire du Grand Ouest3 000 A300 000,00 €0,00 €0,00 €0,00 €—$/),
  );
  await looked(team, 'fpci-closing');
  await team.getByRole('link', { name: 'Closings' }).click();
  await team.waitForLoadState('load');
  await team.getByRole('link', { name: 'Appels de fonds' }).click();
  await team.waitForLoadState('load');
  await team.getByRole('link', { name: 'n° 1' }).click();
  await team.waitForLoadState('load');
  const lines = await rowsOf(team);
  expect(lines[0]).toMatch(/^Banque des Territoires \(démo\)20 000,00 €0,00 €20 000,00 €à verserRF\d{2}C1I/);
  expect(lines[1]).toMatch(/^Caisse Solidaire du Grand Ouest60 000,00 €60 000,00 €0,00 €versé/);
  await looked(team, 'fpci-call');
  await team.getByRole('link', { name: 'Retards' }).click();
  await team.waitForLoadState('load');
  expect(await team.locator('main').textContent()).toContain('Aucun retard : chaque appel échu est versé.');

  // A second call, drafted by Inès: she may not approve it herself; the admin does, then she issues it.
  const drafted = await request(api.http)
    .post('/api/funds/developpement/capital-calls')
    .set('Cookie', api.cookies.treasurer)
    .send({
      classShares: [{ classCode: 'A', share: '0.1' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: addBusinessDays(todayInParis(), 12),
    })
    .expect(201);
  const callUrl = `/tresorerie/developpement/appels/${drafted.body.id}`;
  await team.goto(callUrl);
  await submit(team, 'Approuver (seconde personne)');
  expect(await team.locator('[role=alert]').textContent()).toMatch(/quatre yeux/);
  const admin = await signedInPage(browser, 'admin@milliard.test', callUrl);
  await submit(admin, 'Approuver (seconde personne)');
  expect(await admin.locator('dl.summary dd').first().textContent()).toBe('approuvé');
  await team.goto(callUrl);
  await submit(team, 'Émettre l’appel et ses avis');
  expect(await team.locator('dl.summary dd').first().textContent()).toBe('émis');
  await looked(team, 'fpci-call-issued');

  // Marc reads the Caisse's position, the calls with the reference to quote, and the notice.
  const caisse = (await api.app.db('investors').where('siren', '552100554').first('id')).id as string;
  const queued = await api.app.db('outbox').where('job_name', 'document.render').select('payload');
  for (const payload of queued.map((row: { payload: RenderRequest }) => row.payload))
    if (payload.kind === 'capital-call-notice' && payload.subjectId.endsWith(caisse))
      await renderDocument(api.app.db, documentKinds, payload);
  const marc = await signedInPage(browser, 'investisseur@milliard.test', '/investissement');
  const calls = await rowsOf(marc);
  expect(calls[0]).toMatch(/^n° 1.*60 000,00 €60 000,00 €verséRF\d{2}C1I[0-9A-F]{12}Avis d’appel n° 1 \(PDF\)$/);
  expect(calls[1]).toMatch(/^n° 2.*30 000,00 €0,00 €à verserRF\d{2}C2I[0-9A-F]{12}Avis d’appel n° 2 \(PDF\)$/);
  await looked(marc, 'fpci-investor-space');
  const pdf = await marc.request.get(
    (await marc.getByRole('link', { name: 'Avis d’appel n° 2 (PDF)' }).getAttribute('href'))!,
  );
  const notice = await pdfText(await pdf.body());
  expect(notice).toContain('Cet appel 30 000,00 €');
  expect(notice).toMatch(/avec la référence RF\d{2}C2I[0-9A-F]{12}/);
  for (const page of [team, admin, marc]) await page.context().close();
});
