import fc from 'fast-check';
import { addBusinessDays } from '../../src/business-days';
import { DomainError } from '../../src/errors';
import { draftCall, paidUpPerUnitMinor, recordCallPayment, takeCallStep } from '../../src/fpci/calls';
import { openClosing, subscribe, takeClosingStep } from '../../src/fpci/closings';
import { createInvestor } from '../../src/fpci/investors';
import { setRules } from '../../src/fpci/rules';
import { newInvestorBody, vehicleRulesSchema } from '../../src/fpci/schema';
import { grantRole } from '../../src/identity/role-grants';
import type { Principal } from '../../src/identity/roles';
import { principalOf } from '../../src/identity/service';
import { ensureFund } from '../../src/ledger/funds';
import { accountBalance } from '../../src/ledger/queries';
import { createTestApi, personas, type TestApi } from '../support/http';
import { dayOffset, fpciRules, today, verifiedKyc } from '../support/fpci';

/**
 * For any sequence of closings, calls and payments: every unit of a class is
 * called to the same level whenever it was subscribed, no investor is called
 * above its commitment, and the ledger's balances are the registers'
 * (subscribed, called, paid), to the cent.
 */
let api: TestApi;
let admin: Principal;
let treasurer: Principal;
beforeAll(async () => {
  api = await createTestApi();
  const userId = async (email: string) => String((await api.app.db('users').where('email', email).first('id')).id);
  admin = (await principalOf(api.app.db, await userId(personas.admin), 'session'))!;
  treasurer = (await principalOf(api.app.db, await userId(personas.treasurer), 'session'))!;
});
afterAll(() => api.drop());

type Step =
  | { kind: 'closing'; subscriptions: { investor: number; classCode: 'A' | 'B'; units: number }[] }
  | { kind: 'call'; twentiethsA: number; twentiethsB: number }
  | { kind: 'pay'; investor: number; percent: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('closing' as const),
    subscriptions: fc.array(
      fc.record({
        investor: fc.integer({ min: 0, max: 3 }),
        classCode: fc.constantFrom('A' as const, 'B' as const),
        units: fc.integer({ min: 1, max: 5000 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('call' as const),
    twentiethsA: fc.integer({ min: 0, max: 6 }),
    twentiethsB: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('pay' as const),
    investor: fc.integer({ min: 0, max: 3 }),
    percent: fc.integer({ min: 1, max: 100 }),
  }),
);

const rules = vehicleRulesSchema.parse({
  ...fpciRules,
  premiumSchedule: [],
  carryFloorShare: null,
  investorEligibility: 'open',
  ticketMin: null,
});

let runs = 0;
/** A fund of its own for each run, its treasurer the demo's. */
async function freshFund(): Promise<{ fundId: string; investors: string[] }> {
  runs += 1;
  const fundId = `proprietes-${runs}`;
  return api.app.db.transaction(async (trx) => {
    await ensureFund(trx, { id: fundId, kind: 'fpci', name: `Fonds ${runs}`, siren: '900000019' });
    await setRules(trx, fundId, { effectiveFrom: dayOffset(-1), reason: 'Règles du test', rules }, admin);
    await grantRole(trx, { userId: treasurer.userId, role: 'treasurer', scopeId: fundId });
    const investors: string[] = [];
    for (let index = 0; index < 4; index += 1)
      investors.push(
        (
          await createInvestor(
            trx,
            fundId,
            newInvestorBody.parse({
              kind: 'individual',
              name: `Porteur ${index}`,
              identityDocument: `CNI ${index}00000`,
              kyc: verifiedKyc,
            }),
          )
        ).id,
      );
    return { fundId, investors };
  });
}

/** Runs a step as the fund's team would; a refusal of the rules (too much called, nothing to call…) leaves everything as it was. */
async function run(step: Step, fundId: string, investors: string[], team: Principal) {
  const db = api.app.db;
  try {
    if (step.kind === 'closing') {
      const closingId = await db.transaction((trx) => openClosing(trx, fundId, team));
      for (const one of step.subscriptions)
        await db
          .transaction((trx) =>
            subscribe(
              trx,
              fundId,
              closingId,
              { investorId: investors[one.investor]!, classCode: one.classCode, units: one.units },
              team,
            ),
          )
          .catch((error: unknown) => {
            if (!(error instanceof DomainError)) throw error;
          });
      await db.transaction((trx) => takeClosingStep(trx, fundId, closingId, { event: 'SUBMIT' }, team));
      await db.transaction((trx) => takeClosingStep(trx, fundId, closingId, { event: 'APPROVE' }, admin));
    } else if (step.kind === 'call') {
      const classShares = [
        ...(step.twentiethsA > 0 ? [{ classCode: 'A', share: String(step.twentiethsA / 20) }] : []),
        ...(step.twentiethsB > 0 ? [{ classCode: 'B', share: String(step.twentiethsB / 20) }] : []),
      ];
      if (classShares.length === 0) return;
      const callId = await db.transaction((trx) =>
        draftCall(
          trx,
          fundId,
          {
            classShares,
            purposes: [
              { purpose: 'investment', weight: '3' },
              { purpose: 'management-fee', weight: '1' },
            ],
            dueOn: addBusinessDays(today, 10),
          },
          team,
        ),
      );
      await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'APPROVE' }, admin));
      await db.transaction((trx) => takeCallStep(trx, fundId, callId, { event: 'ISSUE' }, team));
    } else {
      const call = await db('capital_calls')
        .where('fund_id', fundId)
        .whereNotNull('issued_on')
        .orderBy('number', 'desc')
        .first('id');
      if (!call) return;
      const owed = await db('capital_call_items')
        .where({ call_id: call.id, investor_id: investors[step.investor] })
        .sum<{ due: string | null }>('amount_minor as due')
        .first();
      const paid = await db('capital_call_payments')
        .where({ call_id: call.id, investor_id: investors[step.investor] })
        .sum<{ paid: string | null }>('amount_minor as paid')
        .first();
      const remaining = BigInt(owed?.due ?? 0) - BigInt(paid?.paid ?? 0);
      const amountMinor = (remaining * BigInt(step.percent)) / 100n;
      if (amountMinor <= 0n) return;
      await db.transaction((trx) =>
        recordCallPayment(
          trx,
          fundId,
          call.id,
          {
            investorId: investors[step.investor]!,
            amountMinor,
            receivedOn: today,
            idempotencyKey: `p-${runs}-${Math.random()}`,
          },
          team,
        ),
      );
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

const total = async (query: Promise<{ total: string | null } | undefined>) => BigInt((await query)?.total ?? 0);

it('keeps every unit of a class at the same level, calls within commitments, and the books equal to the registers', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 8 }), async (steps) => {
      const { fundId, investors } = await freshFund();
      const team = (await principalOf(api.app.db, treasurer.userId, 'session'))!;
      for (const step of steps) await run(step, fundId, investors, team);
      const db = api.app.db;
      for (const unitClass of rules.unitClasses) {
        const level = await paidUpPerUnitMinor(db, fundId, unitClass);
        for (const investorId of investors) {
          const units = await total(
            db('subscriptions')
              .join('closings', 'closings.id', 'subscriptions.closing_id')
              .whereNotNull('closings.closed_on')
              .where({ investor_id: investorId, class_code: unitClass.code })
              .sum<{ total: string | null }>('units as total')
              .first(),
          );
          const called =
            (await total(
              db('capital_call_items')
                .join('capital_calls', 'capital_calls.id', 'capital_call_items.call_id')
                .whereNotNull('capital_calls.issued_on')
                .where({ investor_id: investorId, class_code: unitClass.code })
                .sum<{ total: string | null }>('amount_minor as total')
                .first(),
            )) +
            (await total(
              db('subscriptions')
                .join('closings', 'closings.id', 'subscriptions.closing_id')
                .whereNotNull('closings.closed_on')
                .where({ investor_id: investorId, class_code: unitClass.code })
                .sum<{ total: string | null }>('catch_up_minor as total')
                .first(),
            ));
          // Every unit of the class called to the same level, whenever it was subscribed; never above its nominal.
          expect(called).toBe(units * level);
          expect(level).toBeLessThanOrEqual(10_000n);
        }
      }
      const closed = db('subscriptions')
        .join('closings', 'closings.id', 'subscriptions.closing_id')
        .where('closings.fund_id', fundId)
        .whereNotNull('closings.closed_on');
      const subscribed = await total(closed.clone().sum<{ total: string | null }>('commitment_minor as total').first());
      const calledTotal =
        (await total(
          db('capital_call_items')
            .join('capital_calls', 'capital_calls.id', 'capital_call_items.call_id')
            .where('capital_calls.fund_id', fundId)
            .whereNotNull('capital_calls.issued_on')
            .sum<{ total: string | null }>('amount_minor as total')
            .first(),
        )) + (await total(closed.clone().sum<{ total: string | null }>('catch_up_minor as total').first()));
      const paidTotal = await total(
        db('capital_call_payments')
          .join('capital_calls', 'capital_calls.id', 'capital_call_payments.call_id')
          .where('capital_calls.fund_id', fundId)
          .sum<{ total: string | null }>('amount_minor as total')
          .first(),
      );
      const balance = (code: string) => accountBalance(db, fundId, code);
      expect(-(await balance('1011'))).toBe(subscribed - calledTotal);
      expect(await balance('109')).toBe(subscribed - calledTotal);
      expect(-(await balance('1012'))).toBe(calledTotal - paidTotal);
      expect(await balance('4562')).toBe(calledTotal - paidTotal);
      expect(-(await balance('1013'))).toBe(paidTotal);
    }),
    {
      numRuns: 12,
      // One sequence always run: two closings around a call, and a payment.
      examples: [
        [
          [
            {
              kind: 'closing',
              subscriptions: [
                { investor: 0, classCode: 'A', units: 3333 },
                { investor: 1, classCode: 'B', units: 40 },
              ],
            },
            { kind: 'call', twentiethsA: 3, twentiethsB: 1 },
            { kind: 'pay', investor: 0, percent: 40 },
            { kind: 'closing', subscriptions: [{ investor: 2, classCode: 'A', units: 777 }] },
            { kind: 'call', twentiethsA: 2, twentiethsB: 0 },
          ],
        ],
      ],
    },
  );
  // The runs did call and pay: the invariants were not met by doing nothing.
  const issued = await api.app.db('capital_calls').whereNotNull('issued_on').count<{ n: bigint }[]>('* as n');
  const payments = await api.app.db('capital_call_payments').count<{ n: bigint }[]>('* as n');
  expect(Number(issued[0]!.n)).toBeGreaterThanOrEqual(2);
  expect(Number(payments[0]!.n)).toBeGreaterThan(0);
});
