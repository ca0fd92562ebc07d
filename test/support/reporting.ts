import request from 'supertest';
import { addBusinessDays } from '../../src/business-days';
import { todayInParis } from '../../src/time';
import { closedClosing, fpciAs, newInvestor, professional, setFpciRules, verifiedKyc } from './fpci';
import { personas, type TestApi } from './http';

/**
 * A small unit fund for the reporting tests, built through the API: its rules,
 * a Caisse (3 000 A units, Marc its contact), a Bank (1 000 A units) and the
 * team (50 B units), subscribed at one closing. Calls and expenses are dated
 * by the calendar as the test has set it (see clock.ts).
 */
const fund = '/api/funds/developpement';

export async function smallFund(api: TestApi) {
  await setFpciRules(api);
  const investor = (name: string, siren: string) =>
    newInvestor(api, 'developpement', {
      kind: 'legal-person',
      name,
      siren,
      kyc: verifiedKyc,
      eligibility: professional,
    });
  const caisse = await investor('Caisse Solidaire du Grand Ouest', '552100554');
  const banque = await investor('Banque des Territoires (test)', '404833048');
  const team = await investor('Citizen Capital (équipe)', '812345676');
  await closedClosing(api, [
    { investorId: caisse, classCode: 'A', units: 3000 },
    { investorId: banque, classCode: 'A', units: 1000 },
    { investorId: team, classCode: 'B', units: 50 },
  ]);
  await fpciAs(api, 'treasurer', 'post', `${fund}/investors/${caisse}/contacts`)
    .send({ email: personas.investor, displayName: 'Marc' })
    .expect(201);
  return { caisse, banque, team, investors: [caisse, banque, team] };
}

/** A call of this share of every class, approved by the admin, issued by the treasurer today, paid in full by these investors. */
export async function paidCall(api: TestApi, share: string, payers: readonly string[]): Promise<string> {
  const drafted = await fpciAs(api, 'treasurer', 'post', `${fund}/capital-calls`)
    .send({
      classShares: [
        { classCode: 'A', share },
        { classCode: 'B', share },
      ],
      purposes: [
        { purpose: 'investment', weight: '0.9' },
        { purpose: 'management-fee', weight: '0.1' },
      ],
      dueOn: addBusinessDays(todayInParis(), 10),
    })
    .expect(201);
  const call = `${fund}/capital-calls/${drafted.body.id}`;
  await fpciAs(api, 'admin', 'post', `${call}/steps`).send({ event: 'APPROVE' }).expect(200);
  const issued = await fpciAs(api, 'treasurer', 'post', `${call}/steps`).send({ event: 'ISSUE' }).expect(200);
  const dueBy = new Map(
    (issued.body.investors as { investorId: string; due: string }[]).map((one) => [one.investorId, one.due]),
  );
  for (const investorId of payers)
    await fpciAs(api, 'treasurer', 'post', `${call}/payments`)
      .set('Idempotency-Key', `${drafted.body.id}:${investorId}`)
      .send({ investorId, amount: dueBy.get(investorId), receivedOn: todayInParis() })
      .expect(201);
  return String(drafted.body.id);
}

/** A fund expense, booked today against the bank. */
export async function paidExpense(api: TestApi, kind: string, amount: string, key: string) {
  await request(api.http)
    .post(`${fund}/expenses`)
    .set('Cookie', api.cookies.treasurer)
    .set('Idempotency-Key', key)
    .send({ kind, amount, incurredOn: todayInParis(), label: 'Trimestre', settlement: 'bank' })
    .expect(201);
}
