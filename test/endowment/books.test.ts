import request from 'supertest';
import { verifyBooks } from '../../src/books';
import { commitGrant } from '../../src/endowment/grants';
import { postEntry } from '../../src/ledger/entries';
import { exportFec } from '../../src/ledger/fec';
import { todayInParis } from '../../src/time';
import { repairSharedAuxiliaryAccounts } from '../../migrations/20261201_020_auxiliary_accounts_and_bounds';
import { createTestApi, type TestApi } from '../support/http';

/** The endowment fund's books: one account per holder, gifts within bounds, gifts cancelled, verification of both. */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const asTreasurer = (method: 'post' | 'get', url: string) =>
  request(api.http)[method](url).set('Cookie', api.cookies.treasurer);

async function newOrganisationWithApplication(id: string, name: string): Promise<string> {
  await api.app.db('organisations').insert({ id, name, legal_form: 'association' });
  const [application] = await api.app
    .db('applications')
    .insert({
      organisation_id: id,
      fund_id: 'dotation',
      first_message: 'Bonjour',
      contact_name: 'Contact',
      contact_email: `${id}@exemple.fr`,
    })
    .returning('id');
  return application.id;
}

const grantFor = (applicationId: string, organisationId: string, organisationName: string, amountMinor: bigint) =>
  api.app.db.transaction((trx) =>
    commitGrant(trx, {
      applicationId,
      fundId: 'dotation',
      organisationId,
      organisationName,
      amountMinor,
      poolId: null,
      projectType: 'food',
    }),
  );

const balanceOf = async (code: string): Promise<{ balance_minor: bigint; label: string } | undefined> =>
  api.app
    .db('accounts')
    .join('account_balances', 'account_balances.account_id', 'accounts.id')
    .where({ fund_id: 'dotation', code })
    .first('account_balances.balance_minor', 'accounts.label');

describe('auxiliary accounts', () => {
  it('gives two beneficiaries whose ids begin alike an account each, labelled with its holder, and exports them as auxiliary accounts', async () => {
    const lyon = await newOrganisationWithApplication('association-jardins-partages-lyon', 'Jardins partagés de Lyon');
    const nantes = await newOrganisationWithApplication(
      'association-jardins-solidaires-nantes',
      'Jardins solidaires de Nantes',
    );
    await grantFor(lyon, 'association-jardins-partages-lyon', 'Jardins partagés de Lyon', 1_000_000n);
    await grantFor(nantes, 'association-jardins-solidaires-nantes', 'Jardins solidaires de Nantes', 1_500_000n);
    const grants = await api.app
      .db('grants')
      .whereIn('application_id', [lyon, nantes])
      .orderBy('amount_minor')
      .pluck('payable_account_code');
    expect(new Set(grants).size).toBe(2);
    expect(await balanceOf(grants[0])).toEqual({
      balance_minor: -1_000_000n,
      label: 'Bénéficiaire — Jardins partagés de Lyon',
    });
    expect(await balanceOf(grants[1])).toEqual({
      balance_minor: -1_500_000n,
      label: 'Bénéficiaire — Jardins solidaires de Nantes',
    });

    const fec = (await exportFec(api.app.db, 'dotation', Number(todayInParis().slice(0, 4)))).content
      .toString('latin1')
      .split('\r\n');
    const header = fec[0]!.split('\t');
    const nantesLine = fec
      .map((line) => line.split('\t'))
      .find((fields) => fields[header.indexOf('CompAuxNum')] === grants[1])!;
    expect([
      nantesLine[header.indexOf('CompteNum')],
      nantesLine[header.indexOf('CompAuxLib')],
      nantesLine[header.indexOf('Credit')],
    ]).toEqual(['4671', 'Jardins solidaires de Nantes', '15000,00']);
    expect((await verifyBooks(api.app.db)).problems).toEqual([]);
  });

  it('opens a second pool whose id begins like the first', async () => {
    const pool = (id: string) =>
      asTreasurer('post', '/api/funds/dotation/pools').send({
        id,
        name: `ADEME ${id.slice(-4)}`,
        partnerName: 'ADEME',
        ticketMin: '5000.00',
        ticketMax: '30000.00',
        startsOn: '2026-01-01',
        endsOn: '2027-12-31',
      });
    const first = await pool('ademe-transition-2026').expect(201);
    const second = await pool('ademe-transition-2027').expect(201);
    expect(first.body.accountCode).not.toBe(second.body.accountCode);
    expect((await balanceOf(second.body.accountCode))!.label).toBe('Fonds dédiés — ADEME 2027 (ADEME)');
  });

  it('repairs books where two beneficiaries shared one account: reclassified by an entry, verification clean again', async () => {
    // Books as the old code wrote them: one 4671 account for two organisations, not in the register.
    const first = await newOrganisationWithApplication('ecole-des-communs-paris', 'École des communs (Paris)');
    const second = await newOrganisationWithApplication('ecole-des-communs-marseille', 'École des communs (Marseille)');
    await api.app.db('accounts').insert({
      fund_id: 'dotation',
      code: '4671ECOLEDESCOMMU',
      label: 'Bénéficiaire — École des communs (Paris)',
      type: 'liability',
      may_go_negative: true,
    });
    for (const [applicationId, organisationId, amountMinor] of [
      [first, 'ecole-des-communs-paris', 800_000n],
      [second, 'ecole-des-communs-marseille', 2_000_000n],
    ] as const) {
      await api.app.db.transaction(async (trx) => {
        const { entry } = await postEntry(
          trx,
          {
            fundId: 'dotation',
            journalCode: 'AIDES',
            accountingDate: todayInParis(),
            label: 'Aide accordée',
            sourceType: 'grant',
            sourceId: applicationId,
            lines: [
              { accountCode: '6571', amountMinor },
              { accountCode: '4671ECOLEDESCOMMU', amountMinor: -amountMinor },
            ],
          },
          { userId: null },
        );
        await trx('grants').insert({
          fund_id: 'dotation',
          application_id: applicationId,
          organisation_id: organisationId,
          pool_id: null,
          amount_minor: amountMinor,
          payable_account_code: '4671ECOLEDESCOMMU',
          commitment_entry_id: entry.id,
        });
      });
    }
    const before = await verifyBooks(api.app.db);
    expect(before.problems.filter((problem) => problem.check === 'auxiliary-account-holder')).toHaveLength(2);

    await api.app.db.transaction((trx) => repairSharedAuxiliaryAccounts(trx));
    const codes = await api.app
      .db('grants')
      .whereIn('application_id', [first, second])
      .orderBy('amount_minor')
      .pluck('payable_account_code');
    expect(codes[0]).toBe('4671ECOLEDESCOMMU');
    expect(codes[1]).not.toBe('4671ECOLEDESCOMMU');
    expect((await balanceOf(codes[0]))!.balance_minor).toBe(-800_000n);
    expect(await balanceOf(codes[1])).toEqual({
      balance_minor: -2_000_000n,
      label: 'Bénéficiaire — École des communs (Marseille)',
    });
    const reclassification = await api.app
      .db('journal_entries')
      .where({ source_type: 'auxiliary-account-repair', source_id: 'ecole-des-communs-marseille' })
      .first('journal_code', 'id');
    expect(reclassification.journal_code).toBe('OD');
    expect((await verifyBooks(api.app.db)).problems).toEqual([]);
    // Running it again changes nothing.
    await api.app.db.transaction((trx) => repairSharedAuxiliaryAccounts(trx));
    expect(
      await api.app
        .db('journal_entries')
        .where({ source_type: 'auxiliary-account-repair' })
        .count('* as count')
        .first(),
    ).toEqual({ count: 1n });
  });
});

describe('gifts', () => {
  let donorId: string;
  beforeAll(async () => {
    donorId = (
      await asTreasurer('post', '/api/funds/dotation/donors')
        .send({
          kind: 'individual',
          lastName: 'Durand',
          firstNames: 'Léa',
          addressLine: '2 quai Sud',
          postalCode: '69002',
          city: 'Lyon',
          receiptMode: 'per-gift',
        })
        .expect(201)
    ).body.id;
  });
  const give = (amount: string, key: string, extra: Record<string, unknown> = {}) =>
    asTreasurer('post', '/api/funds/dotation/donations')
      .set('Idempotency-Key', key)
      .send({ donorId, amount, receivedOn: '2026-11-20', method: 'transfer', ...extra });

  it('refuses a gift above the fund’s ceiling, saying the ceiling, and a posting that would leave the representable range', async () => {
    const refused = await give('999999999999999.99', 'gift-too-large-1').expect(400);
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors[0].pointer).toBe('/body/amount');
    expect(refused.body.errors[0].message.replace(/\s/g, ' ')).toBe(
      'Un don est plafonné à 5 000 000,00 € dans ce fonds : vérifiez le montant (ou faites relever le plafond par un administrateur).',
    );
    expect(await api.app.db('donations').where('idempotency_key', 'gift-too-large-1').first()).toBeUndefined();
    const rules = (ceiling: string) =>
      request(api.http)
        .put('/api/admin/funds/dotation/endowment-rules')
        .set('Cookie', api.cookies.admin)
        .send({ giftAmountMax: ceiling, ticketMin: '5000.00', ticketMax: '30000.00' });
    await request(api.http)
      .put('/api/admin/funds/dotation/endowment-rules')
      .set('Cookie', api.cookies.treasurer)
      .send({ giftAmountMax: '1.00', ticketMin: '5000.00', ticketMax: '30000.00' })
      .expect(403);
    expect((await rules('10000000.00').expect(200)).body).toEqual({
      giftAmountMax: '10000000.00',
      ticketMin: '5000.00',
      ticketMax: '30000.00',
    });
    await give('9000000.00', 'gift-large-but-allowed').expect(201);
    await rules('5000000.00').expect(200);

    const huge = 90_000_000_000_000_000n;
    const entry = (key: string) =>
      request(api.http)
        .post('/api/funds/dotation/entries')
        .set('Cookie', api.cookies.treasurer)
        .set('Idempotency-Key', key)
        .send({
          accountingDate: todayInParis(),
          label: 'Très gros',
          reason: 'Essai des limites',
          lines: [
            { accountCode: '6571', debit: (huge / 100n).toString() },
            { accountCode: '7541', credit: (huge / 100n).toString() },
          ],
        });
    await entry('huge-entry-1').expect(201);
    const second = await entry('huge-entry-2').expect(422);
    expect(second.body.type).toMatch(/amount-unrepresentable/);
    // The books stay readable.
    await asTreasurer('get', '/api/funds/dotation/accounts').expect(200);
  });

  it('answers 409 when a key is reused for another gift, and the first gift stays as it was', async () => {
    const first = await give('40.00', 'gift-key-reused').expect(201);
    const other = await give('4000.00', 'gift-key-reused').expect(409);
    expect(other.body.detail).toMatch(/autre don/);
    expect((await give('40.00', 'gift-key-reused').expect(200)).body.donationId).toBe(first.body.donationId);
    expect(await api.app.db('donations').where('idempotency_key', 'gift-key-reused').pluck('amount_minor')).toEqual([
      4000n,
    ]);
  });

  it('cancels a gift recorded in error: entry reversed, receipt cancelled without replacement, its number kept in the register', async () => {
    const gift = (await give('120.00', 'gift-in-error').expect(201)).body;
    const cancelled = await asTreasurer('post', `/api/funds/dotation/donations/${gift.donationId}/cancellation`)
      .send({ reason: 'Virement enregistré deux fois' })
      .expect(200);
    expect(cancelled.body.cancelledReceiptIds).toEqual([gift.receiptId]);
    expect(cancelled.body.replacementReceiptIds).toEqual([]);
    const donation = await api.app
      .db('donations')
      .where('id', gift.donationId)
      .first('entry_id', 'cancellation_entry_id');
    expect(
      (await api.app.db('journal_entries').where('id', donation.cancellation_entry_id).first('reverses_entry_id'))
        .reverses_entry_id,
    ).toBe(donation.entry_id);
    const receipt = await api.app.db('tax_receipts').where('id', gift.receiptId).first('reference', 'cancelled_at');
    expect(receipt.cancelled_at).not.toBeNull();
    const register = (await asTreasurer('get', '/api/funds/dotation/tax-receipts/register?year=2026').expect(200)).text;
    expect(register).toContain(`${receipt.reference};don;DURAND Léa`);
    expect(register.split('\r\n').find((line) => line.startsWith(receipt.reference))).toMatch(/;annulé$/);
    await asTreasurer('post', `/api/funds/dotation/donations/${gift.donationId}/cancellation`)
      .send({ reason: 'encore' })
      .expect(409);
    await expect(api.app.db('donations').where('id', gift.donationId).update({ amount_minor: 1n })).rejects.toThrow(
      /ne change pas/,
    );
    const donor = (await asTreasurer('get', `/api/funds/dotation/donors/${donorId}`).expect(200)).body;
    expect(donor.donations.find((item: { id: string }) => item.id === gift.donationId).cancelReason).toBe(
      'Virement enregistré deux fois',
    );
    expect(
      (await verifyBooks(api.app.db)).problems.filter(
        (problem) => problem.check.startsWith('gift') || problem.check.startsWith('receipt'),
      ),
    ).toEqual([]);
  });

  it('replaces a summary receipt by one without the cancelled gift', async () => {
    const annualDonor = (
      await asTreasurer('post', '/api/funds/dotation/donors')
        .send({
          kind: 'individual',
          lastName: 'Petit',
          firstNames: 'Noé',
          addressLine: '1 rue Haute',
          postalCode: '35000',
          city: 'Rennes',
          receiptMode: 'annual',
        })
        .expect(201)
    ).body.id;
    const gifts = [];
    for (const [amount, key] of [
      ['30.00', 'annual-1'],
      ['70.00', 'annual-2'],
    ] as const) {
      gifts.push(
        (
          await asTreasurer('post', '/api/funds/dotation/donations')
            .set('Idempotency-Key', key)
            .send({ donorId: annualDonor, amount, receivedOn: '2026-03-01', method: 'card' })
            .expect(201)
        ).body.donationId,
      );
    }
    const [summary] = (await asTreasurer('post', '/api/funds/dotation/tax-receipts/annual?year=2026').expect(201)).body
      .receiptIds;
    const cancelled = await asTreasurer('post', `/api/funds/dotation/donations/${gifts[0]}/cancellation`)
      .send({ reason: 'Carte refusée après coup' })
      .expect(200);
    expect(cancelled.body.cancelledReceiptIds).toEqual([summary]);
    const replacement = await api.app
      .db('tax_receipts')
      .where('id', cancelled.body.replacementReceiptIds[0])
      .first('amount_minor', 'replaces_id');
    expect(replacement).toEqual({ amount_minor: 7000n, replaces_id: summary });
  });

  it('finds gifts and receipts that disagree with the books', async () => {
    const gift = (await give('55.00', 'gift-then-reversed-by-hand').expect(201)).body;
    const entryId = (await api.app.db('donations').where('id', gift.donationId).first('entry_id')).entry_id;
    await request(api.http)
      .post(`/api/funds/dotation/entries/${entryId}/reversal`)
      .set('Cookie', api.cookies.treasurer)
      .send({ reason: 'à la main', accountingDate: todayInParis() })
      .expect(201);
    const problems = (await verifyBooks(api.app.db)).problems.map((problem) => problem.check);
    expect(problems).toContain('gift-cancellation');
  });
});
