import type { Database, Transaction } from '../db/database';
import { NotFoundError, ValidationError } from '../errors';
import { euros, formatFrench } from '../money';
import { todayInParis } from '../time';
import type { Principal } from '../identity/roles';
import { actorOn } from '../fpci/access';
import { assertUnitFund } from '../fpci/rules';
import { amount } from '../ledger/views';
import { applicationRow } from '../pathway/access';
import {
  findWorkflow,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  workflowStates,
  type WorkflowActor,
} from '../workflow-runtime';
import { investmentWorkflow } from '../../workflows/investment.machine';
import { portfolioMessages } from './messages';
import type { InvestmentStep, NewInvestment } from './schema';
import { investedMinor, storedTerms, type Terms } from './terms';

/**
 * A unit fund's investments, each in an organisation of the pathway and opened
 * from its file in that fund (so the organisation's trajectory shows a grant,
 * then an investment, in one history). The fund's team takes it through its
 * workflow; the committee's vote decides it (see `decideInvestment`).
 */
const subjectOf = (investmentId: string) => ({ type: 'investment', id: investmentId });

type InvestmentRow = {
  id: string;
  fund_id: string;
  organisation_id: string;
  application_id: string;
  instrument: string;
  name: string;
  amount_sought_minor: bigint;
  approved_amount_minor: bigint | null;
  terms: Record<string, unknown> | null;
  term_sheet_signed_on: string | null;
  created_at: Date;
};

export async function openInvestment(
  trx: Transaction,
  fundId: string,
  input: NewInvestment,
  principal: Principal,
): Promise<string> {
  const actor = actorOn(principal, fundId);
  await assertUnitFund(trx, fundId);
  const file = await applicationRow(trx, input.applicationId).catch(() => undefined);
  if (!file || file.fund_id !== fundId) throw new NotFoundError(portfolioMessages.fileNotOfThisFund);
  const [row] = await trx('investments')
    .insert({
      fund_id: fundId,
      organisation_id: file.organisation_id,
      application_id: file.id,
      instrument: input.instrument,
      name: input.name,
      amount_sought_minor: input.amountSought,
      created_by: principal.userId,
    })
    .returning<{ id: string }[]>('id');
  await startWorkflow(trx, investmentWorkflow, subjectOf(row!.id), undefined, actor, 'Investissement repéré');
  return row!.id;
}

export async function lockedInvestment(trx: Transaction, fundId: string, investmentId: string, principal: Principal) {
  const actor = actorOn(principal, fundId);
  const row = await trx('investments')
    .where({ id: investmentId, fund_id: fundId })
    .forUpdate()
    .first<InvestmentRow | undefined>();
  if (!row) throw new NotFoundError(portfolioMessages.investmentMissing);
  return { row, actor, instance: await lockWorkflow(trx, 'investment', subjectOf(investmentId)) };
}

/** The team's steps: due diligence begun, submitted to the committee (with its summary), term sheet signed (with its terms), abandon (with why). */
export async function takeInvestmentStep(
  trx: Transaction,
  fundId: string,
  investmentId: string,
  step: InvestmentStep,
  principal: Principal,
): Promise<void> {
  const { row, instance, actor } = await lockedInvestment(trx, fundId, investmentId, principal);
  // Recorded in the step's transaction: refused out of turn, the terms are not kept.
  if (step.event === 'SIGN_TERM_SHEET') await recordTerms(trx, row, step.terms);
  const event = step.event === 'ABANDON' ? { type: step.event, reason: step.reason } : { type: step.event };
  const reason =
    step.event === 'SUBMIT_TO_COMMITTEE' ? step.summary : step.event === 'ABANDON' ? step.reason : undefined;
  await sendWorkflowEvent(trx, investmentWorkflow, instance, event, actor, reason);
}

/** The term sheet's terms: of this investment's instrument, never investing more than the committee voted. */
async function recordTerms(trx: Transaction, row: InvestmentRow, terms: Terms) {
  if (terms.instrument !== row.instrument)
    throw new ValidationError([
      { path: ['terms', 'instrument'], message: portfolioMessages.termsOfAnotherInstrument(row.instrument) },
    ]);
  if (row.approved_amount_minor !== null && investedMinor(terms) > row.approved_amount_minor)
    throw new ValidationError([
      { path: ['terms'], message: portfolioMessages.aboveVote(formatFrench(euros(row.approved_amount_minor))) },
    ]);
  await trx('investments')
    .where('id', row.id)
    .update({ terms: storedTerms(terms), term_sheet_signed_on: todayInParis() });
}

/** For the committees: the investment a vote is opened on, in its fund, and where its workflow stands. */
export async function investmentForCommittee(trx: Transaction, investmentId: string) {
  const row = await trx('investments').where('id', investmentId).first<InvestmentRow | undefined>();
  if (!row) throw new NotFoundError(portfolioMessages.investmentMissing);
  const instance = await lockWorkflow(trx, 'investment', subjectOf(investmentId));
  return { row, instance };
}

/** The committee's adopted decision, in the transaction of the vote's close. */
export async function decideInvestment(
  trx: Transaction,
  investmentId: string,
  decision: { type: 'COMMITTEE_APPROVED'; amountMinor: bigint } | { type: 'COMMITTEE_DECLINED'; feedback: string },
  actorId: string | null,
  reason: string,
): Promise<void> {
  const { instance } = await investmentForCommittee(trx, investmentId);
  const actor: WorkflowActor = { userId: actorId, relations: ['committee'] };
  const approved = decision.type === 'COMMITTEE_APPROVED';
  const event = approved ? { type: decision.type, amountMinor: String(decision.amountMinor) } : decision;
  await sendWorkflowEvent(trx, investmentWorkflow, instance, event, actor, reason);
  if (approved)
    await trx('investments').where('id', investmentId).update({ approved_amount_minor: decision.amountMinor });
}

function investmentView(row: InvestmentRow, state: string) {
  return {
    id: row.id,
    fundId: row.fund_id,
    organisationId: row.organisation_id,
    applicationId: row.application_id,
    instrument: row.instrument,
    name: row.name,
    amountSought: amount(row.amount_sought_minor),
    approvedAmount: row.approved_amount_minor === null ? null : amount(row.approved_amount_minor),
    state,
    createdAt: row.created_at,
  };
}

export async function getInvestment(db: Database, fundId: string, investmentId: string, principal: Principal) {
  actorOn(principal, fundId);
  const row = await db('investments').where({ id: investmentId, fund_id: fundId }).first<InvestmentRow | undefined>();
  if (!row) throw new NotFoundError(portfolioMessages.investmentMissing);
  return investmentWithHistory(db, row);
}

/** The investments in an organisation, in every fund, the oldest first: its side of its trajectory. */
export async function investmentsInOrganisation(db: Database, organisationId: string) {
  const rows = await db('investments')
    .where('organisation_id', organisationId)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select<InvestmentRow[]>('*');
  return Promise.all(rows.map((row) => investmentWithHistory(db, row)));
}

async function investmentWithHistory(db: Database, row: InvestmentRow) {
  const instance = await findWorkflow(db, 'investment', subjectOf(row.id));
  const history = await workflowHistory(db, instance.id);
  return {
    ...investmentView(row, instance.state),
    termSheetSignedOn: row.term_sheet_signed_on,
    storedTerms: row.terms,
    history: history.map((one) => ({
      event: one.event,
      fromState: one.fromState,
      toState: one.toState,
      reason: one.reason,
      at: one.occurredAt,
    })),
  };
}

export async function listInvestments(db: Database, fundId: string, principal: Principal) {
  actorOn(principal, fundId);
  await assertUnitFund(db, fundId);
  const rows = await db('investments as i')
    .join(workflowStates(db, 'investment', 'investment').as('w'), 'w.subject_id', db.raw('i.id::text'))
    .where('i.fund_id', fundId)
    .orderBy([{ column: 'i.created_at', order: 'desc' }, { column: 'i.id' }])
    .select<(InvestmentRow & { state: string })[]>('i.*', 'w.state');
  return { investments: rows.map((row) => investmentView(row, row.state)) };
}
