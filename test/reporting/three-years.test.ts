import request from 'supertest';
import { verifyBooks } from '../../src/books';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { todayInParis } from '../../src/time';
import { shownAmount } from '../../src/web/components';
import { backToToday, travelTo } from '../support/clock';
import { closedClosing, fpciAs, newInvestor, professional, setFpciRules } from '../support/fpci';
import { createTestApi, personas, type TestApi } from '../support/http';
import { pdfText } from '../support/pdf';
import { fpciInvestment } from '../support/portfolio';
import { paidCall } from '../support/reporting';
import { secondTreasurer } from '../support/treasury';

/**
 * Three years of a small fund, quarter after quarter, the calendar moved
 * forward: a dozen investors at two closings, three calls, one investment of
 * each instrument, interest, dividends, repayments, fees, an exit with a gain,
 * a write-off and a distribution; every investment valued at every quarter end
 * by one person and approved by another; twelve quarters closed (each checked
 * against the books to the cent) and reported; the last statements rendered
 * and read back; the Caisse's net IRR equal to one computed here by plain
 * bisection to 1e-6; the books verified.
 */
jest.setTimeout(600_000);
let api: TestApi;
let controller: string;
let reviewer: string;
let publisher: string;
const base = '/api/funds/developpement';
const kyc = { status: 'verified', checkedOn: '2026-11-02', expiresOn: '2031-12-31' };
const post = (cookie: string, url: string) => request(api.http).post(url).set('Cookie', cookie);
const get = (url: string) => request(api.http).get(url).set('Cookie', api.cookies.treasurer);
const cents = (text: string) => BigInt(text.replace('.', ''));

/** A SIREN with its Luhn key, from eight digits. */
function siren(eight: string): string {
  for (let key = 0; key <= 9; key += 1) {
    const digits = `${eight}${key}`.split('').map(Number);
    const sum = digits.reduce((total, digit, index) => {
      const doubled = index % 2 === 1 ? digit * 2 : digit;
      return total + (doubled > 9 ? doubled - 9 : doubled);
    }, 0);
    if (sum % 10 === 0) return `${eight}${key}`;
  }
  throw new Error('no key');
}

const loan = (principal: string, yearlyRate: string, extra: Record<string, unknown> = {}) => ({
  principal,
  yearlyRate,
  dayCount: 'act/365f',
  periodMonths: 12,
  periods: 5,
  gracePeriods: 0,
  amortisation: 'bullet',
  ...extra,
});
const instruments = {
  shares: {
    name: 'Scop du Vercors — actions',
    amount: '200000.00',
    terms: { instrument: 'shares', shares: 1000, pricePerShare: '200.00' },
  },
  bonds: {
    name: 'Obligations vertes 2032',
    amount: '150000.00',
    terms: { instrument: 'bonds', ...loan('150000.00', '0.05') },
  },
  loan: {
    name: 'Prêt participatif — Ressourcerie',
    amount: '100000.00',
    terms: {
      instrument: 'participating-loan',
      ...loan('100000.00', '0.04', { amortisation: 'linear', gracePeriods: 1 }),
    },
  },
  cooperative: {
    name: 'Parts sociales — Coopérative énergie',
    amount: '50000.00',
    terms: { instrument: 'cooperative-shares', shares: 500, nominalPerShare: '100.00', remunerationCap: '0.03' },
  },
  participating: {
    name: 'Titres participatifs — Biocoop locale',
    amount: '120000.00',
    terms: {
      instrument: 'participating-securities',
      ...loan('120000.00', '0.03'),
      variableShare: '0.1',
      variableBasis: 'Résultat net de l’exercice',
    },
  },
  associative: {
    name: 'Titres associatifs — Tiers-lieu',
    amount: '80000.00',
    terms: { instrument: 'associative-securities', ...loan('80000.00', '0.02') },
  },
};
type Held = keyof typeof instruments;

beforeAll(async () => {
  api = await createTestApi();
  controller = await secondTreasurer(api, 'controle-fpci@exemple.fr', 'developpement');
  reviewer = await secondTreasurer(api, 'revue-fpci@exemple.fr', 'developpement');
  publisher = await secondTreasurer(api, 'publication-fpci@exemple.fr', 'developpement');
});
afterAll(async () => {
  backToToday();
  await api.drop();
});

async function investor(name: string, number: number) {
  return newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name,
    siren: siren(String(70000000 + number * 137)),
    kyc,
    eligibility: professional,
  });
}

/** Each investment still held at the quarter end valued by the treasurer and approved by the controller. */
async function valueAll(ids: Record<Held, string>, quarterEnd: string, index: number, ended: Set<Held>) {
  for (const [key, id] of Object.entries(ids) as [Held, string][]) {
    if (ended.has(key)) continue;
    const invested = cents(instruments[key].amount);
    // Shares rise, associative securities fall, the rest move a little around their cost.
    const factor =
      key === 'shares'
        ? 100n + 5n * BigInt(index)
        : key === 'associative'
          ? 100n - 10n * BigInt(index)
          : 100n + BigInt(index % 3);
    const repaid = (await get(`${base}/investments/${id}`).expect(200)).body as { carryingValue: string };
    const valueMinor = (cents(repaid.carryingValue) * factor) / 100n;
    const proposed = await post(api.cookies.treasurer, `${base}/investments/${id}/valuations`)
      .send({
        measuredOn: quarterEnd,
        technique: key === 'shares' ? 'multiples' : 'discounted-cash-flows',
        value: `${valueMinor / 100n}.${String(valueMinor % 100n).padStart(2, '0')}`,
        inputs: [{ name: 'Facteur retenu', value: `${factor} %` }],
        calibrationNote: `Calibrée sur le prix d’entrée (${invested / 100n} €).`,
      })
      .expect(201);
    await post(controller, `${base}/valuations/${proposed.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  }
}

/** Closes the quarter; the holdings add up to the fund on every line; reviewed, approved, published. */
async function closeAndReport(quarterEnd: string) {
  const closed = await post(api.cookies.treasurer, `${base}/quarters/${quarterEnd}/close`).expect(201);
  const body = closed.body as {
    fund: { lines: Record<string, string>; ending: string };
    positions: { lines: Record<string, string>; ending: string }[];
  };
  for (const [line, total] of Object.entries(body.fund.lines))
    expect([line, body.positions.reduce((sum, one) => sum + cents(one.lines[line]!), 0n)]).toEqual([
      line,
      cents(total),
    ]);
  expect(body.positions.reduce((sum, one) => sum + cents(one.ending), 0n)).toBe(cents(body.fund.ending));
  const steps = `${base}/quarters/${quarterEnd}/report-steps`;
  await post(reviewer, steps).send({ event: 'REVIEW' }).expect(200);
  await post(api.cookies.admin, steps).send({ event: 'APPROVE' }).expect(200);
  await post(publisher, steps).send({ event: 'PUBLISH' }).expect(200);
  return body;
}

/** The yearly rate at which these flows are worth nothing today, by plain bisection on floating-point numbers. */
function bisectedIrr(flows: { on: string; amount: number }[]): number {
  const first = Date.parse(flows[0]!.on);
  const value = (rate: number) =>
    flows.reduce(
      (total, flow) => total + flow.amount / (1 + rate) ** ((Date.parse(flow.on) - first) / 86_400_000 / 365),
      0,
    );
  let low = -0.99;
  let high = 10;
  for (let step = 0; step < 200; step += 1) {
    const middle = (low + high) / 2;
    if (Math.sign(value(middle)) === Math.sign(value(low))) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

it('lives three years of a small fund, quarter by quarter, to the cent', async () => {
  travelTo('2027-01-04');
  await setFpciRules(api);
  const caisse = await investor('Caisse Solidaire du Grand Ouest', 1);
  const others = [];
  for (let number = 2; number <= 11; number += 1) others.push(await investor(`Investisseur n° ${number}`, number));
  const team = await investor('Citizen Capital (équipe)', 12);
  const flows: { on: string; amount: number }[] = [];
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    ...others.map((investorId, index) => ({ investorId, classCode: 'A', units: 1000 + 100 * index })),
    { investorId: team, classCode: 'B', units: 300 },
  ]);
  flows.push({ on: todayInParis(), amount: -6000 }); // 2 % of premium on 300 000 € of commitment.
  await fpciAs(api, 'treasurer', 'post', `${base}/investors/${caisse}/contacts`)
    .send({ email: personas.investor, displayName: 'Marc' })
    .expect(201);
  const everyone = [caisse, ...others, team];

  travelTo('2027-01-11');
  await paidCall(api, '0.25', everyone);
  flows.push({ on: todayInParis(), amount: -75_000 });
  const ids = {} as Record<Held, string>;
  for (const key of Object.keys(instruments) as Held[])
    ids[key] = await fpciInvestment(api, { ...instruments[key], until: 'held' });
  const ended = new Set<Held>();
  const receipt = (key: Held, kind: string, amount: string) =>
    post(api.cookies.treasurer, `${base}/investments/${ids[key]}/receipts`)
      .set('Idempotency-Key', `${key}-${kind}-${todayInParis()}`)
      .send({ kind, amount, receivedOn: todayInParis() })
      .expect(201);
  const expense = (kind: string, amount: string, settlement = 'bank') =>
    post(api.cookies.treasurer, `${base}/expenses`)
      .set('Idempotency-Key', `${kind}-${todayInParis()}`)
      .send({ kind, amount, incurredOn: todayInParis(), label: 'Trimestre', settlement })
      .expect(201);

  const quarterEnds = ['03-31', '06-30', '09-30', '12-31'];
  let index = 0;
  let last: Awaited<ReturnType<typeof closeAndReport>> | undefined;
  for (const year of [2027, 2028, 2029])
    for (const [quarter, monthDay] of quarterEnds.entries()) {
      const midQuarter = `${year}-${String(quarter * 3 + 2).padStart(2, '0')}-10`;
      travelTo(midQuarter);
      await expense('management-fee', '9000.00');
      if (quarter === 0) await expense('fund-expense', '6000.00', 'payable');
      if (quarter === 3) {
        await receipt('bonds', 'interest', '7500.00');
        await receipt('participating', 'interest', '3600.00');
        if (!ended.has('loan')) await receipt('loan', 'interest', '4000.00');
      }
      if (quarter === 1) await receipt('cooperative', 'dividend', '1500.00');
      if (year === 2027 && quarter === 1) {
        // A second closing: two newcomers catch up with the 25 % called, and pay 2 % of premium.
        const newcomers = [await investor('Mutuelle des territoires', 13), await investor('Fondation du littoral', 14)];
        await closedClosing(
          api,
          newcomers.map((investorId) => ({ investorId, classCode: 'A', units: 1000 })),
        );
        everyone.push(...newcomers);
      }
      if (year === 2027 && quarter === 2) {
        await paidCall(api, '0.25', everyone);
        flows.push({ on: todayInParis(), amount: -75_000 });
      }
      if (year === 2028 && quarter === 0) {
        await paidCall(api, '0.2', everyone);
        flows.push({ on: todayInParis(), amount: -60_000 });
      }
      if (year >= 2028 && quarter === 3) await receipt('loan', 'repayment', '25000.00');
      if (year === 2028 && quarter === 2) {
        await expense('management-fee-offset', '1000.00');
        await post(api.cookies.treasurer, `${base}/investments/${ids.associative}/end`)
          .send({ how: 'write-off', reason: 'L’association a cessé son activité.' })
          .expect(200);
        ended.add('associative');
      }
      if (year === 2029 && quarter === 1) {
        await expense('internal-chargeback', '500.00');
        await post(api.cookies.treasurer, `${base}/investments/${ids.shares}/end`)
          .send({ how: 'exit', price: '300000.00', soldOn: todayInParis() })
          .expect(200);
        ended.add('shares');
      }
      if (year === 2029 && quarter === 2) {
        const drafted = await post(api.cookies.treasurer, `${base}/distributions`)
          .send({ classCodes: ['A'], amount: '250000.00', income: '0.00' })
          .expect(201);
        const steps = `${base}/distributions/${drafted.body.id}/steps`;
        await post(api.cookies.admin, steps).send({ event: 'APPROVE' }).expect(200);
        const booked = await post(api.cookies.treasurer, steps).send({ event: 'BOOK' }).expect(200);
        const own = (booked.body.investors as { investorId: string; total: string }[]).find(
          (one) => one.investorId === caisse,
        )!;
        flows.push({ on: todayInParis(), amount: Number(own.total) });
      }
      const quarterEnd = `${year}-${monthDay}`;
      travelTo(`${year + (quarter === 3 ? 1 : 0)}-${String(((quarter + 1) % 4) * 3 + 1).padStart(2, '0')}-06`);
      index += 1;
      await valueAll(ids, quarterEnd, index, ended);
      last = await closeAndReport(quarterEnd);
    }

  // The last quarter as the team reads it: the Caisse's IRR against the one computed here.
  const final = (await get(`${base}/quarters/2029-12-31`).expect(200)).body;
  const own = final.performance.investors.find((one: { investorId: string }) => one.investorId === caisse);
  const nav = (last!.positions as unknown as { investorId: string; ending: string }[]).find(
    (one) => one.investorId === caisse,
  )!;
  expect(own.nav).toBe(nav.ending);
  flows.push({ on: '2029-12-31', amount: Number(nav.ending) });
  expect(own.irr.defined).toBe(true);
  expect(Math.abs(Number(own.irr.rate) - bisectedIrr(flows))).toBeLessThan(1e-6);
  expect(final.performance.gross.irr.defined).toBe(true);

  // The last statements, rendered and read back: the Caisse's since inception adds up.
  const queued = (await api.app.db('outbox').where('job_name', 'document.render').pluck('payload')) as RenderRequest[];
  const closeId = (await api.app.db('quarter_closes').where({ quarter_end: '2029-12-31' }).first('id')).id as string;
  const lastStatements = queued.filter(
    (one) => one.kind === 'quarterly-statement' && one.subjectId.startsWith(closeId),
  );
  expect(lastStatements).toHaveLength(everyone.length);
  for (const payload of lastStatements) await renderDocument(api.app.db, documentKinds, payload);
  const document = await api.app
    .db('documents')
    .where('document_key', `quarterly-statement:${closeId}:${caisse}`)
    .first('content');
  const text = (await pdfText(document.content)).replace(/\s+/g, ' ');
  expect(text).toContain('Relevé de compte de capital au 31 décembre 2029');
  expect(text).toContain('+ Appels de fonds (apports) 0,00 € 0,00 € 210 000,00 €');
  expect(text).toContain('Votre valeur liquidative et vos apports');
  expect(text).toContain(
    `Valeur liquidative de clôture ${Number(nav.ending).toLocaleString('fr-FR', { minimumFractionDigits: 2 }).replace(/\s/g, ' ')} €`,
  );
  // Marc's page of it: the same ending, and the chart of its twelve quarters with their numbers.
  const page = await request(api.http)
    .get(`/investissement/releves/${caisse}/2029-12-31`)
    .set('Cookie', api.cookies.investor)
    .expect(200);
  const chart = page.text.slice(page.text.indexOf('<figure class="chart">'), page.text.indexOf('</figure>'));
  expect(chart).toContain('<svg');
  expect(chart.match(/<tr><td>3[01] (mars|juin|septembre|décembre) 20\d\d<\/td>/g)).toHaveLength(12);
  expect(chart).toContain(`<td class="amount">${shownAmount(nav.ending)}</td>`);
  expect((await verifyBooks(api.app.db)).problems).toEqual([]);
});
