import Decimal from 'decimal.js';
import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { documentRequest, type DocumentKind } from '../documents/service';
import type { Principal } from '../identity/roles';
import { enqueueAll } from '../jobs/outbox';
import { getFund } from '../ledger/queries';
import { treasuryAccountOf } from '../treasury/accounts';
import { capitalCallNotice } from '../../templates/capital-call-notice';
import { actorOn } from './access';
import { commitmentsOf } from './investors';
import { callPurposeLabels } from './messages';
import type { CallPurpose } from './purposes';

/**
 * The capital-call notices: one per investor called, rendered by the worker
 * when the call is issued and kept with its hash; read by the fund's team and
 * by the investor's own contacts.
 */
const subjectType = 'capital-call-notice';
const subjectOf = (callId: string, investorId: string) => ({ type: subjectType, id: `${callId}.${investorId}` });
const manager = 'Citizen Capital';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const noticeKey = (callId: string, investorId: string) => `capital-call-notice:${callId}:${investorId}`;

/** Queued with the call's issue, in its transaction: one notice per investor. */
export async function requestCallNotices(trx: Transaction, callId: string, investorIds: readonly string[]) {
  await enqueueAll(
    trx,
    investorIds.map((investorId) =>
      documentRequest(subjectType, subjectOf(callId, investorId), noticeKey(callId, investorId)),
    ),
  );
}

const sumMinor = (rows: { amount_minor: bigint }[]) => rows.reduce((total, one) => total + one.amount_minor, 0n);

async function noticeData(db: Database, callId: string, investorId: string) {
  const call = await db('capital_calls')
    .where('id', callId)
    .first<{ fund_id: string; number: number; issued_on: string; due_on: string }>();
  const investor = await db('investors')
    .where('id', investorId)
    .first<{ name: string; address_line: string | null; postal_code: string | null; city: string | null }>();
  const fund = await getFund(db, call.fund_id);
  const items = await db('capital_call_items')
    .where('call_id', callId)
    .select<{ investor_id: string; purpose: CallPurpose; amount_minor: bigint }[]>();
  const own = items.filter((item) => item.investor_id === investorId);
  const earlier = await db('capital_call_items')
    .join('capital_calls', 'capital_calls.id', 'capital_call_items.call_id')
    .where({ 'capital_call_items.investor_id': investorId, 'capital_calls.fund_id': call.fund_id })
    .whereNotNull('capital_calls.issued_on')
    .where('capital_calls.number', '<', call.number)
    .select<{ amount_minor: bigint }[]>('capital_call_items.amount_minor');
  const catchUps = await db('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('subscriptions.investor_id', investorId)
    .whereNotNull('closings.closed_on')
    .select<{ amount_minor: bigint }[]>('subscriptions.catch_up_minor as amount_minor');
  const allInvestors = await db('investors').where('fund_id', call.fund_id).pluck<string[]>('id');
  const commitments = await commitmentsOf(db, allInvestors);
  const commitment = commitments.get(investorId) ?? 0n;
  const fundCommitment = [...commitments.values()].reduce((total, one) => total + one, 0n);
  const calledBefore = sumMinor(earlier) + sumMinor(catchUps);
  const thisCall = sumMinor(own);
  const account = await treasuryAccountOf(db, call.fund_id).catch(() => undefined);
  return {
    fund: { name: fund.name, siren: fund.siren, manager },
    call: { number: call.number, issuedOn: call.issued_on, dueOn: call.due_on, totalCalled: amount(sumMinor(items)) },
    investor: {
      name: investor.name,
      address:
        [investor.address_line, [investor.postal_code, investor.city].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ') || null,
    },
    position: {
      commitment: amount(commitment),
      calledBefore: amount(calledBefore),
      thisCall: amount(thisCall),
      calledAfter: amount(calledBefore + thisCall),
      unfundedBefore: amount(commitment - calledBefore),
      unfundedAfter: amount(commitment - calledBefore - thisCall),
      sharePercent:
        fundCommitment === 0n
          ? '0,00'
          : new Decimal(commitment.toString())
              .times(100)
              .dividedBy(fundCommitment.toString())
              .toFixed(2)
              .replace('.', ','),
    },
    purposes: own
      .filter((item) => item.amount_minor > 0n)
      .map((item) => ({ label: callPurposeLabels[item.purpose], amount: amount(item.amount_minor) })),
    payment: account ? { holder: account.holderName, iban: account.iban, bic: account.bic } : null,
    reference: `APPEL-${call.number}-${investorId.slice(0, 8).toUpperCase()}`,
  };
}

export const capitalCallNoticeDocument: DocumentKind = {
  kind: subjectType,
  build: async (db, subjectId) => {
    const [callId, investorId] = subjectId.split('.') as [string, string];
    const data = await noticeData(db, callId, investorId);
    return {
      fileName: `appel-de-fonds-${data.call.number}-${investorId.slice(0, 8)}.pdf`,
      definition: capitalCallNotice(data),
    };
  },
};

/** Who may read a notice: the fund's team, or one of the investor's own contacts. */
export async function assertNoticeVisible(db: Database, subjectId: string, principal: Principal): Promise<void> {
  const [callId = '', investorId = ''] = subjectId.split('.');
  if (!uuidPattern.test(callId) || !uuidPattern.test(investorId)) throw new Error('not a notice');
  const call = await db('capital_calls').where('id', callId).first<{ fund_id: string } | undefined>('fund_id');
  if (!call) throw new Error('no such call');
  const contact = await db('investor_contacts')
    .where({ investor_id: investorId, user_id: principal.userId })
    .first<{ user_id: string } | undefined>('user_id');
  if (!contact) actorOn(principal, call.fund_id);
}
