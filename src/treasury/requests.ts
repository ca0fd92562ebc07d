import type { Database, Transaction } from '../db/database';
import type { Page } from '../db/pagination';
import { euros, toApiAmount } from '../money';
import { disbursementStates } from './lists';

/**
 * What the treasury is asked to pay. A fund's module opens a request for an
 * organisation (the endowment, when a grant's tranche becomes payable); the
 * treasury pays it by one or more payments, and says where each request stands.
 */
type RequestRow = {
  id: string;
  fund_id: string;
  tranche_id: string;
  organisation_id: string;
  amount_minor: bigint;
  payable_account_code: string;
  label: string;
  created_at: Date;
};

export async function openDisbursementRequest(
  trx: Transaction,
  request: {
    fundId: string;
    trancheId: string;
    organisationId: string;
    amountMinor: bigint;
    payableAccountCode: string;
    /** Also the transfer's remittance text. */
    label: string;
  },
): Promise<void> {
  await trx<RequestRow>('disbursement_requests').insert({
    fund_id: request.fundId,
    tranche_id: request.trancheId,
    organisation_id: request.organisationId,
    amount_minor: request.amountMinor,
    payable_account_code: request.payableAccountCode,
    label: request.label,
  });
}

/** The total requested on these tranches. */
export async function requestedOnTranches(db: Database | Transaction, trancheIds: string[]): Promise<bigint> {
  const row = await db<RequestRow>('disbursement_requests')
    .whereRaw('tranche_id = any(?::uuid[])', [trancheIds])
    .sum<{ total: string | null }>('amount_minor as total')
    .first();
  return BigInt(row?.total ?? 0);
}

/** Where the payment of each of these tranches stands, by tranche (a tranche not yet payable has none). */
export async function paymentsOfTranches(
  db: Database | Transaction,
  trancheIds: string[],
): Promise<Map<string, { requestId: string; status: string }>> {
  const requests = await db<RequestRow>('disbursement_requests')
    .whereRaw('tranche_id = any(?::uuid[])', [trancheIds])
    .select('id', 'tranche_id', 'amount_minor');
  const states = await paymentStatesOfRequests(db, requests);
  return new Map(
    requests.map((request) => [
      request.tranche_id,
      { requestId: request.id, status: states.get(request.id) ?? 'requested' },
    ]),
  );
}

/**
 * The tranches made payable and sent to the treasury, newest first, with where
 * each one's payment stands (requested → in a batch → sent → paid, or
 * returned). That status follows the payments, so the filter applies before the
 * page is cut.
 */
export async function listDisbursementRequests(
  db: Database,
  fundId: string,
  filter: Page & { status?: string | undefined; organisationId?: string | undefined },
) {
  const query = db<RequestRow>('disbursement_requests').where('fund_id', fundId);
  if (filter.organisationId) query.where('organisation_id', filter.organisationId);
  const rows = await query
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
    .select('id', 'organisation_id', 'amount_minor', 'payable_account_code', 'label', 'created_at');
  const states = await paymentStatesOfRequests(db, rows);
  const requests = rows
    .map((row) => ({
      id: row.id,
      organisationId: row.organisation_id,
      amount: toApiAmount(euros(row.amount_minor)),
      payableAccountCode: row.payable_account_code,
      label: row.label,
      status: states.get(row.id) ?? 'requested',
      createdAt: row.created_at,
    }))
    .filter((request) => !filter.status || request.status === filter.status);
  const from = (filter.page - 1) * filter.pageSize;
  return {
    total: requests.length,
    page: filter.page,
    pageSize: filter.pageSize,
    requests: requests.slice(from, from + filter.pageSize),
  };
}

/**
 * Where each payable tranche stands: requested (nothing paid yet), in payment
 * (a payment awaits approval or a batch), in a batch, sent, paid (settled in
 * full) or returned (its last payment came back).
 */
async function paymentStatesOfRequests(
  db: Database | Transaction,
  requests: { id: string; amount_minor: bigint | string }[],
): Promise<Map<string, string>> {
  const rows: { request_id: string; amount_minor: bigint; state: string }[] = await db('disbursements as d')
    .join(disbursementStates(db).as('w'), 'w.subject_id', db.raw('d.id::text'))
    .whereRaw('d.request_id = any(?::uuid[])', [requests.map((request) => request.id)])
    .orderBy('d.created_at')
    .select('d.request_id', 'd.amount_minor', 'w.state');
  return new Map(
    requests.map((request) => {
      const payments = rows.filter(
        (row) => row.request_id === request.id && !['rejected', 'cancelled'].includes(row.state),
      );
      const settledMinor = payments
        .filter((row) => row.state === 'settled')
        .reduce((sum, row) => sum + BigInt(row.amount_minor), 0n);
      const last = payments.at(-1)?.state;
      const state =
        payments.length === 0
          ? 'requested'
          : settledMinor >= BigInt(request.amount_minor)
            ? 'paid'
            : last === 'returned'
              ? 'returned'
              : last === 'sent' || last === 'settled'
                ? 'sent'
                : last === 'batched'
                  ? 'in-batch'
                  : 'in-payment';
      return [request.id, state];
    }),
  );
}
