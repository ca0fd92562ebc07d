import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { actorOn } from '../fpci/access';
import { namesOf } from '../identity/service';
import { postEntry, type EntryLine } from '../ledger/entries';
import { amount } from '../ledger/views';
import { formatFrenchDay, todayInParis } from '../time';
import { lockWorkflow, sendWorkflowEvent, startWorkflow, workflowStates } from '../workflow-runtime';
import { valuationWorkflow, type ValuationContext } from '../../workflows/valuation.machine';
import { lockedInvestment } from './investments';
import { portfolioMessages } from './messages';
import type { ValuationInput } from './schema';

/**
 * Fair values (IPEV): each investment is valued at each quarter end by one
 * person of the fund's team — technique, inputs, calibration note — and
 * approved by another. Approved, the difference between the value and what
 * the books carry for it (cost, plus the differences already posted) is
 * posted on the quarter end: the portfolio's differences of estimation (2780)
 * against the fund's equity (1071), never through its result — a gain is
 * realised only when sold. The investment's end takes them back out.
 */
export const revaluationAccountCode = '2780';
export const revaluationEquityCode = '1071';

const subjectOf = (valuationId: string) => ({ type: 'valuation', id: valuationId });
const sumMinor = (rows: { total?: string | bigint | null } | undefined) => BigInt(rows?.total ?? 0);

/** What an investment cost at the end of a day: drawn, less principal repaid. */
export async function costAt(db: Database | Transaction, investmentId: string, day: string): Promise<bigint> {
  // One after the other: inside a transaction, a connection runs one query at a time.
  const drawn = await db('investment_drawdowns')
    .where('investment_id', investmentId)
    .andWhere('requested_on', '<=', day)
    .sum({ total: 'amount_minor' })
    .first();
  const repaid = await db('investment_receipts')
    .where({ investment_id: investmentId, kind: 'repayment' })
    .andWhere('received_on', '<=', day)
    .sum({ total: 'amount_minor' })
    .first();
  return sumMinor(drawn) - sumMinor(repaid);
}

/** The differences of estimation posted for an investment up to a day (all of them without one). */
export async function revaluedMinor(db: Database | Transaction, investmentId: string, day?: string): Promise<bigint> {
  const query = db('investment_revaluations').where('investment_id', investmentId);
  if (day) query.andWhere('booked_on', '<=', day);
  return sumMinor(await query.sum({ total: 'amount_minor' }).first());
}

type ValuationRow = {
  id: string;
  investment_id: string;
  measured_on: string;
  technique: string;
  value_minor: bigint;
  inputs: { name: string; value: string }[];
  calibration_note: string;
  proposed_by: string;
  proposed_at: Date;
};

/** The valuations with their state, the investment's name, who proposed and what was posted. */
function valuationsQuery(db: Database | Transaction, fundId: string) {
  return db('investment_valuations as v')
    .join('investments as i', 'i.id', 'v.investment_id')
    .join(workflowStates(db, 'valuation', 'valuation').as('w'), 'w.subject_id', db.raw('v.id::text'))
    .leftJoin('investment_revaluations as r', 'r.valuation_id', 'v.id')
    .where('i.fund_id', fundId)
    .select<(ValuationRow & { name: string; state: string; revaluation_minor: bigint | null })[]>(
      'v.*',
      'i.name',
      'w.state',
      'r.amount_minor as revaluation_minor',
    );
}

type ListedValuation = Awaited<ReturnType<typeof valuationsQuery>>[number];

async function valuationViews(db: Database, rows: ListedValuation[], principal: Principal) {
  const names = await namesOf(db, [...new Set(rows.map((row) => row.proposed_by))]);
  return rows.map((row) => valuationView(row, names.get(row.proposed_by) ?? '', row.proposed_by === principal.userId));
}

function valuationView(row: ListedValuation, proposedBy: string, proposedByYou: boolean) {
  return {
    id: row.id,
    investmentId: row.investment_id,
    investmentName: row.name,
    measuredOn: row.measured_on,
    technique: row.technique,
    value: amount(row.value_minor),
    inputs: row.inputs,
    calibrationNote: row.calibration_note,
    state: row.state,
    proposedBy,
    proposedByYou,
    proposedAt: row.proposed_at,
    revaluation: row.revaluation_minor === null ? null : amount(row.revaluation_minor),
  };
}

export async function listValuations(
  db: Database,
  fundId: string,
  filter: { investmentId?: string; measuredOn?: string },
  principal: Principal,
) {
  actorOn(principal, fundId);
  const query = valuationsQuery(db, fundId).orderBy([
    { column: 'v.measured_on', order: 'desc' },
    { column: 'v.proposed_at', order: 'desc' },
  ]);
  if (filter.investmentId) query.andWhere('v.investment_id', filter.investmentId);
  if (filter.measuredOn) query.andWhere('v.measured_on', filter.measuredOn);
  return { valuations: await valuationViews(db, await query, principal) };
}

async function valuationRow(db: Database | Transaction, fundId: string, valuationId: string, principal: Principal) {
  actorOn(principal, fundId);
  const row = await valuationsQuery(db, fundId).andWhere('v.id', valuationId).first();
  if (!row) throw new NotFoundError(portfolioMessages.valuationMissing);
  return row;
}

export async function getValuation(db: Database, fundId: string, valuationId: string, principal: Principal) {
  const [view] = await valuationViews(db, [await valuationRow(db, fundId, valuationId, principal)], principal);
  return view!;
}

/** The latest approved valuation of an investment, if any. */
async function latestApproved(db: Database | Transaction, fundId: string, investmentId: string) {
  return valuationsQuery(db, fundId)
    .andWhere({ 'v.investment_id': investmentId, 'w.state': 'approved' })
    .orderBy('v.measured_on', 'desc')
    .first();
}

/** Something to value on that day: drawn by then, not ended by then. */
async function assertValuable(trx: Transaction, investmentId: string, endedOn: string | null, day: string) {
  if (day > todayInParis())
    throw new ValidationError([{ path: ['measuredOn'], message: portfolioMessages.valuedInFuture }]);
  if (endedOn !== null && endedOn <= day)
    throw new RuleViolationError('portfolio/valued-after-end', portfolioMessages.valuedAfterEnd);
  const drawn = await trx('investment_drawdowns')
    .where('investment_id', investmentId)
    .andWhere('requested_on', '<=', day)
    .first<{ id: string } | undefined>('id');
  if (!drawn) throw new RuleViolationError('portfolio/valued-before-drawn', portfolioMessages.valuedBeforeDrawn);
}

/** One live valuation per investment and day. */
async function assertNoneLive(trx: Transaction, fundId: string, investmentId: string, day: string) {
  const live = await valuationsQuery(trx, fundId)
    .andWhere({ 'v.investment_id': investmentId, 'v.measured_on': day })
    .whereNot('w.state', 'rejected')
    .first();
  if (live) throw new ConflictError(portfolioMessages.valuationTwice(portfolioMessages.valuationStates[live.state]!));
}

/** Valuations are approved in order: none after a later one. */
async function assertAfterLatest(trx: Transaction, fundId: string, investmentId: string, day: string) {
  const latest = await latestApproved(trx, fundId, investmentId);
  if (latest && latest.measured_on > day)
    throw new RuleViolationError(
      'portfolio/valuation-order',
      portfolioMessages.valuationBeforeLatest(formatFrenchDay(latest.measured_on)),
    );
}

export async function proposeValuation(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  input: ValuationInput,
  principal: Principal,
): Promise<string> {
  const { row, actor } = await lockedInvestment(trx, fundId, investmentId, principal);
  const ended = await trx('investments').where('id', row.id).first<{ ended_on: string | null }>('ended_on');
  await assertValuable(trx, row.id, ended.ended_on, input.measuredOn);
  await assertNoneLive(trx, fundId, row.id, input.measuredOn);
  await assertAfterLatest(trx, fundId, row.id, input.measuredOn);
  const [valuation] = await trx('investment_valuations')
    .insert({
      investment_id: row.id,
      measured_on: input.measuredOn,
      technique: input.technique,
      value_minor: input.value,
      inputs: JSON.stringify(input.inputs),
      calibration_note: input.calibrationNote,
      proposed_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  await startWorkflow(
    trx,
    valuationWorkflow,
    subjectOf(valuation!.id),
    { proposedBy: principal.userId },
    actor,
    portfolioMessages.valuationProposed,
  );
  return valuation!.id;
}

/** Approved by someone else (its difference posted in the same transaction), or rejected with why. */
export async function takeValuationStep(
  trx: Transaction,
  fundId: string,
  valuationId: string,
  step: { event: 'APPROVE' } | { event: 'REJECT'; reason: string },
  principal: Principal,
): Promise<void> {
  const valuation = await valuationRow(trx, fundId, valuationId, principal);
  const { row, actor } = await lockedInvestment(trx, fundId, valuation.investment_id, principal);
  const instance = await lockWorkflow<ValuationContext>(trx, 'valuation', subjectOf(valuationId));
  if (step.event === 'REJECT') {
    await sendWorkflowEvent(
      trx,
      valuationWorkflow,
      instance,
      { type: 'REJECT', reason: step.reason },
      actor,
      step.reason,
    );
    return;
  }
  if (instance.context.proposedBy === principal.userId)
    throw new RuleViolationError('portfolio/four-eyes', portfolioMessages.valuationApprovedByProposer);
  await assertAfterLatest(trx, fundId, row.id, valuation.measured_on);
  await sendWorkflowEvent(trx, valuationWorkflow, instance, { type: 'APPROVE', approverId: principal.userId }, actor);
  const day = valuation.measured_on;
  const bookedMinor = (await costAt(trx, row.id, day)) + (await revaluedMinor(trx, row.id, day));
  const valueMinor = valuation.value_minor;
  const label = `${row.name} : ${portfolioMessages.revaluationLabel(formatFrenchDay(day))}`;
  await postRevaluation(
    trx,
    fundId,
    row.id,
    { valuationId, on: day, amountMinor: valueMinor - bookedMinor, label },
    principal.userId,
  );
}

/** The lines moving an investment's differences of estimation by an amount (a gain positive). */
export function revaluationLines(amountMinor: bigint, label: string): EntryLine[] {
  return [
    { accountCode: revaluationAccountCode, amountMinor, label },
    { accountCode: revaluationEquityCode, amountMinor: -amountMinor, label },
  ];
}

/** A difference of estimation posted (nothing when there is none) and kept against the investment. */
export async function postRevaluation(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  revaluation: { valuationId: string | null; on: string; amountMinor: bigint; label: string; entryId?: number },
  userId: string,
): Promise<void> {
  let entryId = revaluation.entryId ?? null;
  if (revaluation.amountMinor !== 0n && entryId === null) {
    const { entry } = await postEntry(
      trx,
      {
        fundId,
        journalCode: 'INV',
        accountingDate: revaluation.on,
        label: revaluation.label,
        sourceType: 'investment-valuation',
        sourceId: investmentId,
        idempotencyKey: `investment-valuation:${revaluation.valuationId}`,
        lines: revaluationLines(revaluation.amountMinor, revaluation.label),
      },
      { userId },
    );
    entryId = entry.id;
  }
  await trx('investment_revaluations').insert({
    investment_id: investmentId,
    valuation_id: revaluation.valuationId,
    booked_on: revaluation.on,
    amount_minor: revaluation.amountMinor,
    entry_id: revaluation.amountMinor === 0n ? null : entryId,
  });
}

/**
 * For a quarter's close: the fund's investments to value at a quarter end —
 * drawn by then and not ended by then — each with its approved valuation there, if any.
 */
export async function valuationsDueAt(db: Database | Transaction, fundId: string, quarterEnd: string) {
  const due = await db('investments as i')
    .where('i.fund_id', fundId)
    .andWhere((query) => {
      query.whereNull('i.ended_on').orWhere('i.ended_on', '>', quarterEnd);
    })
    .whereExists(
      db('investment_drawdowns as d').whereRaw('d.investment_id = i.id').andWhere('d.requested_on', '<=', quarterEnd),
    )
    .orderBy('i.name')
    .select<{ id: string; name: string; instrument: string }[]>('i.id', 'i.name', 'i.instrument');
  const approved = await valuationsQuery(db, fundId).andWhere({ 'v.measured_on': quarterEnd, 'w.state': 'approved' });
  const byInvestment = new Map(approved.map((one) => [one.investment_id, one]));
  return due.map((investment) => ({ ...investment, valuation: byInvestment.get(investment.id) ?? null }));
}
