import request from 'supertest';
import { addBusinessDays } from '../../src/business-days';
import { todayInParis } from '../../src/time';
import { camtDocument, entry, party, tx } from './camt';
import type { TestApi } from './http';

/**
 * The development fund set up as a real FPCI would be: its rules, a team and
 * investors with their KYC and eligibility; what the FPCI's tests start from.
 */
export const today = todayInParis();
export const dayOffset = (days: number): string => {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

export const fpciRules = {
  unitClasses: [
    { code: 'A', name: 'Parts A (investisseurs)', holders: 'investors', nominalPerUnit: '100.00' },
    { code: 'B', name: 'Parts B (carried interest)', holders: 'carry', nominalPerUnit: '100.00' },
  ],
  subscriptionPeriodEndsOn: dayOffset(365),
  premiumSchedule: [
    { from: dayOffset(-200), rate: '0' },
    { from: dayOffset(-10), rate: '0.02' },
    { from: dayOffset(180), rate: '0.03' },
  ],
  lateInterestRate: '0.05',
  noticeBusinessDays: 10,
  distributionsBeforePeriodEnd: false,
  equalisationInterestRate: null,
  carryFloorShare: '0.01',
  investorEligibility: 'professional',
  ticketMin: '100000.00',
};

export const verifiedKyc = { status: 'verified', checkedOn: dayOffset(-30), expiresOn: dayOffset(335) };
export const professional = { route: 'professional-investor', details: null, recordedOn: dayOffset(-5) };

export const fpciAs = (api: TestApi, persona: 'admin' | 'treasurer', method: 'get' | 'post' | 'patch', path: string) =>
  request(api.http)[method](path).set('Cookie', api.cookies[persona]);

export async function newInvestor(api: TestApi, fundId: string, body: Record<string, unknown>): Promise<string> {
  const created = await fpciAs(api, 'treasurer', 'post', `/api/funds/${fundId}/investors`).send(body).expect(201);
  return String(created.body.id);
}

export async function setFpciRules(api: TestApi): Promise<void> {
  await fpciAs(api, 'admin', 'post', '/api/admin/funds/developpement/vehicle-rules')
    .send({ effectiveFrom: dayOffset(-200), reason: 'Règlement du fonds, version initiale', rules: fpciRules })
    .expect(201);
}

/** A closed closing as the API answers it (the fields the tests read). */
export type ClosedClosing = {
  id: string;
  entryId: number;
  subscriptions: {
    id: string;
    investorId: string;
    catchUp: string;
    equalisationInterest: string;
    premium: string;
    premiumRate: string;
    paymentReference: string | null;
  }[];
  equalisation: {
    interest: string;
    collected: string;
    shares: { investorId: string; investor: string; amount: string; payment: { status: string } | null }[];
  };
};

/** Opens a closing, takes these subscriptions, has it submitted by the treasurer and closed by the admin. */
export async function closedClosing(
  api: TestApi,
  subscriptions: { investorId: string; classCode: string; units: number }[],
): Promise<ClosedClosing> {
  const opened = await fpciAs(api, 'treasurer', 'post', '/api/funds/developpement/closings').expect(201);
  const closing = `/api/funds/developpement/closings/${opened.body.id}`;
  for (const subscription of subscriptions)
    await fpciAs(api, 'treasurer', 'post', `${closing}/subscriptions`).send(subscription).expect(201);
  await fpciAs(api, 'treasurer', 'post', `${closing}/steps`).send({ event: 'SUBMIT' }).expect(200);
  return (await fpciAs(api, 'admin', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(200)).body;
}

/** The FPCI's account at its depositary, as the demo and the tests set it up. */
export const fpciIban = 'FR7642559100000800123456771';
const fund = '/api/funds/developpement';

/** Drafts a call of this share of A and B, has it approved by the admin and issued by the treasurer, due in 10 business days. */
export async function issuedFpciCall(api: TestApi, share: string): Promise<{ id: string; dueOn: string }> {
  const dueOn = addBusinessDays(today, 10);
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
      dueOn,
    })
    .expect(201);
  const steps = `${fund}/capital-calls/${drafted.body.id}/steps`;
  await fpciAs(api, 'admin', 'post', steps).send({ event: 'APPROVE' }).expect(200);
  await fpciAs(api, 'treasurer', 'post', steps).send({ event: 'ISSUE' }).expect(200);
  return { id: drafted.body.id, dueOn };
}

/** Imports a statement of the fund's account with these lines, proposes the matches and confirms them all. */
export async function reconciledFpciStatement(
  api: TestApi,
  statementId: string,
  lines: string[],
  balances: [string, string],
): Promise<number> {
  const statement = camtDocument('001.08', {
    statementId,
    iban: fpciIban,
    opening: [balances[0], today],
    closing: [balances[1], today],
    entries: lines,
  });
  const imported = await fpciAs(api, 'treasurer', 'post', `${fund}/bank-statements`)
    .set('Content-Type', 'application/xml')
    .send(Buffer.from(statement))
    .expect(201);
  expect(imported.body.doesNotAddUpBy ?? null).toBeNull();
  const { matches } = (
    await fpciAs(api, 'treasurer', 'post', `${fund}/bank-statements/${imported.body.id}/matches`).expect(200)
  ).body;
  for (const match of matches) {
    const decided = await fpciAs(api, 'treasurer', 'post', `/api/bank-matches/${match.id}/decision`).send({
      decision: 'confirm',
    });
    expect([decided.status, decided.body.detail]).toEqual([204, undefined]);
  }
  return matches.length;
}

/** A credit on the fund's account, today, quoting a structured reference (ISO 11649). */
export const bankCredit = (amount: string, reference: string, from: string, iban: string, structured: string) =>
  entry('001.08', amount, 'CRDT', today, reference, [
    tx(
      `<Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><RltdPties>${party('001.08', 'Dbtr', from, iban)}</RltdPties><RmtInf><Strd><CdtrRefInf><Ref>${structured}</Ref></CdtrRefInf></Strd></RmtInf>`,
    ),
  ]);
