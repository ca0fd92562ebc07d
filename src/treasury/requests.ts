import type { Database, Transaction } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
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
  const rows: { id: string; tranche_id: string; status: string }[] = await requestsWithStatus(db, {
    trancheIds,
  }).select('r.id', 'r.tranche_id');
  return new Map(rows.map((row) => [row.tranche_id, { requestId: row.id, status: row.status }]));
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
  const withStatus = requestsWithStatus(db, { fundId }).select(
    'r.id',
    'r.organisation_id',
    'r.amount_minor',
    'r.payable_account_code',
    'r.label',
    'r.created_at',
  );
  if (filter.organisationId) withStatus.where('r.organisation_id', filter.organisationId);
  const query = db.from(withStatus.as('t'));
  if (filter.status) query.where('t.status', filter.status);
  const { rows, ...page } = await pageOf<RequestRow & { status: string }>(query, filter, (read) =>
    read.orderBy([{ column: 't.created_at', order: 'desc' }, { column: 't.id' }]).select('t.*'),
  );
  return {
    ...page,
    requests: rows.map((row) => ({
      id: row.id,
      organisationId: row.organisation_id,
      amount: toApiAmount(euros(BigInt(row.amount_minor))),
      payableAccountCode: row.payable_account_code,
      label: row.label,
      status: row.status,
      createdAt: row.created_at,
    })),
  };
}

/**
 * Where each payable tranche stands: requested (nothing paid yet), in payment
 * (a payment awaits approval or a batch), in a batch, sent, paid (settled in
 * full) or returned (its last payment came back).
 */
function requestsWithStatus(db: Database | Transaction, scope: { fundId: string } | { trancheIds: string[] }) {
  // A rejected or cancelled payment never happened; the last live one tells where the request stands.
  const payments = db('disbursements as d')
    .join(disbursementStates(db).as('w'), 'w.subject_id', db.raw('d.id::text'))
    .whereNotIn('w.state', ['rejected', 'cancelled'])
    .groupBy('d.request_id')
    .select(
      'd.request_id',
      db.raw("coalesce(sum(d.amount_minor) filter (where w.state = 'settled'), 0) as settled_minor"),
      db.raw('(array_agg(w.state order by d.created_at desc, d.id desc))[1] as last_state'),
    );
  const requests = db('disbursement_requests as r');
  // Only the payments of the requests asked about are summed.
  if ('fundId' in scope) {
    payments.where('d.fund_id', scope.fundId);
    requests.where('r.fund_id', scope.fundId);
  } else {
    const ofTranches = db('disbursement_requests').whereRaw('tranche_id = any(?::uuid[])', [scope.trancheIds]);
    payments.whereIn('d.request_id', ofTranches.clone().select('id'));
    requests.whereRaw('r.tranche_id = any(?::uuid[])', [scope.trancheIds]);
  }
  return requests.leftJoin(payments.as('p'), 'p.request_id', 'r.id').select(
    db.raw(`case
        when p.request_id is null then 'requested'
        when p.settled_minor >= r.amount_minor then 'paid'
        when p.last_state = 'returned' then 'returned'
        when p.last_state in ('sent', 'settled') then 'sent'
        when p.last_state = 'batched' then 'in-batch'
        else 'in-payment' end as status`),
  );
}
