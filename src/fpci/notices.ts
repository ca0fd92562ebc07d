import Decimal from 'decimal.js';
import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { documentRequest, type DocumentKind } from '../documents/service';
import type { Principal } from '../identity/roles';
import { enqueueAll } from '../jobs/outbox';
import { getFund } from '../ledger/queries';
import { treasuryAccountOf } from '../treasury/accounts';
import { notify } from '../notifications/service';
import { formatFrenchDay } from '../time';
import { capitalCallNotice } from '../../templates/capital-call-notice';
import { distributionNotice } from '../../templates/distribution-notice';
import { actorOn } from './access';
import { commitmentsOf, fundCommitmentMinor } from './investors';
import { callPurposeLabels, fpciNoticeMessages } from './messages';
import type { CallPurpose } from './purposes';
import { callReference, livePayments } from './payments';
import { catchUpPaidByInvestor } from './subscription-payments';

/**
 * The notices an investor receives, one per investor and event, rendered by
 * the worker in the transaction's wake and kept with their hash: capital-call
 * notices when a call is issued, distribution notices when a distribution is
 * booked. Read by the fund's team and by the investor's own contacts, who are
 * told (in the app and by e-mail) with a link to their space.
 */
const callNotice = 'capital-call-notice';
const distributionNoticeType = 'distribution-notice';
const subjectOf = (type: string, parentId: string, investorId: string) => ({
  type,
  id: `${parentId}.${investorId}`,
});
const manager = 'Citizen Capital';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const noticeKey = (callId: string, investorId: string) => `${callNotice}:${callId}:${investorId}`;
export const distributionNoticeKey = (distributionId: string, investorId: string) =>
  `${distributionNoticeType}:${distributionId}:${investorId}`;

/** The people who sign in for each of these investors. */
async function contactsOf(trx: Transaction, investorIds: readonly string[]): Promise<string[]> {
  return trx('investor_contacts').whereIn('investor_id', investorIds).distinct().pluck<string[]>('user_id');
}

/** Queued with the call's issue, in its transaction: one notice per investor, and its contacts told. */
export async function requestCallNotices(
  trx: Transaction,
  call: { id: string; number: number; dueOn: string },
  investorIds: readonly string[],
) {
  await enqueueAll(
    trx,
    investorIds.map((investorId) =>
      documentRequest(callNotice, subjectOf(callNotice, call.id, investorId), noticeKey(call.id, investorId)),
    ),
  );
  for (const investorId of investorIds)
    await notify(trx, await contactsOf(trx, [investorId]), {
      subject: subjectOf(callNotice, call.id, investorId),
      ...fpciNoticeMessages.callIssued(call.number, formatFrenchDay(call.dueOn)),
      link: investorSpace,
    });
}

/** Queued with the distribution's booking, in its transaction: one notice per investor, and its contacts told. */
export async function requestDistributionNotices(
  trx: Transaction,
  distribution: { id: string; number: number },
  investorIds: readonly string[],
) {
  await enqueueAll(
    trx,
    investorIds.map((investorId) =>
      documentRequest(
        distributionNoticeType,
        subjectOf(distributionNoticeType, distribution.id, investorId),
        distributionNoticeKey(distribution.id, investorId),
      ),
    ),
  );
  for (const investorId of investorIds)
    await notify(trx, await contactsOf(trx, [investorId]), {
      subject: subjectOf(distributionNoticeType, distribution.id, investorId),
      ...fpciNoticeMessages.distributionBooked(distribution.number),
      link: investorSpace,
    });
}

const investorSpace = '/investissement';
const sumMinor = (rows: { amount_minor: bigint }[]) => rows.reduce((total, one) => total + one.amount_minor, 0n);

/** The fund and the investor as a notice names them, with the investor's commitment and share of the fund's. */
async function parties(db: Database, fundId: string, investorId: string) {
  const investor = await db('investors').where('id', investorId).first<{
    name: string;
    address_line: string | null;
    postal_code: string | null;
    city: string | null;
    iban: string | null;
  }>();
  const fund = await getFund(db, fundId);
  // Two sums, not every investor's commitment: a notice is built once per investor of the fund.
  const commitment = (await commitmentsOf(db, [investorId])).get(investorId) ?? 0n;
  const fundCommitment = await fundCommitmentMinor(db, fundId);
  return {
    fund: { name: fund.name, siren: fund.siren, manager },
    investor: {
      name: investor.name,
      address:
        [investor.address_line, [investor.postal_code, investor.city].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', ') || null,
    },
    iban: investor.iban,
    commitment,
    sharePercent:
      fundCommitment === 0n
        ? '0,00'
        : new Decimal(commitment.toString())
            .times(100)
            .dividedBy(fundCommitment.toString())
            .toFixed(2)
            .replace('.', ','),
  };
}

async function noticeData(db: Database, callId: string, investorId: string) {
  const call = await db('capital_calls')
    .where('id', callId)
    .first<{ fund_id: string; number: number; issued_on: string; due_on: string }>();
  const { fund, investor, commitment, sharePercent } = await parties(db, call.fund_id, investorId);
  const items = await db('capital_call_items')
    .where('call_id', callId)
    .select<{ investor_id: string; purpose: CallPurpose; amount_minor: bigint }[]>();
  const own = items.filter((item) => item.investor_id === investorId);
  const calledBefore = await calledOf(db, call.fund_id, investorId, call.number);
  const thisCall = sumMinor(own);
  const account = await treasuryAccountOf(db, call.fund_id).catch(() => undefined);
  return {
    fund,
    call: { number: call.number, issuedOn: call.issued_on, dueOn: call.due_on, totalCalled: amount(sumMinor(items)) },
    investor,
    position: {
      commitment: amount(commitment),
      calledBefore: amount(calledBefore),
      thisCall: amount(thisCall),
      calledAfter: amount(calledBefore + thisCall),
      unfundedBefore: amount(commitment - calledBefore),
      unfundedAfter: amount(commitment - calledBefore - thisCall),
      sharePercent,
    },
    purposes: own
      .filter((item) => item.amount_minor > 0n)
      .map((item) => ({ label: callPurposeLabels[item.purpose], amount: amount(item.amount_minor) })),
    payment: account ? { holder: account.holderName, iban: account.iban, bic: account.bic } : null,
    reference: callReference(call.number, investorId),
  };
}

export const capitalCallNoticeDocument: DocumentKind = {
  kind: callNotice,
  build: async (db, subjectId) => {
    const [callId, investorId] = subjectId.split('.') as [string, string];
    const data = await noticeData(db, callId, investorId);
    return {
      fileName: `appel-de-fonds-${data.call.number}-${investorId.slice(0, 8)}.pdf`,
      definition: capitalCallNotice(data),
    };
  },
};

/** What a distribution notice says: the investor's position before and after, and its part by class. */
async function distributionNoticeData(db: Database, distributionId: string, investorId: string) {
  const distribution = await db('distributions')
    .where('id', distributionId)
    .first<{ fund_id: string; number: number; booked_on: string; amount_minor: bigint }>();
  const { fund, investor, iban, commitment, sharePercent } = await parties(db, distribution.fund_id, investorId);
  const items = await db('distribution_items')
    .join('distributions', 'distributions.id', 'distribution_items.distribution_id')
    .where({ 'distribution_items.investor_id': investorId, 'distributions.fund_id': distribution.fund_id })
    .whereNotNull('distributions.booked_on')
    .where('distributions.number', '<=', distribution.number)
    .orderBy(['distributions.number', 'distribution_items.class_code'])
    .select<
      { number: number; class_code: string; repayment_minor: bigint; income_minor: bigint; gain_minor: bigint }[]
    >(
      'distributions.number',
      'distribution_items.class_code',
      'distribution_items.repayment_minor',
      'distribution_items.income_minor',
      'distribution_items.gain_minor',
    );
  const totalOf = (item: (typeof items)[number]) => item.repayment_minor + item.income_minor + item.gain_minor;
  const own = items.filter((item) => item.number === distribution.number);
  const before = items.filter((item) => item.number < distribution.number).reduce((t, i) => t + totalOf(i), 0n);
  const thisOne = own.reduce((total, item) => total + totalOf(item), 0n);
  const paidIn = await livePayments(db)
    .where('investor_id', investorId)
    .sum<{ total: string | null }>('amount_minor as total')
    .first();
  const called = await calledOf(db, distribution.fund_id, investorId);
  const catchUpPaid = (await catchUpPaidByInvestor(db, { investorId })).get(investorId) ?? 0n;
  return {
    fund,
    distribution: {
      number: distribution.number,
      bookedOn: distribution.booked_on,
      totalDistributed: amount(distribution.amount_minor),
    },
    investor,
    position: {
      commitment: amount(commitment),
      paidIn: amount(BigInt(paidIn?.total ?? 0) + catchUpPaid),
      distributedBefore: amount(before),
      thisDistribution: amount(thisOne),
      distributedAfter: amount(before + thisOne),
      unfunded: amount(commitment - called),
      sharePercent,
    },
    lines: own.map((item) => ({
      classCode: item.class_code,
      repayment: amount(item.repayment_minor),
      income: amount(item.income_minor),
      gain: amount(item.gain_minor),
      total: amount(totalOf(item)),
    })),
    payment: { ibanEnd: iban ? iban.slice(-4) : null, reference: `Distribution ${distribution.number}` },
  };
}

/** What the investor has been called: the catch-ups of its subscriptions and every issued call (before call n° `beforeNumber`). */
async function calledOf(db: Database, fundId: string, investorId: string, beforeNumber?: number): Promise<bigint> {
  const issued = db('capital_call_items')
    .join('capital_calls', 'capital_calls.id', 'capital_call_items.call_id')
    .where({ 'capital_call_items.investor_id': investorId, 'capital_calls.fund_id': fundId })
    .whereNotNull('capital_calls.issued_on');
  if (beforeNumber !== undefined) issued.where('capital_calls.number', '<', beforeNumber);
  const calls = await issued.select<{ amount_minor: bigint }[]>('capital_call_items.amount_minor');
  const catchUps = await db('subscriptions')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('subscriptions.investor_id', investorId)
    .whereNotNull('closings.closed_on')
    .select<{ amount_minor: bigint }[]>('subscriptions.catch_up_minor as amount_minor');
  return sumMinor(calls) + sumMinor(catchUps);
}

export const distributionNoticeDocument: DocumentKind = {
  kind: distributionNoticeType,
  build: async (db, subjectId) => {
    const [distributionId, investorId] = subjectId.split('.') as [string, string];
    const data = await distributionNoticeData(db, distributionId, investorId);
    return {
      fileName: `distribution-${data.distribution.number}-${investorId.slice(0, 8)}.pdf`,
      definition: distributionNotice(data),
    };
  },
};

/**
 * Who may read a notice whose subject is "<parent>.<investor>", the parent a row
 * of `table` (a call, a distribution): the fund's team, or one of the investor's own contacts.
 */
const noticeReader =
  (table: 'capital_calls' | 'distributions') =>
  async (db: Database, subjectId: string, principal: Principal): Promise<void> => {
    const [parentId = '', investorId = ''] = subjectId.split('.');
    if (!uuidPattern.test(parentId) || !uuidPattern.test(investorId)) throw new Error('not a notice');
    const parent = await db(table).where('id', parentId).first<{ fund_id: string } | undefined>('fund_id');
    if (!parent) throw new Error('no such notice');
    const contact = await db('investor_contacts')
      .where({ investor_id: investorId, user_id: principal.userId })
      .first<{ user_id: string } | undefined>('user_id');
    if (!contact) actorOn(principal, parent.fund_id);
  };

export const assertNoticeVisible = noticeReader('capital_calls');
export const assertDistributionNoticeVisible = noticeReader('distributions');
