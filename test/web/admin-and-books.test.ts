import iconv from 'iconv-lite';
import { todayInParis } from '../../src/time';
import { pagesUnderTest } from '../support/browser';
import { looked, signedInPage, submit } from '../support/pages';

/**
 * The pages of those who run the funds, in a real browser: the administrator's
 * accounts, committees' rules, failed jobs and verification; a treasurer's
 * books (trial balance, journal, closures, FEC); an applicant's organisation
 * with its documents and people; the team's funnel; what investors and lenders
 * are told is coming. Every page checked by axe-core and kept as a screenshot.
 */
const under = pagesUnderTest();

const as = (email: string, path: string) => signedInPage(under.browser, email, path);

it('lets the administrator manage accounts and committees, see failed jobs and verify the books', async () => {
  const admin = await as('admin@milliard.test', '/');
  await admin.getByRole('link', { name: 'Administration' }).click();
  await looked(admin, 'admin-home');
  await admin.getByRole('link', { name: 'Comptes et rôles' }).click();
  expect(await admin.getByRole('row', { name: /tresoriere@milliard\.test/ }).textContent()).toContain(
    'trésorerie (dotation)',
  );
  // A treasurer's role without its fund is refused on the form, what was typed kept.
  await admin.getByLabel('Nom affiché').fill('Zoé Comptable');
  await admin.getByLabel('Adresse électronique', { exact: true }).fill('zoe@milliard.test');
  await admin.getByLabel(/^Rôle/).selectOption({ label: 'trésorerie' });
  await submit(admin, 'Créer le compte');
  expect(await admin.locator('.error-summary').count()).toBe(1);
  expect(await admin.getByLabel('Nom affiché').inputValue()).toBe('Zoé Comptable');
  await looked(admin, 'admin-new-account-refused');
  await admin.getByLabel('Porte sur (identifiant du fonds, du comité ou de la structure)').fill('dotation');
  await submit(admin, 'Créer le compte');
  const created = admin.getByRole('row', { name: /zoe@milliard\.test/ });
  expect(await created.textContent()).toContain('actif');
  // Her own page: a role given, another withdrawn, each in her history with who did it.
  await created.getByRole('link', { name: 'Zoé Comptable' }).click();
  await admin.getByRole('combobox', { name: /^Rôle/ }).selectOption({ label: 'trésorerie' });
  await submit(admin, 'Donner le rôle');
  expect(await admin.locator('.error-summary').textContent()).toContain('porte sur un fonds');
  await admin
    .getByLabel('Fonds (pour la trésorerie et l’investissement)')
    .selectOption({ label: 'Mécanisme de Garantie ESS' });
  await submit(admin, 'Donner le rôle');
  await submit(admin, 'Retirer le rôle trésorerie (dotation)');
  const held = await admin.locator('#roles-tenus').locator('..').locator('tbody tr').allTextContents();
  expect(held).toEqual([expect.stringContaining('trésorerie (garantie)')]);
  const history = await admin.locator('#historique-roles').locator('..').locator('tbody tr').allTextContents();
  expect(history.map((row) => row.replace(/^.*?(donné|retiré)/, '$1'))).toEqual([
    'retirétrésorerie (dotation)Camille Admin',
    'donnétrésorerie (garantie)Camille Admin',
    'donnétrésorerie (dotation)Camille Admin',
  ]);
  await looked(admin, 'admin-account');
  await admin.getByRole('link', { name: 'Retour aux comptes' }).click();
  await created.getByRole('button', { name: 'Désactiver le compte de Zoé Comptable' }).click();
  await admin.waitForLoadState('load');
  await admin.getByLabel('Nom ou adresse électronique').fill('zoe');
  await submit(admin, 'Chercher');
  expect(await admin.getByRole('row', { name: /zoe@milliard\.test/ }).textContent()).toContain('désactivé le');
  await looked(admin, 'admin-accounts');

  await admin.goto('/admin/comites');
  await admin
    .getByRole('link', { name: /Comité/ })
    .first()
    .click();
  await admin.getByLabel('Décision').selectOption({ label: 'majorité qualifiée' });
  await submit(admin, 'Enregistrer les règles des séances à venir');
  expect(await admin.locator('.error-summary').textContent()).toContain('majorité qualifiée');
  await looked(admin, 'admin-committee-rules-refused');
  await admin.getByLabel('Majorité qualifiée (part, ex. 0.6667 ; vide pour la majorité simple)').fill('0.6667');
  await submit(admin, 'Enregistrer les règles des séances à venir');
  expect(await admin.getByRole('status').textContent()).toContain('sont enregistrées');
  expect(await admin.getByLabel('Décision').inputValue()).toBe('qualified');
  // Seats: a person seated by her account's address, then made chair (the former chair stays a member).
  await admin.getByLabel('Adresse électronique de son compte').fill('personne@milliard.test');
  await submit(admin, 'Faire siéger');
  expect(await admin.locator('.error-summary').textContent()).toContain('Aucun compte à cette adresse');
  await admin.getByLabel('Adresse électronique de son compte').fill('referente@milliard.test');
  await submit(admin, 'Faire siéger');
  await submit(admin, 'Faire présider Awa Référente');
  const seats = admin.locator('#membres').locator('..').locator('tbody tr');
  const chairs = async () =>
    (
      await seats.evaluateAll((rows) =>
        rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent)),
      )
    )
      .filter((cells) => cells[1] === 'préside')
      .map((cells) => cells[0]);
  expect(await chairs()).toEqual(['Awa Référente']);
  await looked(admin, 'admin-committee-members');
  await submit(admin, 'Faire présider Paul Comité');
  expect(await chairs()).toEqual(['Paul Comité']);
  await submit(admin, 'Retirer Awa Référente du comité');
  expect(await seats.filter({ hasText: 'Awa Référente' }).count()).toBe(0);

  await admin.goto('/admin/taches');
  expect(await admin.locator('main').textContent()).toContain('Aucune tâche en échec.');
  await looked(admin, 'admin-failed-jobs');
  await admin.goto('/admin/verification');
  expect(await admin.getByRole('status').textContent()).toContain('Les livres sont justes');
  await looked(admin, 'admin-verification');

  await admin.goto('/dossiers');
  expect(await admin.locator('figure.chart svg').count()).toBe(1);
  await looked(admin, 'admin-files-funnel');
  await admin.goto('/investissement');
  expect(await admin.locator('main').textContent()).toContain('Aucun porteur de parts ne vous a encore désigné');
  await looked(admin, 'investor-space-empty');
});

it('shows a treasurer the trial balance, the journal, the closures and the FEC', async () => {
  const ines = await as('tresoriere@milliard.test', '/tresorerie/dotation');
  await ines.getByRole('link', { name: 'Comptabilité' }).click();
  expect(await ines.getByRole('status').textContent()).toBe('Les livres sont équilibrés : la balance est nulle.');
  await looked(ines, 'books-balance');
  await ines.getByRole('link', { name: '512', exact: true }).click();
  expect(new URL(ines.url()).search).toBe('?account=512');
  expect(await ines.locator('tbody tr').count()).toBeGreaterThan(0);
  await looked(ines, 'books-journal');
  // A filter typed wrong is said next to its field.
  await ines.getByLabel('Compte').fill('douze');
  await submit(ines, 'Filtrer');
  expect(await ines.locator('.error-summary').count()).toBe(1);

  await ines.getByRole('link', { name: 'Clôtures et FEC' }).click();
  const lastYear = String(Number(todayInParis().slice(0, 4)) - 1);
  await ines.getByLabel('Mois (AAAA-MM)').fill(`${lastYear}-13`);
  await ines.getByLabel('Motif').first().fill('Fin de mois');
  await submit(ines, 'Clore le mois');
  expect(await ines.locator('.error-summary').textContent()).toContain('AAAA-MM');
  await ines.getByLabel('Mois (AAAA-MM)').fill(`${lastYear}-01`);
  await submit(ines, 'Clore le mois');
  expect(await ines.getByRole('row', { name: /Fin de mois/ }).textContent()).toContain('close');
  await looked(ines, 'books-closures');
  await ines
    .getByRole('row', { name: /Fin de mois/ })
    .locator('summary')
    .click();
  await ines.getByLabel('Pourquoi le rouvrir').fill('Une facture oubliée');
  await submit(ines, 'Rouvrir ce mois');
  expect(await ines.getByRole('row', { name: /Fin de mois/ }).textContent()).toContain(
    'rouverte : Une facture oubliée',
  );

  const fecLink = ines.getByRole('link', { name: `Télécharger le FEC ${todayInParis().slice(0, 4)}` });
  const fec = await ines.request.get((await fecLink.getAttribute('href'))!);
  expect(fec.status()).toBe(200);
  const firstLine = iconv.decode(await fec.body(), 'iso-8859-15').split('\r\n')[0]!;
  expect(firstLine.split('\t').slice(0, 3)).toEqual(['JournalCode', 'JournalLib', 'EcritureNum']);
});

it('shows an applicant their organisation, its people and its documents, and a lender what is coming', async () => {
  const louis = await as('porteur@milliard.test', '/structures/tiers-lieu-demo');
  await looked(louis, 'organisation');
  await louis.getByLabel('Sorte de document').selectOption({ label: 'statuts' });
  await louis.getByLabel('Fichier (PDF, image ou bureautique, 10 Mo au plus)').setInputFiles({
    name: 'statuts.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n%statuts de la structure\n'),
  });
  await submit(louis, 'Déposer');
  expect(await louis.getByRole('row', { name: /statuts\.pdf/ }).textContent()).toContain('statuts');
  // A file that is not what it says is refused next to its field.
  await louis.getByLabel('Fichier (PDF, image ou bureautique, 10 Mo au plus)').setInputFiles({
    name: 'faux.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('pas un pdf'),
  });
  await submit(louis, 'Déposer');
  expect(await louis.locator('.error-summary').count()).toBe(1);
  await looked(louis, 'organisation-document-refused');
  await louis.getByText('Inviter une personne').click();
  await louis.getByLabel('Son nom').fill('Maya');
  await louis.getByLabel('Son adresse électronique').fill('maya@exemple.fr');
  await submit(louis, 'Envoyer l’invitation');
  expect(await louis.getByRole('status').textContent()).toBe('Invitation envoyée à maya@exemple.fr.');
  expect(await louis.locator('main').textContent()).toContain('maya@exemple.fr, invitée le');

  // The profile corrected on its page: a wrong SIREN refused on its field, what was typed kept; then saved.
  await louis.getByText('Corriger ou compléter la fiche').click();
  await louis.getByLabel('SIREN').fill('123456789');
  await louis.getByLabel('Ville').fill('Rennes');
  await submit(louis, 'Enregistrer la fiche');
  expect(await louis.locator('.error-summary').textContent()).toContain('SIREN invalide');
  expect(await louis.getByLabel('Ville').inputValue()).toBe('Rennes');
  await looked(louis, 'organisation-profile-refused');
  await louis.getByLabel('SIREN').fill('');
  await submit(louis, 'Enregistrer la fiche');
  expect(await louis.getByRole('status').textContent()).toBe('La fiche est enregistrée.');
  expect(await louis.locator('#fiche').locator('..').textContent()).toContain('Rennes');
  // The bank account, typed anew, is changed and traced; left empty the next time, it stays.
  await louis.getByText('Corriger ou compléter la fiche').click();
  await louis.getByLabel('IBAN').fill('FR76 3000 4000 0312 3456 7890 143');
  await submit(louis, 'Enregistrer la fiche');
  expect(await louis.locator('#fiche').locator('..').textContent()).toContain('FR76 … 0143');
  await louis.getByText('Corriger ou compléter la fiche').click();
  await submit(louis, 'Enregistrer la fiche');
  expect(await louis.getByRole('status').textContent()).toBe('Rien n’a changé dans la fiche.');
  expect(
    await under.api.app.db('organisation_bank_details_changes').where('organisation_id', 'tiers-lieu-demo'),
  ).toEqual([expect.objectContaining({ iban_after: 'FR7630004000031234567890143' })]);

  const lender = await as('preteur@milliard.test', '/prets-garantis');
  expect(await lender.getByRole('heading', { level: 1 }).textContent()).toBe('Espace prêteur partenaire');
  await looked(lender, 'coming-lender');
});
