import { getFund } from '../ledger/queries';
import { randomBytes } from 'node:crypto';
import { bankAccountCode } from '../ledger/charts';
import type { Database, Transaction } from '../db/database';
import { assert, ConflictError, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { postEntry, reverseEntry, entryLabelLengthMax } from '../ledger/entries';
import { euros, formatFrench, toApiAmount } from '../money';
import { isSepaIban } from '../identifiers/bank-account';
import { investorPayee } from '../fpci/investors';
import { getOrganisation, lastBankDetailsChange } from '../organisations/service';
import { todayInParis } from '../time';
import {
  findWorkflow,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  type WorkflowActor,
  type WorkflowInstance,
} from '../workflow-runtime';
import { disbursementStates } from './lists';
import {
  disbursementWorkflow,
  type DisbursementContext,
  type DisbursementEvent,
} from '../../workflows/disbursement.machine';
import { assertPainValid } from './pain-schema';
import { assertSepaTextUsable, painCreditTransfer, sepaMessageId } from './sepa';
import { treasuryMessages } from './messages';

/**
 * Paying what was decided, only that, once. A disbursement is drawn on a
 * disbursement request (a payable tranche) and can never exceed what is still
 * payable on it — checked under a lock on the request. Money leaves the books
 * when the bank confirms: payable against bank; a return puts it back.
 */
const subjectOf = (disbursementId: string) => ({ type: 'disbursement', id: disbursementId });
const activeStates = ['requested', 'approved', 'batched', 'sent', 'settled'];

type DisbursementRow = {
  id: string;
  fund_id: string;
  request_id: string;
  amount_minor: bigint;
  creditor_name: string;
  creditor_iban: string;
  creditor_bic: string | null;
  remittance: string;
  end_to_end_id: string;
  payable_account_code: string;
  requested_by: string;
  batch_id: string | null;
  settlement_entry_id: bigint | null;
};

export const isTreasurerOf = (principal: Principal, fundId: string) =>
  isAdmin(principal) || scopesHeld(principal, ['treasurer'], 'fund').includes(fundId);

/** How the person stands to a disbursement: what the workflow's permissions are written against. */
function relationsOf(principal: Principal, row: DisbursementRow): string[] {
  if (!isTreasurerOf(principal, row.fund_id)) return [];
  const treasurer = scopesHeld(principal, ['treasurer'], 'fund').includes(row.fund_id);
  return [
    ...(isAdmin(principal) ? ['admin'] : []),
    ...(treasurer ? ['treasurer'] : []),
    ...(treasurer && principal.userId !== row.requested_by ? ['approver'] : []),
  ];
}

const newEndToEndId = () => `MIL-${randomBytes(9).toString('hex').toUpperCase()}`;

/** Still payable on a request: its amount less every disbursement not rejected, cancelled or returned. */
async function remainingOn(trx: Transaction, requestId: string, amountMinor: bigint): Promise<bigint> {
  const { rows } = await trx.raw(
    `select coalesce(sum(d.amount_minor), 0)::bigint as engaged
     from disbursements d join ? w on w.subject_id = d.id::text
     where d.request_id = ? and w.state = any(?)`,
    [disbursementStates(trx), requestId, activeStates],
  );
  return amountMinor - BigInt(rows[0].engaged);
}

/** Whom a request pays and on which bank details, as the module that keeps them says today. */
async function payeeOf(
  trx: Transaction,
  request: { organisation_id: string | null; investor_id: string | null },
): Promise<{ name: string; iban: string | null; bic: string | null }> {
  if (request.organisation_id !== null) return getOrganisation(trx, request.organisation_id);
  assert(request.investor_id !== null, 'a request pays an organisation or an investor');
  return investorPayee(trx, request.investor_id);
}

export async function requestDisbursement(
  trx: Transaction,
  fundId: string,
  input: { requestId: string; amount?: bigint | undefined },
  principal: Principal,
): Promise<string> {
  // Concurrent requests on one tranche take turns here.
  const request = await trx('disbursement_requests')
    .where({ id: input.requestId, fund_id: fundId })
    .forUpdate()
    .first();
  if (!request) throw new ValidationError([{ path: ['requestId'], message: treasuryMessages.requestMissing }]);
  const remaining = await remainingOn(trx, request.id, request.amount_minor);
  const amount = input.amount ?? remaining;
  if (amount <= 0n || amount > remaining) {
    throw new RuleViolationError(
      'treasury/over-payable',
      treasuryMessages.overPayable(toApiAmount(euros(remaining > 0n ? remaining : 0n))),
      { remaining: toApiAmount(euros(remaining > 0n ? remaining : 0n)) },
    );
  }
  const payee = await payeeOf(trx, request);
  if (!payee.iban)
    throw new RuleViolationError('treasury/no-bank-account', treasuryMessages.payeeWithoutIban(payee.name));
  if (!isSepaIban(payee.iban))
    throw new RuleViolationError('treasury/not-sepa', treasuryMessages.payeeIbanNotSepa(payee.name));
  // Refused now, when the treasurer can still correct the name, rather than in a file the bank would reject.
  assertSepaTextUsable({ creditorName: payee.name, remittance: request.label });
  const account = await trx('treasury_accounts').where('fund_id', fundId).first('second_approval_above_minor');
  if (!account) throw new RuleViolationError('treasury/no-paying-account', treasuryMessages.fundBankAccountMissing);
  const [row] = await trx('disbursements')
    .insert({
      fund_id: fundId,
      request_id: request.id,
      amount_minor: amount,
      creditor_name: payee.name,
      creditor_iban: payee.iban,
      creditor_bic: payee.bic,
      remittance: request.label,
      end_to_end_id: newEndToEndId(),
      payable_account_code: request.payable_account_code,
      requested_by: principal.userId,
    })
    .returning('id');
  // The threshold applies to the tranche, not to each piece of it: paying 15 000 € as two 7 500 € payments still takes two approvers.
  // So does a payment to bank details changed since the last payment to them was approved.
  const approvalsNeeded =
    BigInt(request.amount_minor) > BigInt(account.second_approval_above_minor) ||
    (request.organisation_id !== null &&
      (await bankDetailsChangedSinceApproval(trx, request.organisation_id, payee.iban)))
      ? 2
      : 1;
  await startWorkflow(
    trx,
    disbursementWorkflow,
    subjectOf(row.id),
    { requestedBy: principal.userId, approvalsNeeded },
    { userId: principal.userId, relations: ['treasurer'] },
    'Paiement demandé',
  );
  return row.id;
}

async function locked(trx: Transaction, disbursementId: string, principal: Principal) {
  const row: DisbursementRow | undefined = await trx('disbursements').where('id', disbursementId).forUpdate().first();
  if (!row || relationsOf(principal, row).length === 0) throw new NotFoundError(treasuryMessages.disbursementMissing);
  const instance = await lockWorkflow<DisbursementContext>(trx, 'disbursement', subjectOf(disbursementId));
  return {
    row,
    instance,
    actor: { userId: principal.userId, relations: relationsOf(principal, row) } satisfies WorkflowActor,
  };
}

/**
 * Sends an event and books what it moves: settlement (payable against bank) and returns (back).
 * Returns the entry it posted, if any. Each entry's key names the workflow version it moved
 * from: a payment settled again after an undone match gets a new entry, not the reversed one.
 */
async function transition(
  trx: Transaction,
  row: DisbursementRow,
  instance: WorkflowInstance<DisbursementContext>,
  event: DisbursementEvent,
  actor: WorkflowActor,
  reason?: string,
  accountingDate = todayInParis(),
): Promise<number | null> {
  await sendWorkflowEvent(trx, disbursementWorkflow, instance, event, actor, reason);
  if (event.type === 'SETTLE') {
    const { entry } = await postEntry(
      trx,
      bankEntry(row, 'Virement', 1n, `settle:${row.end_to_end_id}:v${instance.version}`, accountingDate),
      actor,
    );
    await trx('disbursements').where('id', row.id).update({ settlement_entry_id: entry.id });
    return entry.id;
  }
  if (event.type === 'UNSETTLE') await trx('disbursements').where('id', row.id).update({ settlement_entry_id: null });
  if (event.type === 'RETURN' && instance.state === 'settled')
    return (
      await postEntry(
        trx,
        bankEntry(
          row,
          `Retour (${event.reasonCode})`,
          -1n,
          `return:${row.end_to_end_id}:v${instance.version}`,
          accountingDate,
        ),
        actor,
      )
    ).entry.id;
  if (event.type === 'REISSUE') {
    const request = await trx('disbursement_requests').where('id', row.request_id).first();
    assert(request, `the request ${row.request_id} of disbursement ${row.id}`);
    const payee = await payeeOf(trx, request);
    if (payee.iban === row.creditor_iban)
      throw new RuleViolationError('treasury/bank-details-unchanged', treasuryMessages.bankDetailsUnchanged);
    await trx('disbursements').where('id', row.id).update({
      creditor_iban: payee.iban,
      creditor_bic: payee.bic,
      end_to_end_id: newEndToEndId(),
      batch_id: null,
      settlement_entry_id: null,
    });
  }
  return null;
}

const bankEntry = (row: DisbursementRow, what: string, sign: bigint, key: string, accountingDate: string) => ({
  fundId: row.fund_id,
  journalCode: 'BQ',
  accountingDate,
  label: `${what} ${row.creditor_name} ${row.end_to_end_id}`.slice(0, entryLabelLengthMax),
  sourceType: 'disbursement',
  sourceId: row.id,
  idempotencyKey: key,
  lines: [
    { accountCode: row.payable_account_code, amountMinor: sign * row.amount_minor },
    { accountCode: bankAccountCode, amountMinor: -sign * row.amount_minor },
  ],
});

export type DisbursementStep = {
  event: 'APPROVE' | 'REJECT' | 'CANCEL' | 'SETTLE' | 'REISSUE' | 'RETURN';
  reason?: string | undefined;
  reasonCode?: string | undefined;
};

function eventFor(step: DisbursementStep, principal: Principal): DisbursementEvent {
  switch (step.event) {
    case 'APPROVE':
      return { type: 'APPROVE', approverId: principal.userId };
    case 'REJECT':
      return { type: 'REJECT', reason: step.reason ?? '' };
    case 'RETURN':
      return { type: 'RETURN', reasonCode: step.reasonCode ?? 'NARR' };
    case 'REISSUE':
      // Re-issued to new bank details: two approvers, neither the one who re-issues.
      return { type: 'REISSUE', reissuedBy: principal.userId, approvalsNeeded: 2 };
    default:
      return { type: step.event };
  }
}

/** Whether the organisation's bank details changed and no payment to the new ones has been approved since. */
async function bankDetailsChangedSinceApproval(
  trx: Transaction,
  organisationId: string,
  iban: string,
): Promise<boolean> {
  const change = await lastBankDetailsChange(trx, organisationId);
  if (!change) return false;
  const { rows } = await trx.raw(
    `select 1 from disbursements d
     join disbursement_requests r on r.id = d.request_id
     join ? w on w.subject_id = d.id::text
     where r.organisation_id = ? and d.creditor_iban = ? and d.created_at > ? and w.state = any(?) limit 1`,
    [disbursementStates(trx), organisationId, iban, change.changedAt, ['approved', 'batched', 'sent', 'settled']],
  );
  return rows.length === 0;
}

export async function takeDisbursementStep(
  trx: Transaction,
  disbursementId: string,
  step: DisbursementStep,
  principal: Principal,
): Promise<void> {
  const { row, instance, actor } = await locked(trx, disbursementId, principal);
  const event = eventFor(step, principal);
  if (event.type === 'APPROVE' && instance.context.approvals.includes(principal.userId))
    throw new ConflictError(treasuryMessages.alreadyApproved);
  if (
    event.type === 'APPROVE' &&
    (row.requested_by === principal.userId || instance.context.requestedBy === principal.userId)
  ) {
    throw new ForbiddenError(treasuryMessages.fourEyes);
  }
  await transition(trx, row, instance, event, actor, step.reason);
}

/** Puts approved disbursements of a fund into a new batch: one SEPA file. */
export async function createBatch(
  trx: Transaction,
  fundId: string,
  input: { disbursementIds: string[]; executionDate: string },
  principal: Principal,
): Promise<string> {
  if (input.executionDate < todayInParis())
    throw new ValidationError([
      {
        path: ['executionDate'],
        message: treasuryMessages.executionDatePast,
      },
    ]);
  const messageId = sepaMessageId(
    fundId,
    `${Date.now().toString(36).toUpperCase()}-${randomBytes(2).toString('hex').toUpperCase()}`,
  );
  const [batch] = await trx('payment_batches')
    .insert({
      fund_id: fundId,
      message_id: messageId,
      requested_execution_date: input.executionDate,
      created_by: principal.userId,
    })
    .returning('id');
  for (const [index, disbursementId] of input.disbursementIds.entries()) {
    const { row, instance, actor } = await locked(trx, disbursementId, principal).catch(() => {
      throw new ValidationError([{ path: ['disbursementIds', index], message: treasuryMessages.paymentUnknown }]);
    });
    if (row.fund_id !== fundId)
      throw new ValidationError([{ path: ['disbursementIds', index], message: treasuryMessages.paymentOfAnotherFund }]);
    await transition(trx, row, instance, { type: 'ADD_TO_BATCH', batchId: batch.id }, actor);
    await trx('disbursements').where('id', row.id).update({ batch_id: batch.id });
  }
  await assertFourEyesPerBeneficiary(trx, fundId, batch.id);
  return batch.id;
}

/** Within a batch, the threshold applies to what one beneficiary receives in all: every payment to it then has two approvers. */
async function assertFourEyesPerBeneficiary(trx: Transaction, fundId: string, batchId: string): Promise<void> {
  const account = await trx('treasury_accounts').where('fund_id', fundId).first('second_approval_above_minor');
  const thresholdMinor = BigInt(account.second_approval_above_minor);
  const rows = await trx('disbursements')
    .where('batch_id', batchId)
    .select('id', 'creditor_iban', 'creditor_name', 'amount_minor');
  const totals = new Map<string, { name: string; totalMinor: bigint; singleApproved: number }>();
  for (const row of rows) {
    const total = totals.get(row.creditor_iban) ?? { name: row.creditor_name, totalMinor: 0n, singleApproved: 0 };
    total.totalMinor += BigInt(row.amount_minor);
    const { context } = await findWorkflow<DisbursementContext>(trx, 'disbursement', subjectOf(row.id));
    if (context.approvals.length < 2) total.singleApproved += 1;
    totals.set(row.creditor_iban, total);
  }
  for (const total of totals.values()) {
    if (total.totalMinor > thresholdMinor && total.singleApproved > 0) {
      throw new RuleViolationError(
        'treasury/four-eyes-split',
        treasuryMessages.batchAboveThreshold(
          formatFrench(euros(total.totalMinor)),
          total.name,
          formatFrench(euros(thresholdMinor)),
          total.singleApproved,
        ),
      );
    }
  }
}

/** The batch's pain.001 file, the same every time it is exported. */
export async function batchFile(
  db: Database | Transaction,
  batchId: string,
  principal?: Principal,
): Promise<{ fileName: string; xml: string }> {
  const batch = await db('payment_batches').where('id', batchId).first();
  if (!batch || (principal && !isTreasurerOf(principal, batch.fund_id)))
    throw new NotFoundError(treasuryMessages.batchMissing);
  const account = await db('treasury_accounts').where('fund_id', batch.fund_id).first();
  const fund = await getFund(db, batch.fund_id);
  const transfers = await db('disbursements').where('batch_id', batchId).orderBy('created_at');
  const xml = await validatedPain({
    messageId: batch.message_id,
    createdAt: batch.created_at,
    initiatingParty: fund.name,
    paymentInformationId: batch.message_id,
    requestedExecutionDate: batch.requested_execution_date,
    debtor: { name: account.holder_name, iban: account.iban, bic: account.bic },
    transfers: transfers.map((transfer) => ({
      endToEndId: transfer.end_to_end_id,
      amountMinor: transfer.amount_minor,
      creditorName: transfer.creditor_name,
      creditorIban: transfer.creditor_iban,
      creditorBic: transfer.creditor_bic,
      remittance: transfer.remittance,
    })),
  });
  return { fileName: `${batch.message_id}.xml`, xml };
}

/** A pain.001 file is offered only once the EPC schema accepts it. */
async function validatedPain(batch: Parameters<typeof painCreditTransfer>[0]): Promise<string> {
  const xml = painCreditTransfer(batch);
  await assertPainValid(xml);
  return xml;
}

/** The treasurer says the file went to the bank: every payment of the batch is sent. */
export async function markBatchSent(trx: Transaction, batchId: string, principal: Principal): Promise<void> {
  const ids: string[] = await trx('disbursements').where('batch_id', batchId).orderBy('id').pluck('id');
  if (ids.length === 0) throw new NotFoundError(treasuryMessages.batchMissing);
  for (const id of ids) {
    const { row, instance, actor } = await locked(trx, id, principal);
    await transition(trx, row, instance, { type: 'SEND' }, actor);
  }
}

export async function getDisbursement(db: Database, disbursementId: string, principal: Principal) {
  const row: DisbursementRow | undefined = await db('disbursements').where('id', disbursementId).first();
  if (!row || relationsOf(principal, row).length === 0) throw new NotFoundError(treasuryMessages.disbursementMissing);
  const instance = await findWorkflow<DisbursementContext>(db, 'disbursement', subjectOf(disbursementId));
  return {
    id: row.id,
    requestId: row.request_id,
    amount: toApiAmount(euros(row.amount_minor)),
    creditor: { name: row.creditor_name, iban: row.creditor_iban, bic: row.creditor_bic },
    remittance: row.remittance,
    endToEndId: row.end_to_end_id,
    batchId: row.batch_id,
    state: instance.state,
    approvals: instance.context.approvals,
    approvalsNeeded: instance.context.approvalsNeeded,
    history: await workflowHistory(db, instance.id),
  };
}

/**
 * What the bank's statement says happened to a payment, as the treasurer
 * confirmed it (relation 'bank'); undoing that match sends the payment back
 * where it was and reverses the entry the match posted.
 */
export async function bankConfirms(
  trx: Transaction,
  disbursementId: string,
  event: Extract<DisbursementEvent, { type: 'SETTLE' | 'RETURN' | 'UNSETTLE' | 'UNDO_RETURN' }>,
  userId: string,
  options: { reason: string; bookedOn?: string; entryToReverse?: number | null },
): Promise<number | null> {
  const row: DisbursementRow = await trx('disbursements').where('id', disbursementId).forUpdate().first();
  const instance = await lockWorkflow<DisbursementContext>(trx, 'disbursement', subjectOf(disbursementId));
  const actor = { userId, relations: ['bank'] };
  const { reason, entryToReverse } = options;
  const posted = await transition(trx, row, instance, event, actor, reason, options.bookedOn);
  if (entryToReverse)
    await reverseEntry(trx, row.fund_id, entryToReverse, { accountingDate: todayInParis(), reason }, actor);
  return posted;
}
