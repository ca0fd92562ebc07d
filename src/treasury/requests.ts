import type { Database, Transaction } from '../db/database';
import { pageOf, type Page } from '../db/pagination';
import { euros, toApiAmount } from '../money';
import { investorNames } from '../fpci/investors';
import { organisationNames } from '../organisations/service';
import { disbursementStates } from './lists';

/**
 * What the treasury is asked to pay. A fund's module opens a request for a
 * payee: an organisation (the endowment, when a grant's tranche becomes
 * payable) or an investor (a unit fund, when a distribution is booked, or
 * when a closing's equalisation interest has come in for it); the
 * treasury pays it by one or more payments, and says where each request stands.
 */
type RequestRow = {
  id: string;
  fund_id: string;
  tranche_id: string | null;
  drawdown_id: string | null;
  organisation_id: string | null;
  distribution_id: string | null;
  closing_id: string | null;
  investor_id: string | null;
  amount_minor: bigint;
  payable_account_code: string;
  label: string;
  created_at: Date;
};

/**
 * Whom a request pays, and for what: a grant's tranche to its organisation, an
 * investor's part of a distribution, or its share of a closing's equalisation interest.
 */
export type Payee =
  | { organisationId: string; trancheId: string }
  | { organisationId: string; drawdownId: string }
  | { investorId: string; distributionId: string }
  | { investorId: string; closingId: string };

export async function openDisbursementRequest(
  trx: Transaction,
  request: {
    fundId: string;
    payee: Payee;
    amountMinor: bigint;
    payableAccountCode: string;
    /** Also the transfer's remittance text. */
    label: string;
  },
): Promise<void> {
  const { payee } = request;
  await trx<RequestRow>('disbursement_requests').insert({
    fund_id: request.fundId,
    ...('trancheId' in payee
      ? { tranche_id: payee.trancheId, organisation_id: payee.organisationId }
      : 'drawdownId' in payee
        ? { drawdown_id: payee.drawdownId, organisation_id: payee.organisationId }
        : 'distributionId' in payee
          ? { distribution_id: payee.distributionId, investor_id: payee.investorId }
          : { closing_id: payee.closingId, investor_id: payee.investorId }),
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

/** Where the payment of each investor's part of a distribution stands, by investor. */
export async function paymentsOfDistribution(
  db: Database | Transaction,
  distributionId: string,
): Promise<Map<string, { requestId: string; status: string }>> {
  const rows: { id: string; investor_id: string; status: string }[] = await requestsWithStatus(db, {
    distributionId,
  }).select('r.id', 'r.investor_id');
  return new Map(rows.map((row) => [row.investor_id, { requestId: row.id, status: row.status }]));
}

/** Where the payment of each of these drawdowns of an investment stands, by drawdown. */
export async function paymentsOfDrawdowns(
  db: Database | Transaction,
  drawdownIds: string[],
): Promise<Map<string, { requestId: string; status: string }>> {
  const rows: { id: string; drawdown_id: string; status: string }[] = await requestsWithStatus(db, {
    drawdownIds,
  }).select('r.id', 'r.drawdown_id');
  return new Map(rows.map((row) => [row.drawdown_id, { requestId: row.id, status: row.status }]));
}

/** Where the payment of each share of equalisation interest stands, by `closing.investor`: of one closing, or of one investor. */
export async function paymentsOfEqualisation(
  db: Database | Transaction,
  scope: { closingId: string } | { investorId: string },
): Promise<Map<string, { requestId: string; status: string }>> {
  const rows: { id: string; closing_id: string; investor_id: string; status: string }[] = await requestsWithStatus(
    db,
    'closingId' in scope ? scope : { equalisationOf: scope.investorId },
  ).select('r.id', 'r.closing_id', 'r.investor_id');
  return new Map(
    rows.map((row) => [`${row.closing_id}.${row.investor_id}`, { requestId: row.id, status: row.status }]),
  );
}

type RequestScope =
  | { fundId: string }
  | { trancheIds: string[] }
  | { drawdownIds: string[] }
  | { distributionId: string }
  | { closingId: string }
  | { equalisationOf: string };

/** The requests a scope names (but a fund's, which `requestsWithStatus` reads by fund directly). */
function requestsIn(db: Database | Transaction, scope: Exclude<RequestScope, { fundId: string }>) {
  const requests = db('disbursement_requests');
  if ('distributionId' in scope) return requests.where('distribution_id', scope.distributionId);
  if ('closingId' in scope) return requests.where('closing_id', scope.closingId);
  if ('equalisationOf' in scope) return requests.where('investor_id', scope.equalisationOf).whereNotNull('closing_id');
  if ('drawdownIds' in scope) return requests.whereRaw('drawdown_id = any(?::uuid[])', [scope.drawdownIds]);
  return requests.whereRaw('tranche_id = any(?::uuid[])', [scope.trancheIds]);
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
    'r.investor_id',
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
  const [organisations, investors] = await Promise.all([
    organisationNames(
      db,
      rows.flatMap((row) => row.organisation_id ?? []),
    ),
    investorNames(
      db,
      rows.flatMap((row) => row.investor_id ?? []),
    ),
  ]);
  return {
    ...page,
    requests: rows.map((row) => ({
      id: row.id,
      organisationId: row.organisation_id,
      investorId: row.investor_id,
      payee: row.organisation_id
        ? (organisations.get(row.organisation_id) ?? row.organisation_id)
        : (investors.get(row.investor_id!) ?? row.investor_id!),
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
function requestsWithStatus(db: Database | Transaction, scope: RequestScope) {
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
    payments.whereIn('d.request_id', requestsIn(db, scope).select('id'));
    requests.whereIn('r.id', requestsIn(db, scope).select('id'));
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
