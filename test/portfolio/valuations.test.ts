import request from 'supertest';
import { verifyBooks } from '../../src/books';
import { backToToday, travelTo } from '../support/clock';
import { createTestApi, type TestApi } from '../support/http';
import { fpciInvestment } from '../support/portfolio';
import { secondTreasurer } from '../support/treasury';

/**
 * Fair values, quarter after quarter (IPEV): proposed with technique, inputs
 * and calibration note, approved by another person — the difference with the
 * books posted on the quarter end (2780 / 1071, never the result) —, or
 * rejected and proposed again; in order; none before anything is drawn or
 * after the end, which takes the differences back out.
 */
let api: TestApi;
let controller: string;
beforeAll(async () => {
  api = await createTestApi();
  controller = await secondTreasurer(api, 'controle-fpci@exemple.fr', 'developpement');
});
afterAll(async () => {
  backToToday();
  await api.drop();
});

const fund = '/api/funds/developpement';
const as = (cookie: string, url: string) => request(api.http).post(url).set('Cookie', cookie);
const balanceOf = async (code: string, date: string) =>
  (
    (await request(api.http).get(`${fund}/balances?date=${date}`).set('Cookie', api.cookies.treasurer)).body
      .accounts as { code: string; balance: string }[]
  ).find((account) => account.code === code)?.balance ?? '0.00';
const valuation = (measuredOn: string, value: string, technique = 'recent-investment-price') => ({
  measuredOn,
  technique,
  value,
  inputs: [
    { name: 'Prix du dernier tour', value: '12,50 € par part' },
    { name: 'Ajustement de calibrage', value: '-2 %' },
  ],
  calibrationNote: 'Calibrée sur le prix payé en décembre ; le chiffre d’affaires suit le plan.',
});

it('values an investment each quarter, four eyes, and posts the difference with the books', async () => {
  const id = await fpciInvestment(api, {
    name: 'Prêt participatif — Ferme des Trois Sources',
    amount: '100000.00',
    until: 'held',
  });
  const investment = `${fund}/investments/${id}`;
  const future = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2026-12-31', '110000.00'))
    .expect(400);
  expect(future.body.errors[0]).toMatchObject({ pointer: '/body/measuredOn' });
  const notQuarter = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2026-11-30', '1.00'))
    .expect(400);
  expect(notQuarter.body.errors[0].message).toMatch(/fin de trimestre/);

  travelTo('2027-01-11');
  const before = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2026-09-30', '1.00'))
    .expect(422);
  expect(before.body.detail).toMatch(/Rien n’était encore décaissé/);
  const noInputs = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send({ ...valuation('2026-12-31', '1.00'), inputs: [] })
    .expect(400);
  expect(noInputs.body.errors[0]).toMatchObject({ pointer: '/body/inputs' });

  const proposed = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2026-12-31', '110000.00'))
    .expect(201);
  expect(proposed.body).toMatchObject({
    state: 'proposed',
    value: '110000.00',
    revaluation: null,
    measuredOn: '2026-12-31',
  });
  await as(api.cookies.treasurer, `${investment}/valuations`).send(valuation('2026-12-31', '120000.00')).expect(409);
  const steps = `${fund}/valuations/${proposed.body.id}/steps`;
  const sameHands = await as(api.cookies.treasurer, steps).send({ event: 'APPROVE' }).expect(422);
  expect(sameHands.body.detail).toMatch(/quatre yeux/);
  const approved = await as(controller, steps).send({ event: 'APPROVE' }).expect(200);
  expect(approved.body).toMatchObject({ state: 'approved', revaluation: '10000.00' });
  expect(await balanceOf('2780', '2026-12-31')).toBe('10000.00');
  expect(await balanceOf('1071', '2026-12-31')).toBe('10000.00');
  const file = await request(api.http).get(investment).set('Cookie', api.cookies.treasurer).expect(200);
  expect(file.body).toMatchObject({ carryingValue: '100000.00', bookValue: '110000.00', moic: '1.1' });

  // The next quarter, by multiples, lower: the difference goes down from what the books carry.
  travelTo('2027-04-12');
  const lower = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2027-03-31', '95000.00', 'multiples'))
    .expect(201);
  const rejected = await as(controller, `${fund}/valuations/${lower.body.id}/steps`)
    .send({ event: 'REJECT', reason: 'Le multiple retenu ne tient pas compte de la décote de liquidité.' })
    .expect(200);
  expect(rejected.body).toMatchObject({ state: 'rejected', revaluation: null });
  const again = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2027-03-31', '94000.00', 'multiples'))
    .expect(201);
  await as(controller, `${fund}/valuations/${again.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  expect(await balanceOf('2780', '2027-03-31')).toBe('-6000.00');
  // One live valuation per quarter end.
  const twice = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2026-12-31', '1.00'))
    .expect(409);
  expect(twice.body.detail).toMatch(/existe déjà \(approuvée\)/);

  // Sold in July: the price against cost is realised, the differences of estimation leave the books.
  travelTo('2027-07-15');
  await as(api.cookies.treasurer, `${investment}/end`)
    .send({ how: 'exit', price: '120000.00', soldOn: '2027-07-15' })
    .expect(200);
  expect(await balanceOf('2780', '2027-07-15')).toBe('0.00');
  expect(await balanceOf('1071', '2027-07-15')).toBe('0.00');
  expect(await balanceOf('775', '2027-07-15')).toBe('120000.00');
  expect(await balanceOf('675', '2027-07-15')).toBe('100000.00');
  travelTo('2027-10-05');
  const after = await as(api.cookies.treasurer, `${investment}/valuations`)
    .send(valuation('2027-09-30', '1.00'))
    .expect(422);
  expect(after.body.detail).toMatch(/avait pris fin/);

  const listed = await request(api.http)
    .get(`${fund}/valuations?investmentId=${id}`)
    .set('Cookie', api.cookies.treasurer)
    .expect(200);
  expect(listed.body.valuations.map((one: { state: string }) => one.state)).toEqual([
    'approved',
    'rejected',
    'approved',
  ]);
  // Another fund's treasurer sees none of it.
  await request(api.http).get(`${fund}/valuations`).set('Cookie', api.cookies.guaranteeTreasurer).expect(404);
  expect((await verifyBooks(api.app.db)).problems).toEqual([]);
});
