import request from 'supertest';
import { todayInParis } from '../../src/time';
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

/** Opens a closing, takes these subscriptions, has it submitted by the treasurer and closed by the admin. */
export async function closedClosing(
  api: TestApi,
  subscriptions: { investorId: string; classCode: string; units: number }[],
): Promise<Record<string, unknown> & { id: string; entryId: number }> {
  const opened = await fpciAs(api, 'treasurer', 'post', '/api/funds/developpement/closings').expect(201);
  const closing = `/api/funds/developpement/closings/${opened.body.id}`;
  for (const subscription of subscriptions)
    await fpciAs(api, 'treasurer', 'post', `${closing}/subscriptions`).send(subscription).expect(201);
  await fpciAs(api, 'treasurer', 'post', `${closing}/steps`).send({ event: 'SUBMIT' }).expect(200);
  return (await fpciAs(api, 'admin', 'post', `${closing}/steps`).send({ event: 'APPROVE' }).expect(200)).body;
}
