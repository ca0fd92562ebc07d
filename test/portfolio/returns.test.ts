import request from 'supertest';
import { createTestApi, type TestApi } from '../support/http';
import { today } from '../support/fpci';
import { fpciInvestment } from '../support/portfolio';

/**
 * What comes back from investments and how they end, each booked: interest
 * (762), a repayment (never beyond what remains invested), a sale with its
 * gain (775 against 675), a write-off (675); nothing after the end; the
 * multiple of each investment from what came back.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const post = (url: string, key?: string) => {
  const call = request(api.http).post(url).set('Cookie', api.cookies.treasurer);
  return key ? call.set('Idempotency-Key', key) : call;
};
const balanceOf = async (code: string) =>
  (
    (
      await request(api.http)
        .get(`/api/funds/developpement/balances?date=${today}`)
        .set('Cookie', api.cookies.treasurer)
    ).body.accounts as { code: string; balance: string }[]
  ).find((account) => account.code === code)?.balance ?? '0.00';

it('books interest and repayments, then a sale with its gain', async () => {
  const id = await fpciInvestment(api, {
    name: 'Prêt participatif — Coopérative des Monts',
    amount: '100000.00',
    until: 'held',
  });
  const url = `/api/funds/developpement/investments/${id}`;
  const interest = await post(`${url}/receipts`, 'interets-2026')
    .send({ kind: 'interest', amount: '4000.00', receivedOn: today })
    .expect(201);
  expect(interest.body).toMatchObject({ realised: '4000.00', carryingValue: '100000.00', moic: '1.04' });
  // Replayed under its key: recorded once; another receipt under the same key is refused.
  await post(`${url}/receipts`, 'interets-2026')
    .send({ kind: 'interest', amount: '4000.00', receivedOn: today })
    .expect(200);
  await post(`${url}/receipts`, 'interets-2026')
    .send({ kind: 'interest', amount: '10.00', receivedOn: today })
    .expect(409);
  const tooMuch = await post(`${url}/receipts`, 'remboursement-trop')
    .send({ kind: 'repayment', amount: '100000.01', receivedOn: today })
    .expect(400);
  expect(tooMuch.body.errors[0]).toMatchObject({ pointer: '/body/amount' });
  expect(tooMuch.body.errors[0].message.replace(/\s/g, ' ')).toContain('100 000,00 €');
  await post(`${url}/receipts`, 'remboursement-1')
    .send({ kind: 'repayment', amount: '25000.00', receivedOn: today })
    .expect(201);
  expect(await balanceOf('2741')).toBe('75000.00');
  expect(await balanceOf('762')).toBe('4000.00');

  // Sold for 90 000,00 €: the 75 000,00 € still invested leave the books, the price is the fund's.
  const sold = await post(`${url}/end`).send({ how: 'exit', price: '90000.00', soldOn: today }).expect(200);
  expect(sold.body).toMatchObject({ state: 'exited', realised: '119000.00', carryingValue: '0.00', moic: '1.19' });
  expect(await balanceOf('2741')).toBe('0.00');
  expect(await balanceOf('775')).toBe('90000.00');
  expect(await balanceOf('675')).toBe('75000.00');
  // Ended, it takes nothing more.
  const after = await post(`${url}/receipts`, 'apres-la-fin')
    .send({ kind: 'interest', amount: '1.00', receivedOn: today })
    .expect(422);
  expect(after.body.detail).toContain('exited');
  await post(`${url}/end`).send({ how: 'write-off', reason: 'Déjà cédé' }).expect(409);
});

it('writes an investment off, its carrying value lost', async () => {
  const id = await fpciInvestment(api, { name: 'Titres — Épicerie solidaire', amount: '30000.00', until: 'held' });
  const url = `/api/funds/developpement/investments/${id}`;
  expect((await post(`${url}/end`).send({ how: 'write-off' }).expect(400)).body.errors[0].pointer).toBe('/body/reason');
  const lost = await post(`${url}/end`)
    .send({ how: 'write-off', reason: 'Liquidation judiciaire de la structure' })
    .expect(200);
  expect(lost.body).toMatchObject({ state: 'written-off', carryingValue: '0.00', moic: '0' });
  expect(lost.body.history.at(-1).reason).toBe('Liquidation judiciaire de la structure');
  expect(await balanceOf('675')).toBe('105000.00');
  expect((await request(api.http).get('/api/admin/ledger/verification').set('Cookie', api.cookies.admin)).body.ok).toBe(
    true,
  );
});
