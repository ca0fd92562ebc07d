import { addBusinessDays } from '../business-days';
import type { Database, Transaction } from '../db/database';
import { draftCall, recordCallPayment, takeCallStep } from '../fpci/calls';
import { openClosing, subscribe, takeClosingStep } from '../fpci/closings';
import { createInvestor } from '../fpci/investors';
import { addInvestorContact } from '../fpci/positions';
import { rulesOn, setRules } from '../fpci/rules';
import { newInvestorBody, vehicleRulesSchema } from '../fpci/schema';
import type { Principal } from '../identity/roles';
import { principalOf, userIdByEmail } from '../identity/service';
import { todayInParis } from '../time';

/**
 * The development fund as the demo shows it: its rules, three unit holders (a
 * Caisse and a Bank in A units, the management team in carry units), a first
 * closing closed, a first capital call issued and paid by the Caisse, the Bank
 * still owing. Marc (investisseur@milliard.test) signs in for the Caisse.
 * Kept apart from the rest of the demo (`seedDemo`): the FPCI's tests build
 * their own fund from nothing; this one is for people trying the FPCI.
 */
const fundId = 'developpement';
const dayOffset = (days: number) => {
  const date = new Date(`${todayInParis()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

const principalByEmail = async (trx: Transaction, email: string) => {
  const userId = await userIdByEmail(trx, email);
  const principal = userId ? await principalOf(trx, userId, 'session') : undefined;
  if (!principal) throw new Error(`the demo user ${email} is missing: seed the demo first`);
  return principal;
};

const demoInvestors = [
  {
    kind: 'legal-person',
    name: 'Caisse Solidaire du Grand Ouest',
    siren: '552100554',
    addressLine: '12 quai de la Fosse',
    postalCode: '44000',
    city: 'Nantes',
    iban: 'FR7630004000010001234567830',
    bic: 'BNPAFRPP',
    units: { classCode: 'A', units: 3000 },
  },
  {
    kind: 'legal-person',
    name: 'Banque des Territoires (démo)',
    siren: '404833048',
    addressLine: '56 rue de Lille',
    postalCode: '75007',
    city: 'Paris',
    units: { classCode: 'A', units: 1000 },
  },
  {
    kind: 'legal-person',
    name: 'Citizen Capital (équipe de gestion)',
    siren: '812345676',
    addressLine: '29 rue de Châteaudun',
    postalCode: '75009',
    city: 'Paris',
    units: { classCode: 'B', units: 50 },
  },
] as const;

/** The fund's rules, dated around today so that the demo's closing falls in its subscription period. */
const demoRules = () =>
  vehicleRulesSchema.parse({
    unitClasses: [
      { code: 'A', name: 'Parts A (investisseurs)', holders: 'investors', nominalPerUnit: '100.00' },
      { code: 'B', name: 'Parts B (carried interest)', holders: 'carry', nominalPerUnit: '100.00' },
    ],
    subscriptionPeriodEndsOn: dayOffset(300),
    premiumSchedule: [
      { from: dayOffset(-60), rate: '0' },
      { from: dayOffset(120), rate: '0.02' },
    ],
    lateInterestRate: '0.05',
    noticeBusinessDays: 10,
    distributionsBeforePeriodEnd: false,
    equalisationInterestRate: null,
    carryFloorShare: '0.01',
    investorEligibility: 'professional',
    ticketMin: '100000.00',
  });

/** The first closing: every demo investor subscribed, submitted by Inès, closed by the admin. */
async function firstClosing(trx: Transaction, treasurer: Principal, admin: Principal): Promise<string[]> {
  const closingId = await openClosing(trx, fundId, treasurer);
  const ids: string[] = [];
  for (const { units, ...investor } of demoInvestors) {
    const { id } = await createInvestor(
      trx,
      fundId,
      newInvestorBody.parse({
        ...investor,
        kyc: { status: 'verified', checkedOn: dayOffset(-30), expiresOn: dayOffset(335) },
        eligibility: { route: 'professional-investor', details: null, recordedOn: dayOffset(-30) },
      }),
    );
    ids.push(id);
    await subscribe(trx, fundId, closingId, { investorId: id, ...units }, treasurer);
  }
  await takeClosingStep(trx, fundId, closingId, { event: 'SUBMIT' }, treasurer);
  await takeClosingStep(trx, fundId, closingId, { event: 'APPROVE' }, admin);
  return ids;
}

export async function seedFpciDemo(db: Database): Promise<void> {
  await db.transaction(async (trx) => {
    if (
      await rulesOn(trx, fundId).then(
        () => true,
        () => false,
      )
    )
      return;
    const admin = await principalByEmail(trx, 'admin@milliard.test');
    const treasurer = await principalByEmail(trx, 'tresoriere@milliard.test');
    await setRules(
      trx,
      fundId,
      {
        effectiveFrom: dayOffset(-60),
        reason: 'Règlement du fonds, version initiale',
        rules: demoRules(),
      },
      admin,
    );
    const ids = await firstClosing(trx, treasurer, admin);
    await addInvestorContact(
      trx,
      fundId,
      ids[0]!,
      { email: 'investisseur@milliard.test', displayName: 'Marc Investisseur' },
      treasurer.userId,
    );
    const callId = await draftCall(
      trx,
      fundId,
      {
        classShares: [{ classCode: 'A', share: '0.2' }],
        purposes: [
          { purpose: 'investment', weight: '0.9' },
          { purpose: 'management-fee', weight: '0.1' },
        ],
        dueOn: addBusinessDays(todayInParis(), 10),
      },
      treasurer,
    );
    await takeCallStep(trx, fundId, callId, { event: 'APPROVE' }, admin);
    await takeCallStep(trx, fundId, callId, { event: 'ISSUE' }, treasurer);
    await recordCallPayment(
      trx,
      fundId,
      callId,
      { investorId: ids[0]!, amountMinor: 60_000_00n, receivedOn: todayInParis(), idempotencyKey: 'demo-caisse-1' },
      treasurer,
    );
  });
}
