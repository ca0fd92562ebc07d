import { addBusinessDays } from '../../src/business-days';
import request from 'supertest';
import { documentKinds } from '../../src/document-kinds';
import { renderDocument, type RenderRequest } from '../../src/documents/service';
import { lateInterestMinor } from '../../src/fpci/interest';
import { formatFrenchDay } from '../../src/time';
import { pdfText } from '../support/pdf';
import { getCall } from '../../src/fpci/calls';
import { principalOf } from '../../src/identity/service';
import { createTestApi, personas, type TestApi } from '../support/http';
import {
  closedClosing,
  dayOffset,
  fpciAs,
  newInvestor,
  professional,
  setFpciRules,
  today,
  verifiedKyc,
} from '../support/fpci';

/**
 * Capital calls of the FPCI: every unit of a class called the same amount, to
 * the cent; each investor's amount split by purpose summing to the call; four
 * eyes; the notice period in French business days; never above the uncalled
 * commitment, even asked twice at once; payments partial, never over, replayed
 * once; late interest day by day; a later subscriber's catch-up; the books
 * equal to the registers.
 */
let api: TestApi;
let caisse: string;
let team: string;
let balancesBefore: Map<string, bigint>;
const balancesNow = async () => {
  const answer = await fpciAs(api, 'treasurer', 'get', '/api/funds/developpement/balances').expect(200);
  return new Map<string, bigint>(
    answer.body.accounts.map((account: { code: string; balance: string }) => [
      account.code,
      BigInt(account.balance.replace('.', '')),
    ]),
  );
};
const as = (persona: 'admin' | 'treasurer', method: 'get' | 'post', path: string) => fpciAs(api, persona, method, path);
const calls = '/api/funds/developpement/capital-calls';

beforeAll(async () => {
  api = await createTestApi();
  await setFpciRules(api);
  // The demo's own opening movements in the fund stay as they are: the calls' are measured against them.
  balancesBefore = await balancesNow();
  caisse = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Caisse Solidaire du Grand Ouest',
    siren: '552100554',
    kyc: verifiedKyc,
    eligibility: { route: 'ticket-100k', details: null, recordedOn: dayOffset(-20) },
  });
  team = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Citizen Capital (équipe)',
    siren: '812345676',
    kyc: verifiedKyc,
    eligibility: professional,
  });
  // 333 333 units: a third of a cent per unit would not fall on a cent, a tenth does.
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3333 },
    { investorId: team, classCode: 'B', units: 40 },
  ]);
});
afterAll(() => api.drop());

const dueIn = (days: number) => addBusinessDays(today, days);

it('calls every unit of a class the same amount, split by purpose to the cent, four eyes, with its notice', async () => {
  const notOnACent = await as('treasurer', 'post', calls)
    .send({
      classShares: [{ classCode: 'A', share: '0.123456' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: dueIn(10),
    })
    .expect(400);
  expect(notOnACent.body.errors[0].pointer).toBe('/body/classShares/0/share');

  const drafted = await as('treasurer', 'post', calls)
    .send({
      classShares: [
        { classCode: 'A', share: '0.1' },
        { classCode: 'B', share: '0.1' },
      ],
      purposes: [
        { purpose: 'investment', weight: '0.7' },
        { purpose: 'management-fee', weight: '0.2' },
        { purpose: 'fund-expenses', weight: '0.1' },
      ],
      dueOn: dueIn(10),
    })
    .expect(201);
  const call = `${calls}/${drafted.body.id}`;
  // 3 333 units × 10,00 €, split 70/20/10 exactly: 23 331,00 + 6 666,00 + 3 333,00.
  expect(drafted.body.investors).toEqual([
    expect.objectContaining({
      investor: 'Caisse Solidaire du Grand Ouest',
      due: '33330.00',
      byPurpose: {
        investment: '23331.00',
        'management-fee': '6666.00',
        'fund-expenses': '3333.00',
        'organisation-costs': '0.00',
      },
    }),
    expect.objectContaining({ investor: 'Citizen Capital (équipe)', due: '400.00' }),
  ]);
  expect(drafted.body.totals.due).toBe('33730.00');
  expect((await as('treasurer', 'post', `${call}/steps`).send({ event: 'APPROVE' }).expect(422)).body.detail).toMatch(
    /quatre yeux/,
  );
  await as('admin', 'post', `${call}/steps`).send({ event: 'APPROVE' }).expect(200);
  const issued = await as('treasurer', 'post', `${call}/steps`).send({ event: 'ISSUE' }).expect(200);
  expect(issued.body).toMatchObject({ state: 'issued', issuedOn: today });

  // One notice per investor, queued with the issue; rendered, it says the investor's figures in French.
  const queued = await api.app.db('outbox').where('job_name', 'document.render').select('payload');
  const notices = queued
    .map((row: { payload: RenderRequest }) => row.payload)
    .filter(
      (payload) => payload.kind === 'capital-call-notice' && payload.subjectId.startsWith(String(drafted.body.id)),
    );
  expect(notices).toHaveLength(2);
  const caisseNotice = notices.find((payload) => payload.subjectId.endsWith(caisse))!;
  const rendered = await renderDocument(api.app.db, documentKinds, caisseNotice);
  const document = await api.app.db('documents').where('id', rendered.id).first('content', 'sha256');
  const text = await pdfText(document.content);
  expect(text).toContain('Avis d’appel de fonds n° 1');
  expect(text).toContain('Caisse Solidaire du Grand Ouest');
  expect(text).toContain('Cet appel 33 330,00 €');
  expect(text).toContain('Non appelé après cet appel 299 970,00 €');
  expect(text).toContain('Investissements 23 331,00 €');
  expect(text).toContain(`au plus tard le ${formatFrenchDay(dueIn(10))}`);
  expect(text).toContain('Votre part des engagements du fonds 98,81 %');
  // The investor's contacts read it; another investor's do not.
  const documentUrl = `/api/documents/${rendered.id}`;
  await request(api.http).get(documentUrl).set('Cookie', api.cookies.investor).expect(404);
  await as('treasurer', 'post', `/api/funds/developpement/investors/${caisse}/contacts`)
    .send({ email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' })
    .expect(201);
  const read = await request(api.http).get(documentUrl).set('Cookie', api.cookies.investor).expect(200);
  expect(read.headers['x-content-sha256']).toBe(document.sha256);
  // The investor's space links to it.
  const mine = await request(api.http).get('/api/me/investments').set('Cookie', api.cookies.investor).expect(200);
  expect(mine.body.positions[0].calls[0]).toMatchObject({ number: 1, noticeDocumentId: rendered.id, status: 'unpaid' });
  const space = await request(api.http).get('/investissement').set('Cookie', api.cookies.investor).expect(200);
  expect(space.text).toContain(`href="${documentUrl}"`);

  // Five business days are not the ten the rules ask, unless the call says why.
  const short = {
    classShares: [{ classCode: 'A', share: '0.05' }],
    purposes: [{ purpose: 'investment', weight: '1' }],
    dueOn: dueIn(5),
  };
  const hurried = await as('treasurer', 'post', calls).send(short).expect(201);
  await as('admin', 'post', `${calls}/${hurried.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  const refused = await as('treasurer', 'post', `${calls}/${hurried.body.id}/steps`)
    .send({ event: 'ISSUE' })
    .expect(422);
  expect(refused.body.detail).toContain(dueIn(10));
  await as('treasurer', 'post', `${calls}/${hurried.body.id}/steps`).send({ event: 'CANCEL' }).expect(200);
  const explained = await as('treasurer', 'post', calls)
    .send({ ...short, shortNoticeReason: 'Closing de la participation avancé par le cédant' })
    .expect(201);
  await as('admin', 'post', `${calls}/${explained.body.id}/steps`).send({ event: 'APPROVE' }).expect(200);
  await as('treasurer', 'post', `${calls}/${explained.body.id}/steps`).send({ event: 'ISSUE' }).expect(200);
  // Never due before it is issued, whatever the reason: the investors would be late at once.
  const backdated = await as('treasurer', 'post', calls)
    .send({ ...short, dueOn: '2020-01-02', shortNoticeReason: 'Régularisation' })
    .expect(400);
  expect(backdated.body.errors).toEqual([
    expect.objectContaining({ pointer: '/body/dueOn', message: expect.stringContaining(today) }),
  ]);
});

it('never calls more than the uncalled commitment, even asked twice at once', async () => {
  const body = {
    classShares: [{ classCode: 'A', share: '0.5' }],
    purposes: [{ purpose: 'investment', weight: '1' }],
    dueOn: dueIn(12),
  };
  const answers = await Promise.all([
    as('treasurer', 'post', calls).send(body),
    as('treasurer', 'post', calls).send(body),
  ]);
  expect(answers.map((answer) => answer.status).sort()).toEqual([201, 422]);
  const refused = answers.find((answer) => answer.status === 422)!;
  expect(refused.body.detail).toMatch(/au-delà de l’engagement non appelé/);
  const drafted = answers.find((answer) => answer.status === 201)!;
  await as('treasurer', 'post', `${calls}/${drafted.body.id}/steps`).send({ event: 'CANCEL' }).expect(200);
});

it('books payments as they come, partial, never over, once; late ones bear interest day by day', async () => {
  const drafted = await as('treasurer', 'post', calls)
    .send({
      classShares: [{ classCode: 'A', share: '0.2' }],
      purposes: [{ purpose: 'investment', weight: '1' }],
      dueOn: dueIn(10),
    })
    .expect(201);
  const call = `${calls}/${drafted.body.id}`;
  await as('admin', 'post', `${call}/steps`).send({ event: 'APPROVE' }).expect(200);
  await as('treasurer', 'post', `${call}/steps`).send({ event: 'ISSUE' }).expect(200);
  const pay = (key: string, amount: string, receivedOn: string) =>
    as('treasurer', 'post', `${call}/payments`)
      .set('Idempotency-Key', key)
      .send({ investorId: caisse, amount, receivedOn });
  await pay('virement-1', '40000.00', today).expect(201);
  const partly = await pay('virement-1', '40000.00', today).expect(200);
  expect((await pay('virement-1', '40001.00', today).expect(409)).body.detail).toMatch(/clé d'idempotence/);
  expect(partly.body.investors[0]).toMatchObject({
    due: '66660.00',
    paid: '40000.00',
    outstanding: '26660.00',
    status: 'partly-paid',
  });
  expect((await pay('virement-2', '30000.00', today).expect(422)).body.detail).toMatch(/26\s660,00/);
  expect((await pay('virement-3', '10.00', dayOffset(1)).expect(400)).body.errors[0].pointer).toBe('/body/receivedOn');

  // Thirty days after the due date, the rest still unpaid: interest at 5 % a year on it.
  const admin = (await principalOf(
    api.app.db,
    String((await api.app.db('users').where('email', personas.admin).first('id')).id),
    'session',
  ))!;
  const later = await getCall(api.app.db, 'developpement', drafted.body.id, admin, dayOffset(60));
  const caisseLine = later.investors.find((line) => line.investorId === caisse)!;
  expect(caisseLine.status).toBe('late');
  const dueOn = String(drafted.body.dueOn);
  expect(caisseLine.lateInterest).toBe(
    (Number(lateInterestMinor(2_666_000n, dueOn, [], dayOffset(60), '0.05')) / 100).toFixed(2),
  );
  await pay('virement-2', '26660.00', today).expect(201);
});

it('computes late interest on what remains unpaid, day by day, rounded once', () => {
  // 10 000,00 € due 1 January; 5 000,00 € paid on 31 January; on 2 March: 30 days on 10 000 and 30 on 5 000 at 5 %.
  expect(
    lateInterestMinor(
      1_000_000n,
      '2026-01-01',
      [{ amountMinor: 500_000n, receivedOn: '2026-01-31' }],
      '2026-03-02',
      '0.05',
    ),
  ).toBe(6164n);
  expect(
    lateInterestMinor(
      1_000_000n,
      '2026-01-01',
      [{ amountMinor: 1_000_000n, receivedOn: '2025-12-30' }],
      '2026-03-02',
      '0.05',
    ),
  ).toBe(0n);
  expect(lateInterestMinor(1_000_000n, '2026-01-01', [], '2025-12-01', '0.05')).toBe(0n);
});

it('has a later subscriber pay the catch-up to the class’s paid-up level, and keeps the books equal to the registers', async () => {
  const late = await newInvestor(api, 'developpement', {
    kind: 'legal-person',
    name: 'Banque des Territoires (test)',
    siren: '404833048',
    kyc: verifiedKyc,
    eligibility: professional,
  });
  // Called so far: 35,00 € a unit of A (10 % + 5 % + 20 %), 10,00 € a unit of B; the team keeps its carry at 1 %.
  const second = await closedClosing(api, [
    { investorId: late, classCode: 'A', units: 2000 },
    { investorId: team, classCode: 'B', units: 20 },
  ]);
  expect(second).toMatchObject({
    number: 2,
    totals: { commitment: '202000.00', catchUp: '70200.00', premium: '4000.00' },
  });
  const after = await balancesNow();
  const balance = (code: string) => {
    const moved = (after.get(code) ?? 0n) - (balancesBefore.get(code) ?? 0n);
    return `${moved / 100n}.${String(moved % 100n).padStart(2, '0')}`;
  };
  // Subscribed 539 300; called 33 730 + 16 665 + 66 660 + 70 200 (catch-ups) = 187 255; paid 66 660.
  expect(balance('1013')).toBe('66660.00');
  expect(balance('1012')).toBe('120595.00');
  expect(balance('1011')).toBe('352045.00');
  // Premiums: 2 % of 333 300 at the first closing, of 200 000 at the second.
  expect(balance('1041')).toBe('10666.00');
  expect((await as('admin', 'get', '/api/admin/ledger/verification').expect(200)).body.ok).toBe(true);
});
