import request from 'supertest';
import { pagesUnderTest } from '../support/browser';
import { personas } from '../support/http';
import { looked, signedInPage } from '../support/pages';
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
  expect((await applicant.locator('main').textContent())!.replace(/\s/g, ' ')).toMatch(
    /Obligations vertes 2027 — en décaissement.*Montant voté120 000,00 €/,
  );
  await looked(applicant, 'trajectory');
  await applicant.context().close();
});
