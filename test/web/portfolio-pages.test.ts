import request from 'supertest';
import { pagesUnderTest } from '../support/browser';
import { personas } from '../support/http';
import { todayInParis } from '../../src/time';
import { shownDate } from '../../src/web/components';
import { looked, signedInPage, submit } from '../support/pages';
import { adoptedVote, applicationAtCommittee, investmentCommittee } from '../support/pathway';

/**
 * The FPCI's portfolio through its pages, in Chromium: the team finds an
 * investment in the list and reads its file — terms in words and per cent,
 * the schedule, the history with the committee's vote.
 */
const under = pagesUnderTest();

it('shows the team its investments and an investment’s file', async () => {
  const { api, browser } = under;
  const as = (cookie: string, url: string) => request(api.http).post(url).set('Cookie', cookie);
  const endowmentFile = await applicationAtCommittee(api);
  await adoptedVote(api, 'comite-dotation', {
    applicationId: endowmentFile,
    motion: { decision: 'redirect', fundId: 'developpement', feedback: 'Des fonds propres conviendront mieux.' },
  });
  const fpciFile = (await api.app.db('applications').where('redirected_from_id', endowmentFile).first('id')).id;
  const opened = await as(api.cookies.treasurer, '/api/funds/developpement/investments')
    .send({ applicationId: fpciFile, instrument: 'bonds', name: 'Obligations vertes 2027', amountSought: '120000.00' })
    .expect(201);
  const steps = `/api/funds/developpement/investments/${opened.body.id}/steps`;
  await as(api.cookies.treasurer, steps).send({ event: 'START_DUE_DILIGENCE' }).expect(200);
  await as(api.cookies.treasurer, steps)
    .send({ event: 'SUBMIT_TO_COMMITTEE', summary: 'Émetteur solide, usage des fonds vérifié.' })
    .expect(200);
  await investmentCommittee(api);
  await adoptedVote(api, 'comite-investissement', {
    investmentId: opened.body.id,
    motion: { decision: 'invest', amount: '120000.00' },
  });
  await as(api.cookies.treasurer, steps)
    .send({
      event: 'SIGN_TERM_SHEET',
      terms: {
        instrument: 'bonds',
        principal: '120000.00',
        yearlyRate: '0.035',
        dayCount: '30e/360',
        periodMonths: 6,
        periods: 6,
        gracePeriods: 0,
        amortisation: 'bullet',
      },
    })
    .expect(200);

  const team = await signedInPage(browser, 'tresoriere@milliard.test', '/tresorerie/developpement');
  await team.getByRole('link', { name: 'Investissements' }).click();
  await team.waitForLoadState('load');
  expect((await team.locator('tbody tr').allTextContents()).map((row) => row.replace(/\s/g, ' '))).toEqual([
    'Obligations vertes 2027obligationsen décaissement120 000,00 €120 000,00 €',
  ]);
  await looked(team, 'portfolio-investments');
  await team.getByRole('link', { name: 'Obligations vertes 2027' }).click();
  await team.waitForLoadState('load');
  const text = (await team.locator('main').textContent())!.replace(/\s/g, ' ');
  expect(text).toContain('Taux annuel3,5 %');
  expect(text).toContain('Amortissementin fine');
  // Six half-years of 30E/360 at 3,5 %: 2 100,00 € each, the principal at the last.
  expect(text).toMatch(/n° 6.*120 000,00 €2 100,00 €120 000,00 €/);
  expect(text).toContain('devant le comité — Émetteur solide');
  await looked(team, 'portfolio-investment');

  // The drawdown asked of the treasury from the file: all that is invested, so it is held.
  await team.getByLabel('Montant du tirage n° 1').fill('120 000,00');
  await submit(team, 'Demander le tirage au trésorier');
  const drawn = (await team.locator('main').textContent())!.replace(/\s/g, ' ');
  expect(drawn).toContain('Étapeen portefeuille');
  expect(drawn).toMatch(/n° 1.*120 000,00 €à payer/);
  // A repayment above what is invested is refused, said beside the form, nothing recorded.
  await team.getByLabel('Nature').selectOption('repayment');
  await team.getByLabel('Montant reçu').fill('500 000,00');
  await team.getByLabel('Reçu le').fill(todayInParis());
  await submit(team, 'Enregistrer la rentrée');
  expect(await team.locator('.error-summary').textContent()).toMatch(/dépasse/);
  expect(await team.locator('main').textContent()).toContain('Aucune rentrée.');
  // Interest received, recorded from the file.
  await team.getByLabel('Nature').selectOption('interest');
  await team.getByLabel('Montant reçu').fill('2 100,00');
  await team.getByLabel('Reçu le').fill(todayInParis());
  await submit(team, 'Enregistrer la rentrée');
  const receipts = await team.locator('section[aria-labelledby="rentrees"] tbody tr').allTextContents();
  expect(receipts.map((row) => row.replace(/\s/g, ' '))).toEqual([
    `${shownDate(todayInParis()).replace(/\s/g, ' ')}intérêts reçus2 100,00 €`,
  ]);
  await looked(team, 'portfolio-investment-receipts');
  // Sold from its file: a date to come is refused beside the form; then sold today at a gain, it is ended.
  await team.getByLabel('Prix de cession').fill('125 000,00');
  await team.getByLabel('Cédé le').fill('2099-01-01');
  await submit(team, 'Enregistrer la cession');
  expect(await team.locator('.error-summary').count()).toBe(1);
  await team.getByLabel('Cédé le').fill(todayInParis());
  await submit(team, 'Enregistrer la cession');
  const sold = (await team.locator('main').textContent())!.replace(/\s/g, ' ');
  expect(sold).toContain('Étapecédé');
  expect(sold).toContain('cession125 000,00 €');
  expect(await team.getByRole('button', { name: 'Passer en perte' }).count()).toBe(0);
  await team.context().close();

  // The organisation's people find it in their one trajectory, from their organisation's page.
  const applicant = await signedInPage(browser, personas.applicant, '/structures/tiers-lieu-demo');
  await applicant.getByRole('link', { name: /Sa trajectoire/ }).click();
  await applicant.waitForLoadState('load');
  const moments = (await applicant.locator('section[aria-labelledby="histoire"] tbody tr').allTextContents()).map(
    (row) => row.replace(/\s/g, ' '),
  );
  const redirected = moments.findIndex((row) => row.includes('oriente le projet vers un autre financeur'));
  const signed = moments.findIndex((row) => row.includes('Obligations vertes 2027 : en décaissement'));
  expect(redirected).toBeGreaterThan(0);
  expect(signed).toBeGreaterThan(redirected);
  // What it paid comes after the steps that made it due.
  expect(moments.slice(-2)).toEqual([
    expect.stringMatching(/Obligations vertes 2027 : intérêts versés au fonds2 100,00 €$/),
    expect.stringMatching(/Obligations vertes 2027 : titres cédés125 000,00 €$/),
  ]);
  expect((await applicant.locator('main').textContent())!.replace(/\s/g, ' ')).toMatch(
    /Obligations vertes 2027 — cédé.*Montant voté120 000,00 €Décaissé120 000,00 €Reversé au fonds127 100,00 €/,
  );
  await looked(applicant, 'trajectory');
  await applicant.context().close();
});
