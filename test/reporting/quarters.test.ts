import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { verifyBooks } from '../../src/books';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { backToToday, travelTo } from '../support/clock';
import { createTestApi, type TestApi } from '../support/http';
import { pdfText } from '../support/pdf';
import { fpciInvestment } from '../support/portfolio';
import { paidCall, paidExpense, smallFund } from '../support/reporting';
import { secondTreasurer } from '../support/treasury';

/**
 * A quarter closed and reported: refused while an investment lacks its
 * valuation; closed, each holding's capital account rolls forward to the
 * cent and the holdings add up to the fund's net assets in the books; NAV per
 * unit per class; the quarter's months closed; the report reviewed, approved
 * and published by three other people; each investor's statement rendered,
 * read back, and seen by its own contacts only.
 */
let api: TestApi;
let controller: string;
let reviewer: string;
let publisher: string;
let fund: Awaited<ReturnType<typeof smallFund>>;
const base = '/api/funds/developpement';
const quarter = `${base}/quarters/2026-12-31`;
const as = (cookie: string, method: 'get' | 'post', url: string) =>
  request(api.http)[method](url).set('Cookie', cookie);

beforeAll(async () => {
  api = await createTestApi();
  controller = await secondTreasurer(api, 'controle-fpci@exemple.fr', 'developpement');
  reviewer = await secondTreasurer(api, 'revue-fpci@exemple.fr', 'developpement');
  publisher = await secondTreasurer(api, 'publication-fpci@exemple.fr', 'developpement');
  fund = await smallFund(api);
});
afterAll(async () => {
  backToToday();
  await api.drop();
});

it('closes a quarter once valued, to the cent, and publishes each investor its statement', async () => {
  // December 2026: 40 % called and paid (162 000 €), a loan of 100 000 € drawn, a fee paid, interest received.
  await paidCall(api, '0.4', fund.investors);
  const loan = await fpciInvestment(api, {
    name: 'Prêt participatif — Scop du Vercors',
    amount: '100000.00',
    until: 'held',
  });
  await paidExpense(api, 'management-fee', '4000.00', 'frais-t4');
  await as(api.cookies.treasurer, 'post', `${base}/investments/${loan}/receipts`)
    .set('Idempotency-Key', 'interets-t4')
    .send({ kind: 'interest', amount: '1500.00', receivedOn: new Date().toISOString().slice(0, 10) })
    .expect(201);
  const early = await as(api.cookies.treasurer, 'post', `${quarter}/close`).expect(422);
  expect(early.body.detail).toMatch(/n’est pas terminé/);

  travelTo('2027-01-12');
  const open = await as(api.cookies.treasurer, 'get', quarter).expect(200);
  expect(open.body).toMatchObject({ closed: false, missingValuations: ['Prêt participatif — Scop du Vercors'] });
  const refused = await as(api.cookies.treasurer, 'post', `${quarter}/close`).expect(422);
  expect(refused.body.detail).toMatch(/il manque la valorisation approuvée de : Prêt participatif — Scop du Vercors/);
  const valuation = await as(api.cookies.treasurer, 'post', `${base}/investments/${loan}/valuations`)
    .send({
      measuredOn: '2026-12-31',
      technique: 'discounted-cash-flows',
      value: '103000.00',
      inputs: [{ name: 'Taux d’actualisation', value: '3,2 %' }],
      calibrationNote: 'Le taux qui redonne le prix de décembre, ajusté de la baisse des taux depuis.',
    })
    .expect(201);
  await as(controller, 'post', `${base}/valuations/${valuation.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);

  const closed = await as(api.cookies.treasurer, 'post', `${quarter}/close`).expect(201);
  // 162 000 called − 4 000 fees + 1 500 interest + 3 000 unrealised + 8 000 of premiums (2 % of the A units'
  // commitments, by the rules) = 170 500 €, as the books say.
  expect(closed.body.fund).toMatchObject({
    beginning: '0.00',
    ending: '170500.00',
    lines: {
      contributions: '162000.00',
      managementFees: '4000.00',
      income: '1500.00',
      unrealisedGains: '3000.00',
      other: '8000.00',
    },
  });
  const positions = closed.body.positions as { investorId: string; ending: string; lines: Record<string, string> }[];
  const cents = (text: string) => BigInt(text.replace('.', ''));
  expect(positions.reduce((total, one) => total + cents(one.ending), 0n)).toBe(17_050_000n);
  for (const line of ['managementFees', 'income', 'unrealisedGains', 'other'])
    expect(positions.reduce((total, one) => total + cents(one.lines[line]!), 0n)).toBe(
      cents(closed.body.fund.lines[line]),
    );
  // The Caisse's share of each movement, by the capital it has at work (120 000 of 162 000), split exactly.
  expect(positions.find((one) => one.investorId === fund.caisse)).toMatchObject({
    ending: '126296.30',
    lines: { managementFees: '2962.96', income: '1111.11', unrealisedGains: '2222.22', other: '5925.93' },
  });
  expect(closed.body.classes).toEqual([
    { classCode: 'A', units: 4000, nav: '168395.06', navPerUnit: '42.098765' },
    { classCode: 'B', units: 50, nav: '2104.94', navPerUnit: '42.098800' },
  ]);
  expect(closed.body.report.state).toBe('draft');
  await as(api.cookies.treasurer, 'post', `${quarter}/close`).expect(409);
  // December is closed in the books: nothing more is dated in it.
  const late = await request(api.http)
    .post(`${base}/expenses`)
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', 'frais-en-retard')
    .send({ kind: 'fund-expense', amount: '10.00', incurredOn: '2026-12-20', label: 'Oubli', settlement: 'bank' });
  expect([409, 422]).toContain(late.status);

  // Closed but not published: Marc has no statement to read yet.
  const caisseStatement = `/api/me/statements/${fund.caisse}/2026-12-31`;
  await as(api.cookies.investor, 'get', caisseStatement).expect(404);

  // Reviewed, approved and published, each by someone who took no earlier step.
  const steps = `${quarter}/report-steps`;
  const ownWork = await as(api.cookies.treasurer, 'post', steps).send({ event: 'REVIEW' }).expect(422);
  expect(ownWork.body.detail).toMatch(/aucune des précédentes/);
  await as(reviewer, 'post', steps).send({ event: 'REVIEW' }).expect(200);
  await as(reviewer, 'post', steps).send({ event: 'APPROVE' }).expect(422);
  // Out of turn: not yet approved.
  await as(controller, 'post', steps).send({ event: 'PUBLISH' }).expect(409);
  await as(controller, 'post', steps).send({ event: 'APPROVE' }).expect(200);
  const published = await as(publisher, 'post', steps).send({ event: 'PUBLISH' }).expect(200);
  expect(published.body.report.state).toBe('published');

  const queued = (await api.app.db('outbox').where('job_name', 'document.render').pluck('payload')) as RenderRequest[];
  const statements = queued.filter((payload) => payload.kind === 'quarterly-statement');
  expect(statements).toHaveLength(3);
  const rendered = new Map<string, string>();
  for (const payload of statements)
    rendered.set(payload.subjectId.split('.')[1]!, (await renderDocument(api.app.db, documentKinds, payload)).id);
  const document = await api.app.db('documents').where('id', rendered.get(fund.caisse)).first('content', 'sha256');
  const text = (await pdfText(document.content)).replace(/\s+/g, ' ');
  for (const line of [
    'Relevé de compte de capital au 31 décembre 2026',
    'Caisse Solidaire du Grand Ouest',
    'Valeur liquidative d’ouverture 0,00 € 0,00 € 0,00 €',
    '+ Appels de fonds (apports) 120 000,00 € 120 000,00 € 120 000,00 €',
    '− Frais de gestion (bruts) 2 962,96 €',
    '+ Autres (primes de souscription) 5 925,93 €',
    'Valeur liquidative de clôture 126 296,30 € 126 296,30 € 126 296,30 €',
    'Engagement 300 000,00 €',
    'Non appelé en fin de période 180 000,00 €',
    'A 3000 42,098765 € 126 296,30 €',
    'Prêt participatif — Scop du Vercors Prêt participatif 100 000,00 € 103 000,00 € 1,0450x',
  ])
    expect(text).toContain(line);
  // Net IRR: −126 000 € on 7 December (the call and the premium), 126 296,30 € of NAV on 31 December.
  const irr = (126_296.3 / 126_000) ** (365 / 24) - 1;
  expect(text).toContain(`${(irr * 100).toFixed(2).replace('.', ',')} %`);

  // Marc signs in for the Caisse: he is told, finds its statement, and not the Bank's.
  const mine = await as(api.cookies.investor, 'get', '/api/me/statements').expect(200);
  expect(mine.body.statements).toEqual([
    expect.objectContaining({
      quarterEnd: '2026-12-31',
      investorId: fund.caisse,
      documentId: rendered.get(fund.caisse),
    }),
  ]);
  await as(api.cookies.investor, 'get', `/api/documents/${rendered.get(fund.caisse)}`).expect(200);
  // Its figures, as the PDF's: the frozen account, its performance beside the fund's, the portfolio.
  const figures = await as(api.cookies.investor, 'get', caisseStatement).expect(200);
  expect(figures.body).toMatchObject({
    investor: { id: fund.caisse, name: 'Caisse Solidaire du Grand Ouest' },
    documentId: rendered.get(fund.caisse),
    commitment: '300000.00',
    unfundedEnding: '180000.00',
    classes: [{ classCode: 'A', units: 3000, nav: '126296.30', navPerUnit: '42.098765' }],
    performance: { investor: { paidIn: '126000.00', nav: '126296.30' }, fund: { nav: '170500.00' } },
    gross: { investments: [{ name: 'Prêt participatif — Scop du Vercors', value: '103000.00', moic: '1.0450' }] },
    history: [{ quarterEnd: '2026-12-31', nav: '126296.30' }],
  });
  expect(figures.body.columns.sinceInception).toMatchObject({
    beginning: '0.00',
    lines: { contributions: '120000.00', managementFees: '2962.96', other: '5925.93' },
    ending: '126296.30',
  });
  expect(Number(figures.body.performance.investor.irr.rate)).toBeCloseTo(irr, 6);
  // Multiples and IRR read the same flows: paid in is the call and the premium (126 296,30 / 126 000).
  expect(figures.body.performance.investor.tvpi).toBe('1.0024');
  for (const who of [figures.body.performance.investor, figures.body.performance.fund])
    expect(Number(who.tvpi) > 1).toBe(Number(who.irr.rate) > 0);
  await as(api.cookies.investor, 'get', `/api/me/statements/${fund.banque}/2026-12-31`).expect(404);
  await as(api.cookies.treasurer, 'get', caisseStatement).expect(403);
  await as(api.cookies.investor, 'get', `/api/documents/${rendered.get(fund.banque)}`).expect(404);
  const inbox = await as(api.cookies.investor, 'get', '/api/me/notifications').expect(200);
  expect(inbox.body.notifications).toContainEqual(
    expect.objectContaining({ link: '/investissement/releves', title: expect.stringMatching(/relevé trimestriel/) }),
  );
  expect((await verifyBooks(api.app.db)).problems).toEqual([]);
});

it('gives the half-year’s statement of assets, as PDF and CSV, due eight weeks after, overdue when not produced', async () => {
  const list = await as(api.cookies.treasurer, 'get', `${base}/assets-statements`).expect(200);
  expect(list.body.statements).toEqual([
    { halfYearEnd: '2026-12-31', dueOn: '2027-02-25', documentId: null, overdue: false },
  ]);
  const statement = await as(api.cookies.treasurer, 'get', `${base}/assets-statements/2026-12-31`).expect(200);
  // The loan at its value; the bank; the premiums still owed; what the fund owes the Scop for its drawdown.
  expect(statement.body).toMatchObject({
    inventory: [{ name: 'Prêt participatif — Scop du Vercors', quantity: null, cost: '100000.00', value: '103000.00' }],
    portfolio: '103000.00',
    cash: '159500.00',
    receivables: '8000.00',
    payables: '100000.00',
    netAssets: '170500.00',
    addsUp: true,
    classes: [
      { classCode: 'A', units: 4000, navPerUnit: '42.098765' },
      { classCode: 'B', units: 50, navPerUnit: '42.098800' },
    ],
    offBalanceSheet: { uncalledCommitments: '243000.00', undrawnInvestments: '0.00', guarantees: '0.00' },
  });
  await as(api.cookies.treasurer, 'get', `${base}/assets-statements/2027-03-31`).expect(400);
  await as(api.cookies.guaranteeTreasurer, 'get', `${base}/assets-statements/2026-12-31`).expect(404);

  const csv = await as(api.cookies.treasurer, 'get', `${base}/assets-statements/2026-12-31/file?format=csv`).expect(
    200,
  );
  const rows: string[][] = parse(csv.text, { delimiter: ';' });
  expect(rows).toContainEqual([
    'inventaire',
    'Prêt participatif — Scop du Vercors (prêt participatif)',
    '',
    '100000,00',
    '103000,00',
  ]);
  expect(rows).toContainEqual(['actif_net', 'Actif net', '', '', '170500,00']);
  expect(rows).toContainEqual(['parts', 'Parts A', '4000', '42,098765', '168395,06']);
  expect(rows).toContainEqual(['hors_bilan', 'Engagements des porteurs non appelés', '', '', '243000,00']);
  const pdf = await as(api.cookies.treasurer, 'get', `${base}/assets-statements/2026-12-31/file`)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, ' ');
  expect(text).toContain('Composition de l’actif au 31 décembre 2026');
  expect(text).toContain('Actif net 170 500,00 €');
  expect(text).toContain('Engagements des porteurs non appelés 243 000,00 €');

  // Not produced eight weeks after: overdue; produced, kept with its hash, and no longer.
  travelTo('2027-03-01');
  const late = await as(api.cookies.treasurer, 'get', `${base}/assets-statements`).expect(200);
  expect(late.body.statements[0]).toMatchObject({ overdue: true });
  await as(api.cookies.treasurer, 'post', `${base}/assets-statements/2026-12-31/produce`).expect(202);
  const queued = (await api.app.db('outbox').where('job_name', 'document.render').pluck('payload')) as RenderRequest[];
  const produced = await renderDocument(
    api.app.db,
    documentKinds,
    queued.find((one) => one.kind === 'assets-statement')!,
  );
  const done = await as(api.cookies.treasurer, 'get', `${base}/assets-statements`).expect(200);
  expect(done.body.statements[0]).toMatchObject({ documentId: produced.id, overdue: false });
  await as(api.cookies.investor, 'get', `/api/documents/${produced.id}`).expect(404);
  await as(api.cookies.treasurer, 'get', `/api/documents/${produced.id}`).expect(200);
});
