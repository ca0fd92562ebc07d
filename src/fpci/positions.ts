import { amount } from '../ledger/views';
import type { Database, Transaction } from '../db/database';
import { documentIdsByKey } from '../documents/service';
import { grantRole } from '../identity/role-grants';
import { openAccount } from '../identity/password-resets';
import { createUser, hasPassword, userIdByEmail } from '../identity/service';
import { getFund, listFunds } from '../ledger/queries';
import { notify } from '../notifications/service';
import { todayInParis } from '../time';
import { investorRow } from './investors';
import { distributionNoticeKey, noticeKey } from './notices';
import { equalisationSharesOf } from './equalisation';
import { fpciNoticeMessages } from './messages';
import { callReference, livePayments } from './payments';
import { catchUpPaidByInvestor, subscriptionReference, subscriptionsOwing } from './subscription-payments';

/**
 * What an investor's own people see: for each investor they sign in for, its
 * position in the fund (committed, called, paid, uncalled, distributed), its
 * calls (what is due, when, paid or not) and its distributions. Someone who is
 * no investor's contact sees none.
 */
export async function addInvestorContact(
  trx: Transaction,
  fundId: string,
  investorId: string,
  person: { email: string; displayName: string },
  addedBy: string,
): Promise<void> {
  const investor = await investorRow(trx, fundId, investorId);
  const grant = { role: 'investor' as const, scopeId: fundId };
  let userId = await userIdByEmail(trx, person.email);
  if (userId) await grantRole(trx, { userId, ...grant, changedBy: addedBy });
  else userId = (await createUser(trx, { ...person, roles: [grant] }, addedBy)).id;
  const added = await trx('investor_contacts')
    .insert({ investor_id: investor.id, user_id: userId, added_by: addedBy })
    .onConflict(['investor_id', 'user_id'])
    .ignore()
    .returning('user_id');
  if (added.length === 0) return;
  // Told once: someone new chooses a password from the e-mail that says why the account exists.
  const fund = (await getFund(trx, fundId)).name;
  if (await hasPassword(trx, userId))
    await notify(trx, [userId], {
      subject: { type: 'investor', id: investor.id },
      ...fpciNoticeMessages.contactAdded(investor.name, fund),
      link: '/investissement',
    });
  else await openAccount(trx, userId, fpciNoticeMessages.accountOpened(investor.name, fund));
}

const sumOf = async (query: Promise<{ total: bigint | null } | undefined>) => (await query)?.total ?? 0n;

/** The investor's issued calls with what is due on each, and what it paid on each. */
async function callsOf(db: Database, investorId: string) {
  const calls = await db('capital_call_items')
    .join('capital_calls', 'capital_calls.id', 'capital_call_items.call_id')
    .where('capital_call_items.investor_id', investorId)
    .whereNotNull('capital_calls.issued_on')
    .groupBy('capital_calls.id', 'capital_calls.number', 'capital_calls.due_on')
    .orderBy('capital_calls.number')
    .select<{ id: string; number: number; due_on: string; due: bigint }[]>(
      'capital_calls.id',
      'capital_calls.number',
      'capital_calls.due_on',
      db.raw('sum(capital_call_items.amount_minor)::bigint as due'),
    );
  const payments = await livePayments(db)
    .where('investor_id', investorId)
    .groupBy('call_id')
    .select<{ call_id: string; paid: bigint }[]>('call_id', db.raw('sum(amount_minor)::bigint as paid'));
  const paidOn = new Map(payments.map((one) => [one.call_id, one.paid]));
  return { calls, payments, paidOn };
}

/** The investor's booked distributions: repaid capital and all it received, each. */
async function distributionsOf(db: Database, investorId: string) {
  return db('distribution_items')
    .join('distributions', 'distributions.id', 'distribution_items.distribution_id')
    .where('distribution_items.investor_id', investorId)
    .whereNotNull('distributions.booked_on')
    .groupBy('distributions.id', 'distributions.number', 'distributions.booked_on')
    .orderBy('distributions.number')
    .select<{ id: string; number: number; booked_on: string; repayment: bigint; total: bigint }[]>(
      'distributions.id',
      'distributions.number',
      'distributions.booked_on',
      db.raw('sum(distribution_items.repayment_minor)::bigint as repayment'),
      db.raw(
        'sum(distribution_items.repayment_minor + distribution_items.gain_minor + distribution_items.income_minor)::bigint as total',
      ),
    );
}

/** What the investor owes at once on its subscriptions at later closings (catch-up, interest, premium), and paid. */
async function subscriptionsOwingOf(db: Database, investorId: string) {
  return (await subscriptionsOwing(db, { investorId })).map((row) => {
    const owedMinor = BigInt(row.catch_up_minor) + BigInt(row.equalisation_interest_minor) + BigInt(row.premium_minor);
    return {
      closingNumber: row.number,
      closedOn: row.closed_on,
      classCode: row.class_code,
      units: row.units,
      owed: amount(owedMinor),
      catchUp: amount(BigInt(row.catch_up_minor)),
      equalisationInterest: amount(BigInt(row.equalisation_interest_minor)),
      premium: amount(BigInt(row.premium_minor)),
      paid: amount(owedMinor - row.catchUpLeftMinor - row.interestLeftMinor - row.premiumLeftMinor),
      paymentReference: subscriptionReference(row.number, investorId),
    };
  });
}

async function positionOf(db: Database, investor: { id: string; name: string; fund_id: string; fund: string }) {
  const closed = () =>
    db('subscriptions')
      .join('closings', 'closings.id', 'subscriptions.closing_id')
      .where('subscriptions.investor_id', investor.id)
      .whereNotNull('closings.closed_on');
  const commitment = await sumOf(closed().select(db.raw('sum(commitment_minor)::bigint as total')).first());
  const catchUp = await sumOf(closed().select(db.raw('sum(catch_up_minor)::bigint as total')).first());
  const { calls, payments, paidOn } = await callsOf(db, investor.id);
  const distributions = await distributionsOf(db, investor.id);
  // Each notice, once the worker has rendered it.
  const notices = await documentIdsByKey(db, [
    ...calls.map((call) => noticeKey(call.id, investor.id)),
    ...distributions.map((one) => distributionNoticeKey(one.id, investor.id)),
  ]);
  const called = calls.reduce((total, call) => total + call.due, catchUp);
  // Paid on calls, and the catch-up paid at a later closing (the premium is the fund's, not paid-up capital).
  const catchUpPaid = (await catchUpPaidByInvestor(db, { investorId: investor.id })).get(investor.id) ?? 0n;
  const paid = payments.reduce((total, one) => total + one.paid, catchUpPaid);
  const today = todayInParis();
  return {
    investorId: investor.id,
    investor: investor.name,
    fundId: investor.fund_id,
    fund: investor.fund,
    commitment: amount(commitment),
    called: amount(called),
    paid: amount(paid),
    uncalled: amount(commitment - called),
    distributed: amount(distributions.reduce((total, one) => total + one.total, 0n)),
    calls: calls.map((call) => {
      const paidMinor = paidOn.get(call.id) ?? 0n;
      return {
        number: call.number,
        noticeDocumentId: notices.get(noticeKey(call.id, investor.id)) ?? null,
        dueOn: call.due_on,
        due: amount(call.due),
        paid: amount(paidMinor),
        status:
          paidMinor >= call.due ? 'paid' : today > call.due_on ? 'late' : paidMinor > 0n ? 'partly-paid' : 'unpaid',
        paymentReference: callReference(call.number, investor.id),
      };
    }),
    distributions: distributions.map((one) => ({
      number: one.number,
      noticeDocumentId: notices.get(distributionNoticeKey(one.id, investor.id)) ?? null,
      bookedOn: one.booked_on,
      repayment: amount(one.repayment),
      total: amount(one.total),
    })),
    subscriptions: await subscriptionsOwingOf(db, investor.id),
    equalisationShares: await equalisationSharesOf(db, investor.id),
  };
}

export async function positionsOf(db: Database, userId: string) {
  const investors = await db('investor_contacts')
    .join('investors', 'investors.id', 'investor_contacts.investor_id')
    .where('investor_contacts.user_id', userId)
    .orderBy(['investors.fund_id', 'investors.name'])
    .select<{ id: string; name: string; fund_id: string }[]>('investors.id', 'investors.name', 'investors.fund_id');
  const funds = new Map(
    (await listFunds(db, [...new Set(investors.map((investor) => investor.fund_id))])).map((fund) => [
      fund.id,
      fund.name,
    ]),
  );
  return Promise.all(
    investors.map((investor) => positionOf(db, { ...investor, fund: funds.get(investor.fund_id) ?? investor.fund_id })),
  );
}
