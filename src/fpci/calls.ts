import { createHash } from 'node:crypto';
import Decimal from 'decimal.js';
import { addBusinessDays, businessDaysBetween } from '../business-days';
import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { linesWithinLimit, postEntry, type EntryLine } from '../ledger/entries';
import { allocate, euros, formatFrench, minorUnits, parseApiAmount } from '../money';
import { todayInParis } from '../time';
import { lockWorkflow, sendWorkflowEvent, startWorkflow, workflowStates } from '../workflow-runtime';
import { capitalCallWorkflow, type CapitalCallContext } from '../../workflows/capital-call.machine';
import { actorOn } from './access';
import { fpciMessages } from './messages';
import { callPurposes, type CallPurpose } from './purposes';
import { requestCallNotices } from './notices';
import { rulesOn } from './rules';
import type { VehicleRules } from './schema';
import { callReference, livePayments } from './payments';
import { lateInterestMinor } from './interest';
import { unitsHeld } from './investors';

/**
 * Capital calls: a share of each class's nominal, so the same amount for every
 * unit of a class (exact to the cent, or refused), each investor's amount its
 * units times that, split by purpose with `allocate`. Drafted by one person,
 * approved by another, issued with the notice the rules ask (a shorter one with
 * its reason): then booked as called. Payments are booked as they come;
 * what is late bears the rules' interest, day by day, on what remains unpaid.
 */
export type CallDraft = {
  classShares: { classCode: string; share: string }[];
  purposes: { purpose: CallPurpose; weight: string }[];
  dueOn: string;
  shortNoticeReason?: string | undefined;
};

const subjectOf = (callId: string) => ({ type: 'capital-call', id: callId });

/** What one unit of the class is called by this share of its nominal, when that falls on a cent. */
export function perUnitCalledMinor(nominalPerUnit: string, share: string): bigint | undefined {
  const exact = new Decimal(minorUnits(parseApiAmount(nominalPerUnit)).toString()).times(share);
  return exact.isInteger() ? BigInt(exact.toFixed(0)) : undefined;
}

/** The share of each class already called, by the calls not cancelled (drafts reserve theirs too). */
async function calledShares(trx: Database | Transaction, fundId: string): Promise<Map<string, Decimal>> {
  const calls = await trx('capital_calls')
    .join(
      workflowStates(trx, 'capital-call', 'capital-call').as('w'),
      'w.subject_id',
      trx.raw('capital_calls.id::text'),
    )
    .where('capital_calls.fund_id', fundId)
    .whereNot('w.state', 'cancelled')
    .select<{ class_shares: { classCode: string; share: string }[] }[]>('capital_calls.class_shares');
  const shares = new Map<string, Decimal>();
  for (const call of calls)
    for (const { classCode, share } of call.class_shares)
      shares.set(classCode, (shares.get(classCode) ?? new Decimal(0)).plus(share));
  return shares;
}

/** The issued calls of the class, in order: when each was due and what it called per unit. */
export async function issuedCallsOfClass(
  db: Database | Transaction,
  fundId: string,
  unitClass: { code: string; nominalPerUnit: string },
): Promise<{ dueOn: string; perUnitMinor: bigint }[]> {
  const issued = await db('capital_calls')
    .where('fund_id', fundId)
    .whereNotNull('issued_on')
    .orderBy('number')
    .select<{ due_on: string; class_shares: { classCode: string; share: string }[] }[]>('due_on', 'class_shares');
  return issued.flatMap((call) =>
    call.class_shares
      .filter((one) => one.classCode === unitClass.code)
      .map((one) => ({ dueOn: call.due_on, perUnitMinor: perUnitCalledMinor(unitClass.nominalPerUnit, one.share)! })),
  );
}

/** What every unit of the class has been called so far, by the calls issued: its paid-up level. */
export async function paidUpPerUnitMinor(
  db: Database | Transaction,
  fundId: string,
  unitClass: { code: string; nominalPerUnit: string },
): Promise<bigint> {
  return (await issuedCallsOfClass(db, fundId, unitClass)).reduce((total, call) => total + call.perUnitMinor, 0n);
}

/** The number of a call drafted or approved but not yet issued, if there is one: its allocation is fixed on today's holders. */
export async function pendingCallNumber(db: Database | Transaction, fundId: string): Promise<number | undefined> {
  const pending = await db('capital_calls')
    .join(workflowStates(db, 'capital-call', 'capital-call').as('w'), 'w.subject_id', db.raw('capital_calls.id::text'))
    .where('capital_calls.fund_id', fundId)
    .whereNull('capital_calls.issued_on')
    .whereNot('w.state', 'cancelled')
    .orderBy('capital_calls.number')
    .first<{ number: number } | undefined>('capital_calls.number');
  return pending?.number;
}

function checkedShares(rules: VehicleRules, draft: CallDraft, called: Map<string, Decimal>) {
  return draft.classShares.map(({ classCode, share }, index) => {
    const unitClass = rules.unitClasses.find((candidate) => candidate.code === classCode);
    const at = ['classShares', index];
    if (!unitClass)
      throw new ValidationError([
        {
          path: [...at, 'classCode'],
          message: fpciMessages.classUnknown(classCode, rules.unitClasses.map((c) => c.code).join(', ')),
        },
      ]);
    const perUnitMinor = perUnitCalledMinor(unitClass.nominalPerUnit, share);
    if (perUnitMinor === undefined || perUnitMinor === 0n)
      throw new ValidationError([
        { path: [...at, 'share'], message: fpciMessages.callNotOnACent(unitClass.nominalPerUnit) },
      ]);
    const after = (called.get(classCode) ?? new Decimal(0)).plus(share);
    if (after.greaterThan(1))
      throw new RuleViolationError(
        'fpci/over-commitment',
        fpciMessages.callOverCommitment(classCode, after.times(100).toFixed(2)),
      );
    return { classCode, perUnitMinor };
  });
}

export async function draftCall(
  trx: Transaction,
  fundId: string,
  draft: CallDraft,
  principal: Principal,
): Promise<string> {
  const actor = actorOn(principal, fundId);
  const { rules } = await rulesOn(trx, fundId);
  if (draft.dueOn < todayInParis())
    throw new ValidationError([{ path: ['dueOn'], message: fpciMessages.callDueInThePast(todayInParis()) }]);
  // Calls of a fund one at a time: two drafts at once cannot both take the last uncalled share.
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`capital-calls:${fundId}`]);
  const perUnit = new Map(
    checkedShares(rules, draft, await calledShares(trx, fundId)).map((one) => [one.classCode, one.perUnitMinor]),
  );
  const holdings = (await unitsHeld(trx, fundId)).filter((holding) => perUnit.has(holding.class_code));
  if (holdings.length === 0) throw new RuleViolationError('fpci/nothing-to-call', fpciMessages.nothingToCall);
  const last = await trx('capital_calls')
    .where('fund_id', fundId)
    .max<{ number: number | null }>('number as number')
    .first();
  const [call] = await trx('capital_calls')
    .insert({
      fund_id: fundId,
      number: (last?.number ?? 0) + 1,
      class_shares: JSON.stringify(draft.classShares),
      purposes: JSON.stringify(draft.purposes),
      due_on: draft.dueOn,
      short_notice_reason: draft.shortNoticeReason ?? null,
      created_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  const weights = draft.purposes.map((one) => one.weight);
  await trx('capital_call_items').insert(
    holdings.flatMap((holding) => {
      const dueMinor = perUnit.get(holding.class_code)! * BigInt(holding.units);
      return allocate(euros(dueMinor), weights).map((part, index) => ({
        call_id: call!.id,
        investor_id: holding.investor_id,
        class_code: holding.class_code,
        purpose: draft.purposes[index]!.purpose,
        amount_minor: minorUnits(part),
      }));
    }),
  );
  await startWorkflow(
    trx,
    capitalCallWorkflow,
    subjectOf(call!.id),
    { draftedBy: principal.userId },
    actor,
    'Appel préparé',
  );
  return call!.id;
}

type CallRow = {
  id: string;
  fund_id: string;
  number: number;
  class_shares: { classCode: string; share: string }[];
  purposes: { purpose: CallPurpose; weight: string }[];
  due_on: string;
  short_notice_reason: string | null;
  issued_on: string | null;
  entry_id: bigint | null;
};

async function lockedCall(trx: Transaction, fundId: string, callId: string, principal: Principal) {
  const actor = actorOn(principal, fundId);
  const row = await trx('capital_calls')
    .where({ id: callId, fund_id: fundId })
    .forUpdate()
    .first<CallRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.callMissing);
  return { row, actor, instance: await lockWorkflow<CapitalCallContext>(trx, 'capital-call', subjectOf(callId)) };
}

const dueByInvestor = async (db: Database | Transaction, callId: string) =>
  db('capital_call_items')
    .join('investors', 'investors.id', 'capital_call_items.investor_id')
    .where('capital_call_items.call_id', callId)
    .groupBy('capital_call_items.investor_id', 'investors.name')
    .orderBy('investors.name')
    .select<{ investor_id: string; name: string; due_minor: bigint }[]>(
      'capital_call_items.investor_id',
      'investors.name',
      db.raw('sum(capital_call_items.amount_minor)::bigint as due_minor'),
    );

/** A call is issued with the notice the rules ask (a shorter one with its reason), and never already due. */
async function assertIssuableOn(trx: Transaction, fundId: string, row: CallRow, issuedOn: string) {
  const { rules } = await rulesOn(trx, fundId, issuedOn);
  // A draft approved days later may have passed its due date: issued, it would be late at once.
  if (row.due_on < issuedOn)
    throw new RuleViolationError('fpci/due-in-the-past', fpciMessages.callDueInThePast(issuedOn));
  if (businessDaysBetween(issuedOn, row.due_on) < rules.noticeBusinessDays && !row.short_notice_reason)
    throw new RuleViolationError(
      'fpci/notice-too-short',
      fpciMessages.noticeTooShort(rules.noticeBusinessDays, addBusinessDays(issuedOn, rules.noticeBusinessDays)),
    );
}

export async function takeCallStep(
  trx: Transaction,
  fundId: string,
  callId: string,
  step: { event: 'APPROVE' | 'ISSUE' | 'CANCEL' },
  principal: Principal,
): Promise<void> {
  const { row, actor, instance } = await lockedCall(trx, fundId, callId, principal);
  if (step.event === 'APPROVE') {
    if (instance.context.draftedBy === principal.userId)
      throw new RuleViolationError('fpci/four-eyes', fpciMessages.callApprovedByDrafter);
    await sendWorkflowEvent(
      trx,
      capitalCallWorkflow,
      instance,
      { type: 'APPROVE', approverId: principal.userId },
      actor,
    );
    return;
  }
  if (step.event === 'CANCEL') {
    await sendWorkflowEvent(trx, capitalCallWorkflow, instance, { type: 'CANCEL' }, actor);
    return;
  }
  const issuedOn = todayInParis();
  await assertIssuableOn(trx, fundId, row, issuedOn);
  await sendWorkflowEvent(
    trx,
    capitalCallWorkflow,
    instance,
    { type: 'ISSUE' },
    actor,
    row.short_notice_reason ?? undefined,
  );
  const owed = await dueByInvestor(trx, row.id);
  await requestCallNotices(
    trx,
    { id: row.id, number: row.number, dueOn: row.due_on },
    owed.map((one) => one.investor_id),
  );
  const lines: EntryLine[] = owed.flatMap((one) => {
    const label = `${one.name} — appel n° ${row.number}`;
    return [
      { accountCode: '4562', amountMinor: one.due_minor, label },
      { accountCode: '109', amountMinor: -one.due_minor, label },
      { accountCode: '1011', amountMinor: one.due_minor, label },
      { accountCode: '1012', amountMinor: -one.due_minor, label },
    ];
  });
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'PARTS',
      accountingDate: issuedOn,
      label: `Appel de fonds n° ${row.number}`,
      sourceType: 'capital-call',
      sourceId: row.id,
      idempotencyKey: `capital-call:${row.id}`,
      lines: linesWithinLimit(lines, `Appel de fonds n° ${row.number} : ${owed.length} porteurs (détail au registre)`),
    },
    { userId: principal.userId },
  );
  await trx('capital_calls').where('id', row.id).update({ issued_on: issuedOn, entry_id: entry.id });
}

/** A payment received for a call, booked (bank against called capital, called capital paid up). */
export async function recordCallPayment(
  trx: Transaction,
  fundId: string,
  callId: string,
  payment: { investorId: string; amountMinor: bigint; receivedOn: string; idempotencyKey: string },
  principal: Principal,
): Promise<{ created: boolean; entryId: number }> {
  const { row } = await lockedCall(trx, fundId, callId, principal);
  if (!row.issued_on) throw new RuleViolationError('fpci/call-not-issued', fpciMessages.callNotIssued);
  if (payment.receivedOn > todayInParis())
    throw new ValidationError([{ path: ['receivedOn'], message: fpciMessages.receivedInFuture }]);
  // The same payment sent again is the same payment; another one under the same key is refused.
  const requestSha256 = createHash('sha256')
    .update(`${payment.investorId}|${payment.amountMinor}|${payment.receivedOn}`)
    .digest('hex');
  const already = await trx('capital_call_payments')
    .where({ call_id: row.id, idempotency_key: payment.idempotencyKey })
    .first<{ request_sha256: string; entry_id: bigint } | undefined>('request_sha256', 'entry_id');
  if (already) {
    if (already.request_sha256 !== requestSha256) throw new ConflictError(fpciMessages.idempotencyKeyReused);
    return { created: false, entryId: Number(already.entry_id) };
  }
  const owed = (await dueByInvestor(trx, row.id)).find((one) => one.investor_id === payment.investorId);
  if (!owed) throw new NotFoundError(fpciMessages.investorNotCalled);
  const paid = await paidByInvestor(trx, row.id);
  const remainingMinor = owed.due_minor - (paid.get(owed.investor_id) ?? 0n);
  if (payment.amountMinor > remainingMinor)
    throw new RuleViolationError('fpci/over-payment', fpciMessages.overPayment(formatFrench(euros(remainingMinor))));
  const label = `${owed.name} — versement sur l’appel n° ${row.number}`;
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'BQ',
      accountingDate: payment.receivedOn,
      label,
      sourceType: 'capital-call-payment',
      sourceId: row.id,
      idempotencyKey: `capital-call-payment:${row.id}:${payment.idempotencyKey}`,
      lines: [
        { accountCode: '512', amountMinor: payment.amountMinor, label },
        { accountCode: '4562', amountMinor: -payment.amountMinor, label },
        { accountCode: '1012', amountMinor: payment.amountMinor, label },
        { accountCode: '1013', amountMinor: -payment.amountMinor, label },
      ],
    },
    { userId: principal.userId },
  );
  await trx('capital_call_payments').insert({
    call_id: row.id,
    investor_id: owed.investor_id,
    amount_minor: payment.amountMinor,
    received_on: payment.receivedOn,
    entry_id: entry.id,
    idempotency_key: payment.idempotencyKey,
    request_sha256: requestSha256,
    recorded_by: principal.userId,
  });
  return { created: true, entryId: entry.id };
}

async function paidByInvestor(db: Database | Transaction, callId: string): Promise<Map<string, bigint>> {
  const rows = await livePayments(db)
    .where('call_id', callId)
    .groupBy('investor_id')
    .select<{ investor_id: string; paid: bigint }[]>('investor_id', db.raw('sum(amount_minor)::bigint as paid'));
  return new Map(rows.map((one) => [one.investor_id, one.paid]));
}

type CallItem = { investor_id: string; purpose: CallPurpose; amount_minor: bigint };
type CallPayment = { investor_id: string; amount_minor: bigint; received_on: string };

/** Each investor's line of a call: due by purpose, paid, what remains, late or not, and its interest to date. */
function investorLines(
  row: CallRow,
  owed: { investor_id: string; name: string; due_minor: bigint }[],
  items: CallItem[],
  payments: CallPayment[],
  lateInterestRate: string,
  asOf: string,
) {
  return owed.map((one) => {
    const own = payments.filter((payment) => payment.investor_id === one.investor_id);
    const paidMinor = own.reduce((total, payment) => total + payment.amount_minor, 0n);
    const late = row.issued_on !== null && paidMinor < one.due_minor && asOf > row.due_on;
    const interestMinor =
      row.issued_on === null
        ? 0n
        : lateInterestMinor(
            one.due_minor,
            row.due_on,
            own.map((payment) => ({ amountMinor: payment.amount_minor, receivedOn: payment.received_on })),
            asOf,
            lateInterestRate,
          );
    const purposeMinor = (purpose: CallPurpose) =>
      items
        .filter((item) => item.investor_id === one.investor_id && item.purpose === purpose)
        .reduce((total, item) => total + item.amount_minor, 0n);
    return {
      investorId: one.investor_id,
      investor: one.name,
      due: amount(one.due_minor),
      byPurpose: Object.fromEntries(callPurposes.map((purpose) => [purpose, amount(purposeMinor(purpose))])) as Record<
        CallPurpose,
        string
      >,
      paid: amount(paidMinor),
      outstanding: amount(one.due_minor - paidMinor),
      paymentReference: callReference(row.number, one.investor_id),
      status: paidMinor >= one.due_minor ? 'paid' : late ? 'late' : paidMinor > 0n ? 'partly-paid' : 'unpaid',
      lateInterest: amount(interestMinor),
    };
  });
}

export async function getCall(
  db: Database,
  fundId: string,
  callId: string,
  principal: Principal,
  asOf = todayInParis(),
) {
  actorOn(principal, fundId);
  const row = await db('capital_calls').where({ id: callId, fund_id: fundId }).first<CallRow | undefined>();
  if (!row) throw new NotFoundError(fpciMessages.callMissing);
  const { rules } = await rulesOn(db, fundId, row.issued_on ?? asOf);
  const state = await workflowStates(db, 'capital-call', 'capital-call')
    .where('subject_id', row.id)
    .first<{ state: string } | undefined>('state');
  const items = await db('capital_call_items')
    .where('call_id', row.id)
    .select<CallItem[]>('investor_id', 'purpose', 'amount_minor');
  const payments = await livePayments(db)
    .where('call_id', row.id)
    .orderBy('received_on')
    .select<CallPayment[]>('investor_id', 'amount_minor', 'received_on');
  const owed = await dueByInvestor(db, row.id);
  const investors = investorLines(row, owed, items, payments, rules.lateInterestRate, asOf);
  const dueMinor = owed.reduce((total, one) => total + one.due_minor, 0n);
  const paidMinor = payments.reduce((total, payment) => total + payment.amount_minor, 0n);
  return {
    id: row.id,
    number: row.number,
    state: state?.state ?? 'draft',
    classShares: row.class_shares,
    purposes: row.purposes,
    dueOn: row.due_on,
    shortNoticeReason: row.short_notice_reason,
    issuedOn: row.issued_on,
    entryId: row.entry_id === null ? null : Number(row.entry_id),
    totals: { due: amount(dueMinor), paid: amount(paidMinor), outstanding: amount(dueMinor - paidMinor) },
    investors,
  };
}
