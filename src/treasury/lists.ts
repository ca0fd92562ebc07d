import type { Database, Transaction } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
import { euros, toApiAmount } from '../money';
import { workflowStates } from '../workflow-runtime';

/**
 * The treasury's lists: payments and batches, filtered and paginated, and where
 * each payable tranche stands as its payments go (requested → in a batch → sent
 * → paid, or returned).
 */

const amount = (minor: bigint | string | number | null | undefined) => toApiAmount(euros(BigInt(minor ?? 0)));
/** Each payment's state and context, as a subquery to join on `subject_id` (the payment's id as text). */
export const disbursementStates = (db: Database | Transaction) => workflowStates(db, 'disbursement', 'disbursement');

export async function listDisbursements(
  db: Database,
  fundId: string,
  filter: Page & { state?: string | undefined; organisationId?: string | undefined; batchId?: string | undefined },
) {
  const query = db('disbursements as d')
    .join(disbursementStates(db).as('w'), 'w.subject_id', db.raw('d.id::text'))
    .join('disbursement_requests as r', 'r.id', 'd.request_id')
    .where('d.fund_id', fundId);
  if (filter.state) query.where('w.state', filter.state);
  if (filter.organisationId) query.where('r.organisation_id', filter.organisationId);
  if (filter.batchId) query.where('d.batch_id', filter.batchId);
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read
      .orderBy([{ column: 'd.created_at', order: 'desc' }, { column: 'd.id' }])
      .select(
        'd.id',
        'd.request_id',
        'r.organisation_id',
        'r.investor_id',
        'd.creditor_name',
        'd.amount_minor',
        'd.end_to_end_id',
        'd.batch_id',
        'd.created_at',
        'w.state',
        'w.context',
      ),
  );
  return {
    ...page,
    disbursements: rows.map((row) => ({
      id: row.id,
      requestId: row.request_id,
      organisationId: row.organisation_id,
      investorId: row.investor_id,
      creditor: row.creditor_name,
      amount: amount(row.amount_minor),
      endToEndId: row.end_to_end_id,
      batchId: row.batch_id,
      state: row.state,
      approvals: row.context.approvals.length,
      approvalsNeeded: row.context.approvalsNeeded,
      requestedAt: row.created_at,
    })),
  };
}

/** A batch is prepared until its file goes to the bank, then sent, then paid once every payment in it is settled. */
function batchState(states: string[]): string {
  if (states.length > 0 && states.every((state) => state === 'settled')) return 'paid';
  if (states.some((state) => ['sent', 'settled', 'returned'].includes(state))) return 'sent';
  return 'prepared';
}

export async function listBatches(db: Database, filter: Page & { fundId?: string | undefined }) {
  const query = db('payment_batches as b');
  if (filter.fundId) query.where('b.fund_id', filter.fundId);
  const { rows: batches, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read
      .orderBy([{ column: 'b.created_at', order: 'desc' }, { column: 'b.id' }])
      .select('b.id', 'b.fund_id', 'b.message_id', 'b.requested_execution_date', 'b.created_at'),
  );
  const payments = await db('disbursements as d')
    .join(disbursementStates(db).as('w'), 'w.subject_id', db.raw('d.id::text'))
    .whereIn(
      'd.batch_id',
      batches.map((batch) => batch.id),
    )
    .select('d.batch_id', 'd.amount_minor', 'w.state');
  return {
    ...page,
    batches: batches.map((batch) => {
      const inBatch = payments.filter((payment) => payment.batch_id === batch.id);
      return {
        id: batch.id,
        fundId: batch.fund_id,
        messageId: batch.message_id,
        executionDate: batch.requested_execution_date,
        state: batchState(inBatch.map((payment) => payment.state)),
        payments: inBatch.length,
        total: amount(inBatch.reduce((sum, payment) => sum + BigInt(payment.amount_minor), 0n)),
        createdAt: batch.created_at,
      };
    }),
  };
}
