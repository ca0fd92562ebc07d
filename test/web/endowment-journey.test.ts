import type { Page } from 'playwright-core';
import { todayInParis } from '../../src/time';
import { pagesUnderTest } from '../support/browser';
import { looked, signedInPage, submit } from '../support/pages';
import { pdfText } from '../support/pdf';

/**
 * The endowment fund through its pages: the treasurer finds a donor, records a
 * gift (once, however often the form is sent), the donor downloads its receipt
 * and changes her choices; a CSV of gifts read at blank, its report shown line
 * by line, then confirmed; a receipt cancelled and replaced; a pool's use drawn.
 */
const under = pagesUnderTest({ jobs: true });

const as = (email: string, path: string) => signedInPage(under.browser, email, path);

/** Reloads until `ready` holds: documents and imports are the job worker's. */
async function reloadUntil(page: Page, ready: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 60 && !(await ready()); attempt += 1) {
    await page.waitForTimeout(250);
    await page.reload();
  }
  expect(await ready()).toBe(true);
}

it('records a gift whose donor downloads the receipt, and imports a CSV after reading it at blank', async () => {
  const ines = await as('tresoriere@milliard.test', '/tresorerie/dotation');
  expect(await ines.locator('figure.chart svg').count()).toBe(1);
  await looked(ines, 'treasurer-dashboard-chart');
  await ines.getByRole('navigation', { name: 'Les pages du fonds' }).getByRole('link', { name: 'Donateurs' }).click();
  await ines.getByLabel('Nom, e-mail ou SIREN').fill('donatrice');
  await submit(ines, 'Chercher');
  await looked(ines, 'treasurer-donors');
  await ines.getByRole('link', { name: /DONATRICE/ }).click();
  const donorUrl = new URL(ines.url()).pathname;

  // A wrong amount is refused next to its field, the rest kept.
  await ines.getByLabel('Montant').fill('cent euros');
  await ines.getByLabel('Référence (facultatif : n° de chèque, de transaction)').fill('VIR-0042');
  await submit(ines, 'Enregistrer le don');
  expect(await ines.locator('.error-summary').textContent()).toContain('écrivez-le comme « 1 500,00 »');
  expect(await ines.getByLabel('Référence (facultatif : n° de chèque, de transaction)').inputValue()).toBe('VIR-0042');
  await looked(ines, 'treasurer-gift-refused');

  // The same form sent twice (a double click, a reload) records one gift.
  await ines.getByLabel('Montant').fill('250,00');
  const fields = Object.fromEntries(
    await ines
      .locator('form[action$="/dons"] input, form[action$="/dons"] select')
      .evaluateAll((inputs) =>
        inputs.map((input) => [(input as HTMLInputElement).name, (input as HTMLInputElement).value]),
      ),
  ) as Record<string, string>;
  for (let sent = 0; sent < 2; sent += 1) {
    const response = await ines.request.post(`${donorUrl}/dons`, { form: fields, maxRedirects: 0 });
    expect(response.status()).toBe(303);
  }
  await ines.goto(donorUrl);
  const gifts = ines.getByRole('region', { name: 'Ses dons' });
  expect(await gifts.getByRole('row', { name: /250,00/ }).count()).toBe(1);
  await reloadUntil(ines, async () => (await ines.getByRole('link', { name: /Télécharger le reçu/ }).count()) === 2);
  await looked(ines, 'treasurer-donor');

  const jeanne = await as('donatrice@milliard.test', '/mes-dons');
  expect(await jeanne.getByRole('row', { name: /250,00 € virement/ }).count()).toBe(1);
  await looked(jeanne, 'donor-gifts');
  const receiptLinks = jeanne.getByRole('link', { name: /Télécharger le reçu/ });
  expect(await receiptLinks.count()).toBe(2);
  const receipt = await jeanne.request.get((await receiptLinks.first().getAttribute('href'))!);
  expect(receipt.headers()['content-type']).toBe('application/pdf');
  const text = await pdfText(await receipt.body());
  expect(text).toContain('***250,00 €***');
  expect(text).toContain('DONATRICE Jeanne');
  await jeanne.getByText('Mes choix', { exact: true }).click();
  await jeanne.getByLabel('Recevoir les nouvelles du fonds').check();
  await jeanne.getByLabel('Mes reçus fiscaux').selectOption({ label: 'un reçu annuel' });
  await submit(jeanne, 'Enregistrer mes choix');
  expect(await jeanne.getByRole('status').textContent()).toBe('Vos choix sont enregistrés.');
  await jeanne.getByText('Mes choix', { exact: true }).click();
  expect(await jeanne.getByLabel('Recevoir les nouvelles du fonds').isChecked()).toBe(true);
  expect(await jeanne.getByLabel('Mes reçus fiscaux').inputValue()).toBe('annual');
  // Her space is hers: the treasurer's pages are not open to her.
  expect((await jeanne.goto('/tresorerie/dotation/donateurs'))!.status()).toBe(404);

  // A CSV of gifts: read at blank first, its report line by line, then confirmed.
  await ines.goto('/tresorerie/dotation/imports');
  await looked(ines, 'treasurer-imports');
  const today = todayInParis();
  const csv = [
    'type;nom;prenoms;raison_sociale;siren;adresse;code_postal;ville;pays;email;montant;date;mode;recurrent;reference',
    `particulier;Lemoine;Claire;;;3 rue des Lilas;69001;Lyon;;claire@exemple.fr;80,00;${today};virement;non;WEB-101`,
    `entreprise;;;Scop Bois Local;812345676;2 allée des Scieurs;88000;Épinal;;;1 200,00;${today};cheque;non;WEB-102`,
    `particulier;Sans;Montant;;;1 rue Vide;75001;Paris;;;;${today};carte;non;WEB-103`,
  ].join('\n');
  await ines.getByLabel('Fichier CSV des dons').setInputFiles({
    name: 'dons.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  await submit(ines, 'Lire le fichier à blanc');
  expect(await ines.getByRole('heading', { level: 1 }).textContent()).toBe('Lecture à blanc d’un import de dons');
  await ines.waitForSelector('text=Rien n’a été écrit', { timeout: 30_000 });
  expect(await ines.locator('progress').getAttribute('value')).toBe('3');
  expect(await ines.getByRole('row', { name: /WEB-103/ }).textContent()).toContain('refusée');
  expect(await ines.getByRole('row', { name: /WEB-101/ }).textContent()).toContain('Lemoine Claire (nouveau)');
  await looked(ines, 'treasurer-import-dry-run');
  await submit(ines, 'Confirmer l’import de ce fichier');
  expect(await ines.getByRole('heading', { level: 1 }).textContent()).toBe('Import de dons');
  await ines.waitForSelector('text=Import terminé', { timeout: 30_000 });
  expect(await ines.getByRole('status').textContent()).toContain('2 créés, 0 déjà importé, 1 refusé');
  await looked(ines, 'treasurer-import-done');
  await ines.goto('/tresorerie/dotation/dons');
  expect(await ines.getByRole('row', { name: /Scop Bois Local/ }).count()).toBe(1);
  await looked(ines, 'treasurer-gifts');

  // A receipt cancelled and replaced, the donor's name corrected; its number stays, marked cancelled.
  await ines.goto(`/tresorerie/dotation/recus?year=${today.slice(0, 4)}&state=valid`);
  await looked(ines, 'treasurer-receipts');
  await ines.getByRole('row', { name: /80,00/ }).getByRole('link').first().click();
  await ines.getByLabel('Pourquoi le remplacer').fill('Nom mal orthographié');
  await ines.getByLabel('Nom corrigé (facultatif)').fill('Lemoyne');
  await submit(ines, 'Annuler et émettre le remplaçant');
  expect(await ines.locator('dl.summary').textContent()).toContain('Remplace le reçu');
  expect(await ines.locator('dl.summary').textContent()).toContain('LEMOYNE Claire');
  await looked(ines, 'treasurer-receipt-replacement');

  // A new donor who wants one receipt a year: her gifts wait for it, then the year's annual receipts are issued as a job.
  await ines.goto('/tresorerie/dotation/donateurs');
  await ines.getByLabel('Nom (particulier)').fill('Annuelle');
  await ines.getByLabel('Prénoms (particulier)').fill('Rose');
  await ines.getByLabel('Adresse', { exact: true }).fill('9 quai du Port');
  await ines.getByLabel('Code postal').fill('13002');
  await ines.getByLabel('Ville').fill('Marseille');
  await ines.getByLabel(/^Reçus fiscaux/).selectOption({ label: 'un reçu annuel' });
  await submit(ines, 'Enregistrer le donateur');
  expect(await ines.getByRole('heading', { level: 1 }).textContent()).toBe('Donateur — ANNUELLE Rose');
  await ines.getByLabel('Montant').fill('40');
  await submit(ines, 'Enregistrer le don');
  expect(await ines.getByRole('region', { name: 'Ses reçus' }).textContent()).toContain('Aucun reçu');
  await ines.goto('/tresorerie/dotation/recus');
  await ines.getByRole('textbox', { name: 'Année' }).fill(today.slice(0, 4));
  await submit(ines, 'Émettre les reçus annuels');
  expect(await ines.getByRole('heading', { level: 1 }).textContent()).toBe(`Reçus annuels ${today.slice(0, 4)}`);
  await ines.waitForSelector('text=Un reçu annuel émis.', { timeout: 30_000 });
  expect(await ines.locator('progress').getAttribute('value')).toBe('1');
  await looked(ines, 'treasurer-annual-receipts');
  await ines.getByRole('link', { name: 'Voir les reçus annuels émis' }).click();
  expect(await ines.getByRole('row', { name: /récapitulatif annuel/ }).textContent()).toContain('40,00');

  await ines.goto('/tresorerie/dotation/pools');
  await ines.getByRole('link', { name: /ACTED/ }).first().click();
  expect(await ines.locator('figure.chart svg').count()).toBe(1);
  const numbers = (await ines.locator('figure.chart table').textContent())!.replace(/\s/g, ' ');
  expect(numbers).toContain('Reçu du partenaire90 000,00 €');
  expect(numbers).toContain('Disponible90 000,00 €');
  await looked(ines, 'treasurer-pool');
});
