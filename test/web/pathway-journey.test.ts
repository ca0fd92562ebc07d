import { XMLParser } from 'fast-xml-parser';
import type { Page } from 'playwright-core';
import { minus, parseApiAmount, parseFrenchAmount, toApiAmount } from '../../src/money';
import { todayInParis } from '../../src/time';
import { assertPainValid } from '../../src/treasury/pain-schema';
import { camtDocument, entry, tx } from '../support/camt';
import { pagesUnderTest } from '../support/browser';
import { looked, signedInPage, submit } from '../support/pages';
import { pdfText } from '../support/pdf';

/**
 * A project from first contact to an active grant through the pages only, each
 * step by its person in a real browser: the referent, the applicant, the
 * committee's chair and members, the admin who countersigns. Every page met is
 * checked by axe-core and kept as a screenshot.
 */
const under = pagesUnderTest({ jobs: true });

const as = (email: string, path: string) => signedInPage(under.browser, email, path);

/** Proposing matches is the worker's job: its page reloads itself until it says what was proposed. */
const proposalsMade = (page: Page) =>
  page
    .getByRole('status')
    .filter({ hasText: /proposés?, à confirmer|Aucun rapprochement de plus/ })
    .waitFor({ timeout: 30_000 });

it('takes a file from first contact to a paid tranche reconciled to the cent, through the pages', async () => {
  const referent = await as('referente@milliard.test', '/dossiers');
  await looked(referent, 'referent-files');
  await referent.getByRole('link', { name: 'Ouvrir un dossier' }).click();
  await referent.getByLabel('Structure').selectOption({ label: 'La Fabrique du Tiers-Lieu' });
  await referent.getByLabel('Son message').fill('Nous voulons créer un atelier de réparation de vélos.');
  await referent.getByLabel('Nom de la personne').fill('Louis');
  // A wrong address is refused next to its field, what was typed kept.
  await referent.getByLabel('Son adresse électronique').fill('louis@');
  await submit(referent, 'Ouvrir un dossier');
  expect(await referent.locator('.error-summary').textContent()).toContain('Adresse e-mail invalide.');
  expect(await referent.getByLabel('Nom de la personne').inputValue()).toBe('Louis');
  await looked(referent, 'referent-new-file-refused');
  await referent.getByLabel('Son adresse électronique').fill('porteur@milliard.test');
  await submit(referent, 'Ouvrir un dossier');
  const fileUrl = new URL(referent.url()).pathname;
  expect(fileUrl).toMatch(/^\/dossiers\/[0-9a-f-]{36}$/);
  expect(await referent.locator('.state').textContent()).toBe('Étape : premier contact');
  await submit(referent, 'Je prends ce dossier en charge');
  await submit(referent, 'Inviter à écrire une pré-proposition');
  expect(await referent.locator('.state').textContent()).toBe('Étape : pré-proposition');
  await looked(referent, 'referent-file');

  const applicant = await as('porteur@milliard.test', fileUrl);
  await applicant.getByLabel('Le besoin').fill('Réparer plutôt que jeter, dans le quartier.');
  await applicant.getByLabel('Le projet').fill('Un atelier de réparation de vélos ouvert à tous.');
  await applicant.getByLabel('Montant demandé, au moins').fill('8 000');
  // French amounts as people type them; a range upside down is refused on its field.
  await applicant.getByLabel('Montant demandé, au plus').fill('5 000,00');
  await submit(applicant, 'Envoyer la pré-proposition');
  expect(await applicant.locator('.error-summary').textContent()).toContain(
    'La fourchette va du plus petit au plus grand montant.',
  );
  expect(await applicant.getByLabel('Montant demandé, au moins').inputValue()).toBe('8 000');
  await looked(applicant, 'applicant-pre-proposal-refused');
  await applicant.getByLabel('Montant demandé, au plus').fill('15 000,00');
  await submit(applicant, 'Envoyer la pré-proposition');
  expect(await applicant.locator('.state').textContent()).toBe('Étape : proposition');
  await looked(applicant, 'applicant-proposal');

  // Each step of the proposal: only what is missing is asked; what is known waits, pre-filled, in a fold.
  await applicant.getByRole('link', { name: 'Compléter la structure' }).click();
  await looked(applicant, 'applicant-step-organisation');
  await submit(applicant, 'Enregistrer cette partie');
  await applicant.getByRole('link', { name: 'Compléter le projet' }).click();
  expect(
    await applicant.locator('details input[name=territory], details textarea[name=summary]').count(),
  ).toBeGreaterThan(0);
  await applicant.getByLabel('Titre du projet').fill('Atelier vélo solidaire');
  await applicant.getByLabel('Type de projet').selectOption({ label: 'mobilité' });
  await applicant.getByLabel('Début').fill('2027-03-01');
  await applicant.getByLabel('Fin').fill('2027-02-01');
  await submit(applicant, 'Enregistrer cette partie');
  expect(await applicant.locator('.error-summary').textContent()).toContain('La fin du projet suit son début.');
  await looked(applicant, 'applicant-step-project-refused');
  await applicant.getByLabel('Fin').fill('2027-12-31');
  await submit(applicant, 'Enregistrer cette partie');
  await applicant.getByRole('link', { name: 'Compléter le budget' }).click();
  await applicant.getByLabel('Budget total du projet').fill('40 000,00');
  await applicant.getByLabel('Financeur').first().fill('Ville de Paris');
  await applicant.getByLabel('Montant').first().fill('10 000');
  await applicant.getByLabel('Obtenu').first().check();
  await looked(applicant, 'applicant-step-budget');
  await submit(applicant, 'Enregistrer cette partie');
  await applicant.getByRole('link', { name: 'Compléter les impacts' }).click();
  await applicant.getByLabel('Qui en bénéficie').fill('Les habitants du quartier');
  await applicant.getByLabel('Impact écologique').fill('Des vélos réparés plutôt que jetés');
  await applicant.getByLabel('Impact social').fill('Des ateliers ouverts à tous');
  await applicant.getByLabel('Indicateurs suivis (un par ligne)').fill('vélos réparés\nparticipants');
  await submit(applicant, 'Enregistrer cette partie');
  expect(await applicant.locator('.done').count()).toBe(4);
  await submit(applicant, 'Envoyer la proposition');
  expect(await applicant.locator('.state').textContent()).toBe('Étape : instruction');
  expect(await applicant.locator('#attendu').locator('..').textContent()).toContain(
    'le référent instruit la proposition',
  );

  await referent.reload();
  await referent.getByLabel('Votre avis sur le projet').fill('Projet utile, équipe motivée, budget réaliste.');
  await submit(referent, 'Donner mon avis');
  await submit(referent, 'Présenter au comité');
  expect(await referent.locator('.state').textContent()).toBe('Étape : comité');

  // The chair finds the file waiting for her committee and opens the vote.
  const chair = await as('comite@milliard.test', '/comites');
  await looked(chair, 'committee-list');
  expect(await chair.locator('main li').first().textContent()).toMatch(/— \d+ dossiers? en attente$/);
  await chair.locator('main li a').first().click();
  await looked(chair, 'committee-waiting');
  const ours = chair.locator('article', { has: chair.locator(`a[href="${fileUrl}"]`) });
  await ours.getByText('Ouvrir un vote sur le dossier de La Fabrique du Tiers-Lieu').click();
  await ours.getByLabel('Montant proposé').fill('12 000,00');
  await ours.getByRole('button', { name: 'Ouvrir le vote' }).click();
  await chair.waitForURL((url) => url.pathname.startsWith('/votes/'));
  expect(new URL(chair.url()).pathname).toMatch(/^\/votes\//);
  expect(await chair.locator('main dd').first().textContent()).toMatch(/^Accorder une subvention de 12\s000,00\s€/);
  await looked(chair, 'vote-open');
  const voteUrl = new URL(chair.url()).pathname;

  await chair.getByLabel('Je n’ai aucun conflit d’intérêts sur ce dossier').check();
  await submit(chair, 'Enregistrer ma déclaration');
  await chair.getByLabel('Pour').check();
  await submit(chair, 'Voter');
  expect(await chair.locator('#mon-vote').locator('..').textContent()).toContain('Vous avez voté : Pour.');

  const sofia = await as('comite2@milliard.test', voteUrl);
  await sofia.getByLabel('J’ai un conflit d’intérêts : je me déporte').check();
  await submit(sofia, 'Enregistrer ma déclaration');
  expect(await sofia.locator('.error-summary').textContent()).toContain('Décrivez le conflit d’intérêts');
  await sofia.getByLabel('Lequel (il figurera au procès-verbal)').fill('Je siège au bureau de la structure.');
  await submit(sofia, 'Enregistrer ma déclaration');
  expect(await sofia.locator('#mon-vote').count()).toBe(0);

  const hugo = await as('comite3@milliard.test', voteUrl);
  await hugo.getByLabel('Je n’ai aucun conflit d’intérêts sur ce dossier').check();
  await submit(hugo, 'Enregistrer ma déclaration');
  await hugo.getByLabel('Contre').check();
  await submit(hugo, 'Voter');
  await hugo.getByLabel('Pour').check();
  await hugo.getByLabel('Un commentaire (facultatif, au procès-verbal)').fill('Convaincu par le budget.');
  await submit(hugo, 'Changer mon vote');
  // While open, who voted is shown, not how: Paul's choice is hidden from Hugo.
  const paulRow = hugo.locator('#sieges').locator('..').locator('tr', { hasText: 'Paul Comité' });
  expect(await paulRow.locator('td').nth(3).textContent()).toBe('secret jusqu’à la clôture');
  await looked(hugo, 'vote-member');

  await chair.reload();
  await submit(chair, 'Clore le vote maintenant');
  expect(await chair.locator('#resultat').locator('..').textContent()).toContain('proposition adoptée');
  expect(await chair.locator('#resultat').locator('..').textContent()).toContain(
    'Pour : 2 — Contre : 0 — Abstentions : 0',
  );
  const minutesLink = chair.getByRole('link', { name: 'Télécharger le procès-verbal (PDF)' });
  for (let tries = 0; (await minutesLink.count()) === 0 && tries < 100; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await chair.reload();
  }
  const minutes = await chair.request.get((await minutesLink.getAttribute('href'))!);
  expect(await pdfText(Buffer.from(await minutes.body()))).toContain('Résultat : proposition adoptée.');
  await looked(chair, 'vote-closed');

  // The applicant reads the agreement and accepts it; the admin countersigns.
  await applicant.goto(fileUrl);
  expect(await applicant.locator('.state').textContent()).toBe('Étape : convention à accepter');
  for (
    let tries = 0;
    (await applicant.getByRole('button', { name: 'J’accepte la convention' }).count()) === 0 && tries < 100;
    tries += 1
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await applicant.reload();
  }
  const agreement = await applicant.request.get(
    (await applicant
      .locator('#attendu')
      .locator('..')
      .getByRole('link', { name: /convention/ })
      .getAttribute('href'))!,
  );
  expect(await pdfText(Buffer.from(await agreement.body()))).toMatch(/une subvention d'un montant de 12 000,00 €\./);
  await submit(applicant, 'J’accepte la convention');
  expect(await applicant.locator('.error-summary').textContent()).toContain('Cochez la case');
  await applicant.getByLabel('J’ai lu la convention jointe et je l’accepte au nom de la structure.').check();
  await submit(applicant, 'J’accepte la convention');
  expect(await applicant.locator('.state').textContent()).toBe('Étape : convention à contresigner');

  const admin = await as('admin@milliard.test', fileUrl);
  await admin.getByLabel('J’ai relu la convention acceptée par la structure.').check();
  await submit(admin, 'Contresigner la convention');
  expect(await admin.locator('.state').textContent()).toBe('Étape : subvention active');
  await looked(admin, 'admin-file-active');
  const history = await admin.locator('#historique').locator('..').locator('tbody tr').allTextContents();
  expect(history.at(-1)).toContain('Convention contresignée : la subvention est active');
  expect(history.at(-1)).toContain('Camille Admin');

  // The treasury pays the first tranche: requested by Inès, approved by Nadia (never by Inès herself).
  const ines = await as('tresoriere@milliard.test', '/tresorerie');
  await looked(ines, 'treasury-funds');
  await ines
    .getByRole('link', { name: /dotation/i })
    .first()
    .click();
  await looked(ines, 'treasury-dashboard');
  const payable = ines.locator('#a-payer').locator('..').locator('tr', { hasText: 'La Fabrique du Tiers-Lieu' }).last();
  await payable.getByRole('button', { name: /Demander le paiement/ }).click();
  await ines.waitForURL((url) => url.pathname.startsWith('/paiements/'));
  const paymentUrl = new URL(ines.url()).pathname;
  expect(await ines.locator('.state').textContent()).toBe('à approuver');
  expect(await ines.getByRole('button', { name: 'Approuver le paiement' }).count()).toBe(0);
  expect(await ines.locator('.four-eyes').textContent()).toContain('règle des quatre yeux');
  await looked(ines, 'treasury-payment-own');
  // Even posted by hand, her approval is refused with the rule.
  const token = await ines.locator('input[name=_csrf]').first().inputValue();
  const forced = await ines.request.post(`${paymentUrl}/etape`, { form: { _csrf: token, event: 'APPROVE' } });
  expect(forced.status()).toBe(403);
  expect(await forced.text()).toContain('Règle des quatre yeux');

  const nadia = await as('tresorier2@milliard.test', paymentUrl);
  await looked(nadia, 'treasury-payment-to-approve');
  await submit(nadia, 'Approuver le paiement');
  expect(await nadia.locator('.state').textContent()).toBe('approuvé');

  await ines.goto(new URL(ines.url()).origin + '/tresorerie/dotation');
  await submit(ines, 'Créer le lot de virements');
  const batchRow = ines.locator('#lots').locator('..').locator('tbody tr').first();
  expect(await batchRow.locator('td').nth(4).textContent()).toBe('préparé');
  const pain = await ines.request.get((await batchRow.getByRole('link', { name: /pain.001/ }).getAttribute('href'))!);
  const painXml = await pain.text();
  await assertPainValid(painXml);
  const transfer = new XMLParser().parse(painXml).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
  const endToEndId = String(transfer.PmtId.EndToEndId);
  const transferAmount = String(transfer.Amt.InstdAmt['#text'] ?? transfer.Amt.InstdAmt);
  await batchRow.getByRole('button', { name: 'Marquer comme remis à la banque' }).click();
  await ines.waitForLoadState('load');
  expect(await ines.locator('#lots').locator('..').locator('tbody tr').first().locator('td').nth(4).textContent()).toBe(
    'envoyé à la banque',
  );

  // The demo's April statement first, reconciled by hand as its README says; then the bank's statement of the transfer.
  await ines.getByRole('link', { name: 'Rapprocher le relevé RELEVE-DEMO-2026-04' }).click();
  await looked(ines, 'treasury-workspace-demo');
  await submit(ines, 'Proposer les rapprochements');
  await proposalsMade(ines);
  while ((await ines.getByRole('button', { name: 'Confirmer' }).count()) > 0) {
    await ines.getByRole('button', { name: 'Confirmer' }).first().click();
    await ines.waitForLoadState('load');
  }
  await ines.locator('#lignes').locator('..').locator('input[type=checkbox]').first().check();
  await ines.getByLabel('Compte du plan comptable').fill('627');
  await ines.getByLabel('Motif du rapprochement').fill('Frais de tenue de compte');
  await submit(ines, 'Rapprocher les lignes cochées');
  expect(await ines.locator('.reconciled').count()).toBe(1);
  const demoClosing = await ines
    .locator('#face-aux-livres')
    .locator('..')
    .locator('tbody tr')
    .nth(1)
    .locator('td')
    .first()
    .textContent();

  const statementXml = camtDocument('001.08', {
    statementId: 'RELEVE-PAGES-1',
    iban: 'FR7610107001011234567890129',
    opening: [frenchToApi(demoClosing!), today],
    closing: [toApiAmount(minus(parseFrenchAmount(demoClosing!), parseApiAmount(transferAmount))), today],
    entries: [
      entry('001.08', transferAmount, 'DBIT', today, 'BQ-PAGES-1', [
        tx(`<Refs><EndToEndId>${endToEndId}</EndToEndId></Refs><RmtInf><Ustrd>Subvention tranche 1</Ustrd></RmtInf>`),
      ]),
    ],
  });
  await ines.getByRole('link', { name: 'Retour à la trésorerie' }).click();
  await ines.getByText('Importer un relevé').click();
  await ines.getByLabel('Fichier du relevé').setInputFiles({
    name: 'releve.xml',
    mimeType: 'application/xml',
    buffer: Buffer.from(statementXml),
  });
  await submit(ines, 'Importer le relevé');
  // The worker reads the file: its page reloads itself until it says what was imported; the proposals follow by themselves.
  expect(await ines.locator('h1').textContent()).toBe('Import du relevé releve.xml');
  await ines
    .getByRole('status')
    .filter({ hasText: 'Relevé importé : 1 ligne enregistrée' })
    .waitFor({ timeout: 30_000 });
  await looked(ines, 'treasury-statement-imported');
  await ines.getByRole('link', { name: 'Rapprocher le relevé RELEVE-PAGES-1' }).click();
  expect(await ines.locator('h1').textContent()).toBe('Rapprochement du relevé RELEVE-PAGES-1');
  await proposalsMade(ines);
  expect(await ines.locator('.matches').textContent()).toContain('confiance 100 %');
  await looked(ines, 'treasury-workspace-proposed');
  await submit(ines, 'Confirmer');
  expect(await ines.locator('.reconciled').textContent()).toContain('Rapproché au centime');
  const closingRow = await ines
    .locator('#face-aux-livres')
    .locator('..')
    .locator('tbody tr')
    .nth(1)
    .locator('td')
    .allTextContents();
  expect(closingRow[2]).toMatch(/^0,00\s€$/);
  await looked(ines, 'treasury-workspace-reconciled');
  await nadia.goto(paymentUrl);
  expect(await nadia.locator('.state').textContent()).toBe('payé');

  for (const page of [referent, applicant, chair, sofia, hugo, admin, ines, nadia]) await page.context().close();
});

const today = todayInParis();
const frenchToApi = (shown: string) => toApiAmount(parseFrenchAmount(shown));
