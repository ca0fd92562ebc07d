import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { linesWithinLimit, postEntry, type EntryLine } from '../ledger/entries';
import { applyRate, euros, formatFrench, minorUnits, parseApiAmount, rate } from '../money';
import { formatFrenchDay, todayInParis } from '../time';
import { lockWorkflow, startWorkflow, sendWorkflowEvent, workflowStates } from '../workflow-runtime';
import { closingWorkflow, type ClosingContext } from '../../workflows/closing.machine';
import { actorOn } from './access';
import { issuedCallsOfClass, paidUpPerUnitMinor, pendingCallNumber } from './calls';
import { equalisationInterestMinor, equalisationOfClosing, shareEqualisationInterest } from './equalisation';
import { commitmentsOf, investorRow, subscriptionRefusal } from './investors';
import { fpciMessages } from './messages';
import { subscriptionReference } from './subscription-payments';
import { assertUnitFund, rulesOn } from './rules';
import type { VehicleRules } from './schema';

/**
 * Closings: a closing takes subscriptions (units of a class, the commitment
 * their nominal), each checked against the investor's KYC and eligibility and
 * charged the premium of the day's schedule; submitted by one person and closed
 * by another, it books the commitments and premiums in the fund's ledger in the
 * same transaction, after checking the carry units' floor.
 */
const subjectOf = (closingId: string) => ({ type: 'closing', id: closingId });
const billionMinor = 100_000_000_000n;

type ClosingRow = {
  id: string;
  fund_id: string;
  number: number;
  opened_on: string;
  closed_on: string | null;
  entry_id: bigint | null;
};

export async function openClosing(trx: Transaction, fundId: string, principal: Principal): Promise<string> {
  const actor = actorOn(principal, fundId);
  const today = todayInParis();
  const { rules } = await rulesOn(trx, fundId, today);
  if (today > rules.subscriptionPeriodEndsOn)
    throw new RuleViolationError(
      'fpci/subscription-period-over',
      fpciMessages.subscriptionPeriodOver(formatFrenchDay(rules.subscriptionPeriodEndsOn)),
    );
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`closings:${fundId}`]);
  const last = await trx('closings').where('fund_id', fundId).orderBy('number', 'desc').first<ClosingRow | undefined>();
  if (last && last.closed_on === null) throw new ConflictError(fpciMessages.closingStillOpen(last.number));
  const [row] = await trx('closings')
    .insert({ fund_id: fundId, number: (last?.number ?? 0) + 1, opened_on: today })
    .returning<{ id: string }[]>('id');
  await startWorkflow(trx, closingWorkflow, subjectOf(row!.id), undefined, actor, 'Closing ouvert');
  return row!.id;
}

async function lockedClosing(trx: Transaction, fundId: string, closingId: string, principal: Principal) {
  const actor = actorOn(principal, fundId);
  const row = await trx('closings')
    .where({ id: closingId, fund_id: fundId })
    .forUpdate()
    .first<ClosingRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.closingMissing);
  const instance = await lockWorkflow<ClosingContext>(trx, 'closing', subjectOf(closingId));
  return { row, instance, actor };
}

/** The premium rate of the schedule on a day: the last step begun by then, none before the first. */
export function premiumRateOn(rules: VehicleRules, day: string): string {
  return rules.premiumSchedule.filter((step) => step.from <= day).at(-1)?.rate ?? '0';
}

export async function subscribe(
  trx: Transaction,
  fundId: string,
  closingId: string,
  subscription: { investorId: string; classCode: string; units: number },
  principal: Principal,
): Promise<string> {
  const { row, instance } = await lockedClosing(trx, fundId, closingId, principal);
  if (instance.state !== 'open') throw new RuleViolationError('fpci/closing-not-open', fpciMessages.closingNotOpen);
  const today = todayInParis();
  const { rules } = await rulesOn(trx, fundId, today);
  const unitClass = rules.unitClasses.find((candidate) => candidate.code === subscription.classCode);
  if (!unitClass)
    throw new ValidationError([
      {
        path: ['classCode'],
        message: fpciMessages.classUnknown(
          subscription.classCode,
          rules.unitClasses.map((known) => known.code).join(', '),
        ),
      },
    ]);
  const investor = await investorRow(trx, fundId, subscription.investorId);
  const nominalMinor = minorUnits(parseApiAmount(unitClass.nominalPerUnit));
  const commitmentMinor = nominalMinor * BigInt(subscription.units);
  const pendingMinor = BigInt(
    (
      await trx('subscriptions')
        .where({ closing_id: row.id, investor_id: investor.id })
        .sum<{ total: string | null }>('commitment_minor as total')
        .first()
    )?.total ?? 0,
  );
  const totalMinor =
    ((await commitmentsOf(trx, [investor.id])).get(investor.id) ?? 0n) + pendingMinor + commitmentMinor;
  const refusal = subscriptionRefusal(rules, investor, totalMinor, today);
  if (refusal) throw refusal;
  if (unitClass.holders === 'investors' && rules.ticketMin !== null) {
    const ticketMinMinor = minorUnits(parseApiAmount(rules.ticketMin));
    if (totalMinor < ticketMinMinor)
      throw new ValidationError([
        { path: ['units'], message: fpciMessages.ticketBelowMinimum(formatFrench(euros(ticketMinMinor))) },
      ]);
  }
  // A later subscriber pays at once what every unit of the class has been called so far (settled again at the closing).
  const catchUpMinor = (await paidUpPerUnitMinor(trx, fundId, unitClass)) * BigInt(subscription.units);
  const premiumRate = unitClass.holders === 'investors' ? premiumRateOn(rules, today) : '0';
  const premiumMinor = minorUnits(applyRate(euros(commitmentMinor), rate(premiumRate)));
  const [inserted] = await trx('subscriptions')
    .insert({
      closing_id: row.id,
      investor_id: investor.id,
      class_code: unitClass.code,
      units: subscription.units,
      nominal_per_unit_minor: nominalMinor,
      commitment_minor: commitmentMinor,
      catch_up_minor: catchUpMinor,
      premium_minor: premiumMinor,
      premium_rate: premiumRate,
      created_by: principal.userId,
    })
    .onConflict(['closing_id', 'investor_id', 'class_code'])
    .ignore()
    .returning<{ id: string }[]>('id');
  if (!inserted) throw new ConflictError(fpciMessages.subscriptionTwice);
  return inserted.id;
}

type SubscriptionRow = {
  id: string;
  investor_id: string;
  investor: string;
  class_code: string;
  units: number;
  nominal_per_unit_minor: bigint;
  commitment_minor: bigint;
  catch_up_minor: bigint;
  equalisation_interest_minor: bigint;
  premium_minor: bigint;
  premium_rate: string;
};

const subscriptionsOf = (db: Database | Transaction, closingId: string) =>
  db('subscriptions')
    .join('investors', 'investors.id', 'subscriptions.investor_id')
    .where('subscriptions.closing_id', closingId)
    .orderBy(['investors.name', 'subscriptions.class_code'])
    .select<SubscriptionRow[]>(
      'subscriptions.id',
      'subscriptions.investor_id',
      'investors.name as investor',
      'subscriptions.class_code',
      'subscriptions.units',
      'subscriptions.nominal_per_unit_minor',
      'subscriptions.commitment_minor',
      'subscriptions.catch_up_minor',
      'subscriptions.equalisation_interest_minor',
      'subscriptions.premium_minor',
      'subscriptions.premium_rate',
    );

/**
 * The carry units' floor on all the fund's subscriptions (this closing's with
 * those of the closed ones): 1 % up to €1bn, half that above (CGI 150-0 A II 8).
 */
async function assertCarryFloor(trx: Transaction, rules: VehicleRules, fundId: string, closingId: string) {
  if (rules.carryFloorShare === null) return;
  const carryCodes = new Set(rules.unitClasses.filter((unitClass) => unitClass.holders === 'carry').map((c) => c.code));
  const rows = await trx('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('closings.fund_id', fundId)
    .where((scope) => {
      scope.whereNotNull('closings.closed_on').orWhere('closings.id', closingId);
    })
    .select<{ class_code: string; commitment_minor: bigint }[]>(
      'subscriptions.class_code',
      'subscriptions.commitment_minor',
    );
  const totalMinor = rows.reduce((total, one) => total + one.commitment_minor, 0n);
  const carryMinor = rows
    .filter((one) => carryCodes.has(one.class_code))
    .reduce((total, one) => total + one.commitment_minor, 0n);
  const share = rate(rules.carryFloorShare);
  const floorMinor =
    minorUnits(applyRate(euros(totalMinor < billionMinor ? totalMinor : billionMinor), share)) +
    (totalMinor > billionMinor ? minorUnits(applyRate(euros(totalMinor - billionMinor), share.dividedBy(2))) : 0n);
  if (carryMinor < floorMinor)
    throw new RuleViolationError(
      'fpci/carry-below-floor',
      fpciMessages.carryBelowFloor(formatFrench(euros(carryMinor)), formatFrench(euros(floorMinor))),
    );
}

/**
 * On the closing's day, each subscription's catch-up to its class's paid-up
 * level then (a call may have been issued since it was taken) and, when the
 * rules set a rate, its equalisation interest; stored on the subscription.
 */
async function settleCatchUps(
  trx: Transaction,
  fundId: string,
  subscriptions: readonly SubscriptionRow[],
  closedOn: string,
  equalisationRate: string | null,
): Promise<SubscriptionRow[]> {
  const callsOfClass = new Map<string, Awaited<ReturnType<typeof issuedCallsOfClass>>>();
  const settled: SubscriptionRow[] = [];
  for (const one of subscriptions) {
    const key = `${one.class_code}:${one.nominal_per_unit_minor}`;
    if (!callsOfClass.has(key))
      callsOfClass.set(
        key,
        await issuedCallsOfClass(trx, fundId, {
          code: one.class_code,
          nominalPerUnit: amount(one.nominal_per_unit_minor),
        }),
      );
    const calls = callsOfClass.get(key)!;
    const catchUpMinor = calls.reduce((total, call) => total + call.perUnitMinor, 0n) * BigInt(one.units);
    const interestMinor =
      equalisationRate === null ? 0n : equalisationInterestMinor(calls, one.units, closedOn, equalisationRate);
    if (catchUpMinor !== one.catch_up_minor || interestMinor !== one.equalisation_interest_minor)
      await trx('subscriptions')
        .where('id', one.id)
        .update({ catch_up_minor: catchUpMinor, equalisation_interest_minor: interestMinor });
    settled.push({ ...one, catch_up_minor: catchUpMinor, equalisation_interest_minor: interestMinor });
  }
  return settled;
}

/** The closing's entry: each subscription's commitment (uncalled), and what it pays at once (catch-up, premium). */
function closingLines(subscriptions: readonly SubscriptionRow[]): EntryLine[] {
  return subscriptions.flatMap((one) => {
    const label = `${one.investor} — parts ${one.class_code}`;
    const lines: EntryLine[] = [
      { accountCode: '109', amountMinor: one.commitment_minor, label },
      { accountCode: '1011', amountMinor: -one.commitment_minor, label },
    ];
    if (one.catch_up_minor > 0n)
      lines.push(
        { accountCode: '4562', amountMinor: one.catch_up_minor, label: `${label} : rattrapage` },
        { accountCode: '109', amountMinor: -one.catch_up_minor, label: `${label} : rattrapage` },
        { accountCode: '1011', amountMinor: one.catch_up_minor, label: `${label} : rattrapage` },
        { accountCode: '1012', amountMinor: -one.catch_up_minor, label: `${label} : rattrapage` },
      );
    if (one.premium_minor > 0n)
      lines.push(
        { accountCode: '4562', amountMinor: one.premium_minor, label: `${label} : prime de souscription` },
        { accountCode: '1041', amountMinor: -one.premium_minor, label: `${label} : prime de souscription` },
      );
    return lines;
  });
}

export async function takeClosingStep(
  trx: Transaction,
  fundId: string,
  closingId: string,
  step:
    { event: 'SUBMIT' } | { event: 'APPROVE'; closedOn?: string | undefined } | { event: 'SEND_BACK'; reason: string },
  principal: Principal,
): Promise<void> {
  const { row, instance, actor } = await lockedClosing(trx, fundId, closingId, principal);
  if (step.event === 'SEND_BACK') {
    await sendWorkflowEvent(
      trx,
      closingWorkflow,
      instance,
      { type: 'SEND_BACK', reason: step.reason },
      actor,
      step.reason,
    );
    return;
  }
  const subscriptions = await subscriptionsOf(trx, row.id);
  if (subscriptions.length === 0) throw new RuleViolationError('fpci/closing-empty', fpciMessages.closingEmpty);
  if (step.event === 'SUBMIT') {
    await sendWorkflowEvent(trx, closingWorkflow, instance, { type: 'SUBMIT', submittedBy: principal.userId }, actor);
    return;
  }
  if (instance.state === 'submitted' && instance.context.submittedBy === principal.userId)
    throw new RuleViolationError('fpci/four-eyes', fpciMessages.closingApprovedBySubmitter);
  const closedOn = step.closedOn ?? todayInParis();
  if (closedOn < row.opened_on || closedOn > todayInParis())
    throw new ValidationError([
      { path: ['closedOn'], message: fpciMessages.closedOnOutOfRange(formatFrenchDay(row.opened_on)) },
    ]);
  const { rules } = await rulesOn(trx, fundId, closedOn);
  await assertCarryFloor(trx, rules, fundId, row.id);
  // Closings and calls of a fund one at a time, so a call's holders and a later subscriber's catch-up agree.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`capital-calls:${fundId}`]);
  const pendingCall = await pendingCallNumber(trx, fundId);
  if (pendingCall !== undefined)
    throw new RuleViolationError('fpci/call-pending', fpciMessages.closingWhileCallPending(pendingCall));
  const settled = await settleCatchUps(trx, fundId, subscriptions, closedOn, rules.equalisationInterestRate);
  await sendWorkflowEvent(trx, closingWorkflow, instance, { type: 'APPROVE', approverId: principal.userId }, actor);
  const equalisationLines = await shareEqualisationInterest(trx, fundId, row, settled);
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'PARTS',
      accountingDate: closedOn,
      label: `Closing n° ${row.number} : souscriptions`,
      sourceType: 'closing',
      sourceId: row.id,
      idempotencyKey: `closing:${row.id}`,
      lines: linesWithinLimit(
        [...closingLines(settled), ...equalisationLines],
        `Closing n° ${row.number} : ${subscriptions.length} souscriptions (détail au registre)`,
      ),
    },
    { userId: principal.userId },
  );
  await trx('closings').where('id', row.id).update({ closed_on: closedOn, entry_id: entry.id });
}

export async function getClosing(db: Database, fundId: string, closingId: string, principal: Principal) {
  actorOn(principal, fundId);
  await assertUnitFund(db, fundId);
  const row = await db('closings').where({ id: closingId, fund_id: fundId }).first<ClosingRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.closingMissing);
  const state = await workflowStates(db, 'closing', 'closing')
    .where('subject_id', row.id)
    .first<{ state: string }>('state');
  const subscriptions = await subscriptionsOf(db, row.id);
  const total = (pick: (one: SubscriptionRow) => bigint) =>
    amount(subscriptions.reduce((sum, one) => sum + pick(one), 0n));
  return {
    id: row.id,
    number: row.number,
    state: state?.state ?? 'open',
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    entryId: row.entry_id === null ? null : Number(row.entry_id),
    subscriptions: subscriptions.map((one) => ({
      id: one.id,
      investorId: one.investor_id,
      investor: one.investor,
      classCode: one.class_code,
      units: one.units,
      commitment: amount(one.commitment_minor),
      catchUp: amount(one.catch_up_minor),
      equalisationInterest: amount(one.equalisation_interest_minor),
      premium: amount(one.premium_minor),
      premiumRate: rate(one.premium_rate).toString(),
      // What the subscriber quotes when it pays its catch-up, interest and premium, if it owes any.
      paymentReference:
        one.catch_up_minor + one.equalisation_interest_minor + one.premium_minor > 0n
          ? subscriptionReference(row.number, one.investor_id)
          : null,
    })),
    totals: {
      commitment: total((one) => one.commitment_minor),
      catchUp: total((one) => one.catch_up_minor),
      equalisationInterest: total((one) => one.equalisation_interest_minor),
      premium: total((one) => one.premium_minor),
    },
    equalisation: await equalisationOfClosing(db, row.id),
  };
}
