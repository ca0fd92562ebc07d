import request from 'supertest';
import { requestAnnualReceipts, runAnnualReceipts, annualReceiptRun } from '../../src/endowment/annual-receipts';
import { createTestApi, personas, type TestApi } from '../support/http';

/**
 * The year's annual receipts as a job: one per donor who chose it, in batches,
 * its progress counted; asked twice while pending, one run; run again, nothing
 * issued twice.
 */
let api: TestApi;
let treasurerId: string;
beforeAll(async () => {
  api = await createTestApi();
  treasurerId = String((await api.app.db('users').where('email', personas.treasurer).first('id')).id);
});
afterAll(() => api.drop());

const asTreasurer = (url: string) => request(api.http).post(url).set('Cookie', api.cookies.treasurer);

async function annualDonorGiving(index: number, amount: string): Promise<string> {
  const donor = await asTreasurer('/api/funds/dotation/donors')
    .send({
      kind: 'individual',
      lastName: `Annuel ${index}`,
      firstNames: 'Banc',
      addressLine: `${index} rue du Port`,
      postalCode: '44000',
      city: 'Nantes',
      receiptMode: 'annual',
    })
    .expect(201);
  for (const receivedOn of ['2025-03-01', '2025-09-01'])
    await asTreasurer('/api/funds/dotation/donations')
      .set('Idempotency-Key', `annual-${index}-${receivedOn}`)
      .send({ donorId: donor.body.id, amount, receivedOn, method: 'transfer' })
      .expect(201);
  return donor.body.id as string;
}

it('issues one receipt per annual donor for the year, counts its progress, and issues nothing twice', async () => {
  const donors: string[] = [];
  // More donors than a batch takes: the run goes on batch after batch.
  for (let index = 0; index < 55; index += 1) donors.push(await annualDonorGiving(index, '10.00'));

  const run = await requestAnnualReceipts(api.app.db, 'dotation', 2025, treasurerId);
  expect(await requestAnnualReceipts(api.app.db, 'dotation', 2025, treasurerId)).toMatchObject({ id: run.id });
  expect(run).toMatchObject({ state: 'queued', processedDonors: 0, totalDonors: null });

  expect(await runAnnualReceipts(api.app.db, run.id)).toEqual({ issued: 55 });
  expect(await annualReceiptRun(api.app.db, 'dotation', run.id)).toMatchObject({
    state: 'done',
    totalDonors: 55,
    processedDonors: 55,
    issued: 55,
  });
  const receipts = await api.app
    .db('tax_receipts')
    .whereIn('donor_id', donors)
    .where({ kind: 'annual', fiscal_year: 2025 })
    .select('amount_minor');
  expect(receipts.map((receipt) => String(receipt.amount_minor))).toEqual(Array(55).fill('2000'));

  // Run again (a retried job), and asked again for the year: nothing is left to receipt.
  expect(await runAnnualReceipts(api.app.db, run.id)).toEqual({ issued: 55 });
  const again = await requestAnnualReceipts(api.app.db, 'dotation', 2025, treasurerId);
  expect(again.id).not.toBe(run.id);
  expect(await runAnnualReceipts(api.app.db, again.id)).toEqual({ issued: 0 });
  const { count } = (await api.app.db('tax_receipts').whereIn('donor_id', donors).count('* as count').first())!;
  expect(Number(count)).toBe(55);
});
