import { ensureFund } from '../../src/ledger/funds';
import { fpciAs, dayOffset, fpciRules, newInvestor, today, verifiedKyc } from '../support/fpci';
import { createTestApi, type TestApi } from '../support/http';

/**
 * The FPCI's rules as dated data, its investors with KYC and eligibility, and a
 * closing taken from open to closed by two people: the premium of the day's
 * schedule charged, the ineligible refused with the rule quoted, the carry
 * floor checked, the commitments booked; then a fourth vehicle, a citizen fund,
 * set up by configuration alone.
 */
let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.drop());

const as = (persona: 'admin' | 'treasurer', method: 'get' | 'post' | 'patch', path: string) =>
  fpciAs(api, persona, method, path);
const investor = (fundId: string, body: Record<string, unknown>) => newInvestor(api, fundId, body);
const verified = verifiedKyc;

it('keeps the rules as dated versions, a later one never taking effect before an earlier one', async () => {
  const first = await as('admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({ effectiveFrom: dayOffset(-200), reason: 'Règlement du fonds, version initiale', rules: fpciRules })
    .expect(201);
  expect(first.body).toMatchObject({ version: 1, effectiveFrom: dayOffset(-200) });
  const early = await as('admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({ effectiveFrom: dayOffset(-300), reason: 'Trop tôt', rules: fpciRules })
    .expect(422);
  expect(early.body.detail).toContain(dayOffset(-200));
  const badRules = await as('admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({
      effectiveFrom: today,
      reason: 'Mauvaise version',
      rules: {
        ...fpciRules,
        unitClasses: [fpciRules.unitClasses[0], fpciRules.unitClasses[0]],
        carryFloorShare: '1.5',
      },
    })
    .expect(400);
  expect(badRules.body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual([
    '/body/rules/carryFloorShare',
    '/body/rules/carryFloorShare',
    '/body/rules/unitClasses',
  ]);
  const inEffect = await as('treasurer', 'get', '/api/funds/developpement/vehicle-rules').expect(200);
  expect(inEffect.body.rules.unitClasses.map((unitClass: { code: string }) => unitClass.code)).toEqual(['A', 'B']);
  // Neither an endowment fund nor rules not yet set make a unit fund.
  await as('admin', 'post', '/api/admin/funds/dotation/vehicle-rules')
    .send({ effectiveFrom: today, reason: 'Pas un FPCI', rules: fpciRules })
    .expect(422);
});

it('takes a closing from open to closed by two people, refusing whom the rules refuse, and books it', async () => {
  const caisse = await investor('developpement', {
    kind: 'legal-person',
    name: 'Caisse Solidaire du Grand Ouest',
    siren: '552100554',
    iban: 'FR7630004000031234567890143',
    kyc: verified,
    eligibility: { route: 'ticket-100k', details: null, recordedOn: dayOffset(-20) },
  });
  const particulier = await investor('developpement', {
    kind: 'individual',
    name: 'Jean Épargnant',
    identityDocument: 'CNI 123456789012',
    kyc: verified,
  });
  const pending = await investor('developpement', {
    kind: 'legal-person',
    name: 'Mutuelle en attente',
    siren: '404833048',
    eligibility: { route: 'professional-investor', details: null, recordedOn: dayOffset(-5) },
  });
  const [team1, team2] = [
    await investor('developpement', {
      kind: 'legal-person',
      name: 'Citizen Capital (équipe)',
      siren: '812345676',
      kyc: verified,
      eligibility: { route: 'professional-investor', details: null, recordedOn: dayOffset(-5) },
    }),
    await investor('developpement', {
      kind: 'individual',
      name: 'Laurence Gérante',
      identityDocument: 'Passeport 19AB12345',
      kyc: verified,
      eligibility: { route: 'professional-investor', details: null, recordedOn: dayOffset(-5) },
    }),
  ];
  const opened = await as('treasurer', 'post', '/api/funds/developpement/closings').expect(201);
  expect(opened.body).toMatchObject({ number: 1, state: 'open', closedOn: null });
  await as('treasurer', 'post', '/api/funds/developpement/closings').expect(409);
  const closing = `/api/funds/developpement/closings/${opened.body.id}`;
  const subscribe = (investorId: string, classCode: string, units: number) =>
    as('treasurer', 'post', `${closing}/subscriptions`).send({ investorId, classCode, units });

  const taken = await subscribe(caisse, 'A', 5000).expect(201);
  // 5 000 units of 100,00 €: 500 000,00 €, and the 2 % premium of the day's schedule.
  expect(taken.body.subscriptions[0]).toMatchObject({
    commitment: '500000.00',
    premium: '10000.00',
    premiumRate: '0.02',
  });
  expect((await subscribe(particulier, 'A', 2000).expect(422)).body.detail).toMatch(
    /art\. 423-49 du règlement général de l’AMF/,
  );
  expect((await subscribe(pending, 'A', 2000).expect(422)).body.detail).toMatch(/KYC/);
  expect((await subscribe(caisse, 'Z', 1).expect(400)).body.errors[0].message).toContain('catégories : A, B');
  await subscribe(caisse, 'A', 1).expect(409);
  // The carry units pay no premium.
  expect((await subscribe(team1, 'B', 40).expect(201)).body.subscriptions).toContainEqual(
    expect.objectContaining({ classCode: 'B', commitment: '4000.00', premium: '0.00' }),
  );

  await as('treasurer', 'post', `${closing}/steps`).send({ event: 'SUBMIT' }).expect(200);
  await subscribe(team2, 'B', 20).expect(422);
  // 4 000,00 € of carry is under 1 % of 504 000,00 €.
  const underFloor = await as('admin', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(422);
  expect(underFloor.body.detail).toMatch(/au moins 5\s040,00\s€/);
  await as('admin', 'post', `${closing}/steps`).send({ event: 'SEND_BACK', reason: 'Carried à compléter' }).expect(200);
  await subscribe(team2, 'B', 20).expect(201);
  await as('treasurer', 'post', `${closing}/steps`).send({ event: 'SUBMIT' }).expect(200);
  const ownApproval = await as('treasurer', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(422);
  expect(ownApproval.body.detail).toMatch(/quatre yeux/);
  const future = await as('admin', 'post', `${closing}/steps`)
    .send({ event: 'APPROVE', closedOn: dayOffset(1) })
    .expect(400);
  expect(future.body.errors[0].pointer).toBe('/body/closedOn');
  const closed = await as('admin', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(200);
  expect(closed.body).toMatchObject({
    state: 'closed',
    closedOn: today,
    totals: { commitment: '506000.00', premium: '10000.00', catchUp: '0.00' },
  });

  const entry = await as('treasurer', 'get', `/api/funds/developpement/entries/${closed.body.entryId}`).expect(200);
  const byAccount = (code: string) =>
    entry.body.postings
      .filter((line: { accountCode: string }) => line.accountCode === code)
      .map((line: { debit: string; credit: string }) => [line.debit, line.credit]);
  expect(byAccount('109')).toHaveLength(3);
  expect(byAccount('1041')).toEqual([['0.00', '10000.00']]);
  const investorsPage = await as('treasurer', 'get', '/api/funds/developpement/investors?search=caisse').expect(200);
  expect(investorsPage.body.investors).toEqual([
    expect.objectContaining({ name: 'Caisse Solidaire du Grand Ouest', commitment: '500000.00' }),
  ]);
  const verification = await as('admin', 'get', '/api/admin/ledger/verification').expect(200);
  expect(verification.body.ok).toBe(true);
  // Units subscribed, their class keeps its nominal in any later version of the rules.
  const renominated = {
    ...fpciRules,
    unitClasses: [{ ...fpciRules.unitClasses[0], nominalPerUnit: '50.00' }, fpciRules.unitClasses[1]],
  };
  const refused = await as('admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({ effectiveFrom: today, reason: 'Changer le nominal', rules: renominated })
    .expect(400);
  expect(refused.body.errors[0]).toMatchObject({ pointer: '/body/rules/unitClasses' });
});

it('sets up a fourth vehicle, a citizen fund open to anyone, by configuration alone', async () => {
  await api.app.db.transaction((trx) =>
    ensureFund(trx, { id: 'citoyen', kind: 'fpci', name: 'Fonds citoyen de la transition', siren: '900000035' }),
  );
  await as('admin', 'post', '/api/admin/funds/citoyen/vehicle-rules')
    .send({
      effectiveFrom: dayOffset(-1),
      reason: 'Statuts du fonds citoyen',
      rules: {
        unitClasses: [{ code: 'C', name: 'Parts citoyennes', holders: 'investors', nominalPerUnit: '50.00' }],
        subscriptionPeriodEndsOn: dayOffset(730),
        premiumSchedule: [],
        lateInterestRate: '0',
        noticeBusinessDays: 15,
        distributionsBeforePeriodEnd: true,
        equalisationInterestRate: null,
        carryFloorShare: null,
        investorEligibility: 'open',
        ticketMin: null,
      },
    })
    .expect(201);
  // Its team: the treasurer, given the new fund as any other.
  const ines = String((await api.app.db('users').where('email', 'tresoriere@milliard.test').first('id')).id);
  await as('admin', 'post', `/api/admin/users/${ines}/roles`)
    .send({ role: 'treasurer', scopeId: 'citoyen' })
    .expect(200);
  const citizen = await investor('citoyen', {
    kind: 'individual',
    name: 'Jean Épargnant',
    identityDocument: 'CNI 123456789012',
    kyc: verified,
  });
  const opened = await as('treasurer', 'post', '/api/funds/citoyen/closings').expect(201);
  const closing = `/api/funds/citoyen/closings/${opened.body.id}`;
  await as('treasurer', 'post', `${closing}/subscriptions`)
    .send({ investorId: citizen, classCode: 'C', units: 10 })
    .expect(201);
  await as('treasurer', 'post', `${closing}/steps`).send({ event: 'SUBMIT' }).expect(200);
  const future = await as('admin', 'post', `${closing}/steps`)
    .send({ event: 'APPROVE', closedOn: dayOffset(1) })
    .expect(400);
  expect(future.body.errors[0].pointer).toBe('/body/closedOn');
  const closed = await as('admin', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(200);
  expect(closed.body).toMatchObject({ state: 'closed', totals: { commitment: '500.00', premium: '0.00' } });
});
