import type { Page } from 'playwright-core';
import request from 'supertest';
import { pagesUnderTest } from '../support/browser';
import { backToToday, travelTo } from '../support/clock';
import { shownAmount } from '../../src/web/components';
import { personas } from '../support/http';
import { looked, signedInPage, submit } from '../support/pages';
import { fpciInvestment } from '../support/portfolio';
import { paidCall, paidExpense, smallFund } from '../support/reporting';
import { secondTreasurer } from '../support/treasury';

/**
 * A quarter through its pages, in Chromium, with the real job worker: the
 * treasurer proposes an investment's valuation on its file, a controller
 * approves it on the quarter's page and closes the quarter; the report is
 * reviewed, approved and published by three other people; the worker renders
 * the statements; Marc finds the Caisse's in his space.
 */
const under = pagesUnderTest({ jobs: true });

/** Reloads the page until it links `count` times by that name (the worker's documents come in their time). */
async function reloadedUntil(page: Page, name: string | RegExp, count: number): Promise<number> {
  let links = 0;
  for (let attempt = 0; attempt < 100 && links < count; attempt += 1) {
    await page.reload();
    links = await page.getByRole('link', { name }).count();
    if (links < count) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return links;
}
afterAll(() => backToToday());

it('values, closes and reports a quarter through its pages', async () => {
  const { api, browser } = under;
  const fund = await smallFund(api);
  for (const email of ['controle-fpci@exemple.fr', 'revue-fpci@exemple.fr', 'publication-fpci@exemple.fr'])
    await secondTreasurer(api, email, 'developpement');
  await paidCall(api, '0.4', fund.investors);
  const loan = await fpciInvestment(api, {
    name: 'Prêt participatif — Scop du Vercors',
    amount: '100000.00',
    until: 'held',
  });
  await paidExpense(api, 'management-fee', '4000.00', 'frais-t4');
  travelTo('2027-01-12');

  const treasurer = await signedInPage(
    browser,
    personas.treasurer,
    `/tresorerie/developpement/investissements/${loan}`,
  );
  await treasurer.getByLabel('Fin de trimestre').fill('2026-12-31');
  await treasurer.getByLabel('Technique').selectOption('discounted-cash-flows');
  await treasurer.getByLabel('Juste valeur').fill('103 000,00');
  await treasurer.getByLabel('Donnée principale (ex. multiple retenu)').fill('Taux d’actualisation');
  await treasurer.getByLabel('Sa valeur').fill('3,2 %');
  await treasurer.getByLabel('Note de calibrage').fill('Le taux qui redonne le prix de décembre.');
  await submit(treasurer, 'Proposer la valorisation');
  expect(await treasurer.locator('section[aria-labelledby="valorisations"] tbody').textContent()).toMatch(
    /103\s000,00\s€.*proposée/,
  );
  await looked(treasurer, 'reporting-investment-valuations');
  // Who proposed it is not offered to approve it.
  await treasurer.goto('/tresorerie/developpement/trimestres/2026-12-31');
  expect(await treasurer.locator('main').textContent()).toContain('Proposée par vous : une autre personne l’approuve.');
  expect(await treasurer.getByRole('button', { name: 'Approuver' }).count()).toBe(0);

  const controller = await signedInPage(browser, 'controle-fpci@exemple.fr', '/tresorerie/developpement/trimestres');
  await controller.getByRole('link', { name: /Le prochain trimestre à clore : au 31 décembre 2026/ }).click();
  await controller.waitForLoadState('load');
  await submit(controller, 'Approuver');
  await submit(controller, 'Clore le trimestre');
  const closed = (await controller.locator('main').textContent())!.replace(/\s/g, ' ');
  expect(closed).toContain('Trimestre clos');
  // 162 000 called − 4 000 of fees + 3 000 unrealised + 8 000 of premiums; A: 166 913,58 € over 4 000 units.
  expect(closed).toContain('Valeur liquidative de clôture169 000,00 €');
  expect(closed).toContain('A4000166 913,58 €41,728395 €');
  expect(closed).toContain('Étape : brouillon.');
  // Who closed it drafted the report: the review is for someone else.
  expect(closed).toContain('par une personne qui n’a pris aucune étape de ce rapport — pas vous');
  expect(await controller.getByRole('button', { name: 'Marquer comme revu' }).count()).toBe(0);
  await looked(controller, 'reporting-quarter-closed');

  const steps: [string, string][] = [
    ['revue-fpci@exemple.fr', 'Marquer comme revu'],
    [personas.treasurer, 'Approuver'],
    ['publication-fpci@exemple.fr', 'Publier les relevés'],
  ];
  for (const [email, button] of steps) {
    const page = await signedInPage(browser, email, '/tresorerie/developpement/trimestres/2026-12-31');
    await submit(page, button);
    await page.context().close();
  }
  // The worker renders one statement per investor; the quarter's page links each.
  expect(await reloadedUntil(controller, /^Relevé de /, 3)).toBe(3);
  expect(await controller.locator('main').textContent()).toContain('Étape : publié.');
  await looked(controller, 'reporting-quarter-published');
  // The half-year's statement of assets, due eight weeks after; produced from its page.
  await controller.getByRole('link', { name: 'Composition de l’actif' }).click();
  await controller.waitForLoadState('load');
  expect((await controller.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s/g, ' '))).toEqual([
    '31 décembre 202625 février 2027Produire le PDFTélécharger le CSV',
  ]);
  await submit(controller, 'Produire le PDF');
  expect(await reloadedUntil(controller, 'PDF produit', 1)).toBe(1);
  await looked(controller, 'reporting-assets-statements');
  await controller.context().close();

  const marc = await signedInPage(browser, personas.investor, '/investissement/releves');
  const rows = (await marc.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s/g, ' '));
  expect(rows).toEqual(['31 décembre 2026Caisse Solidaire du Grand OuestTélécharger (PDF)']);
  await looked(marc, 'reporting-investor-statements');
  // The statement as a page: the same figures as the quarter froze for the Caisse.
  const frozen = await request(api.http)
    .get('/api/funds/developpement/quarters/2026-12-31')
    .set('Cookie', api.cookies.treasurer)
    .expect(200);
  const caisse = frozen.body.positions.find((one: { investorId: string }) => one.investorId === fund.caisse);
  await marc.getByRole('link', { name: '31 décembre 2026' }).click();
  await marc.waitForLoadState('load');
  const statementUrl = `/investissement/releves/${fund.caisse}/2026-12-31`;
  expect(new URL(marc.url()).pathname).toBe(statementUrl);
  const shown = (await marc.locator('main').textContent())!.replace(/\s/g, ' ');
  expect(shown).toContain('Relevé de Caisse Solidaire du Grand Ouest au 31 décembre 2026');
  const spaced = (text: string) => text.replace(/\s/g, ' ');
  expect(shown).toContain(`Valeur liquidative de clôture${spaced(shownAmount(caisse.ending))}`);
  expect(shown).toContain(`Non appelé en fin de période${spaced(shownAmount(caisse.unfundedEnding)).repeat(3)}`);
  expect(shown).toMatch(/TVPI\d+,\d{4}x\d+,\d{4}x/);
  expect(shown).toContain('Prêt participatif — Scop du Vercorsprêt participatif100 000,00 €103 000,00 €1,0300x');
  await looked(marc, 'reporting-investor-statement');
  // Nobody else reads it, not even the fund's team: its page is a 404 to them.
  expect((await treasurer.goto(statementUrl))!.status()).toBe(404);
  const href = await marc.getByRole('link', { name: 'Télécharger (PDF)' }).getAttribute('href');
  const cookie = (await marc.context().cookies()).map((one) => `${one.name}=${one.value}`).join('; ');
  const pdf = await request(api.http).get(href!).set('Cookie', cookie).expect(200);
  expect(pdf.headers['content-type']).toBe('application/pdf');
  await marc.context().close();
  await treasurer.context().close();
});
