import { generate } from 'iso-11649';
import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError } from '../errors';
import type { Principal } from '../identity/roles';
import { reverseEntry } from '../ledger/entries';
import { todayInParis } from '../time';
import { paymentsOfEqualisation } from '../treasury/requests';
import { actorOn } from './access';
import { fpciMessages } from './messages';

/**
 * What investors pay on capital calls, as the bank shows it: the structured
 * reference each investor quotes for each call, the payments still awaited
 * (for the treasury's matcher), and the payments that count — a payment taken
 * back (its bank match undone) is reversed, never changed, and counts no more.
 */

/** The payments that count: those not reversed. */
export const livePayments = (db: Database | Transaction) =>
  db('capital_call_payments').whereNotExists(
    db('capital_call_payment_reversals').whereRaw(
      'capital_call_payment_reversals.payment_id = capital_call_payments.id',
    ),
  );

/** A later subscriber's payments that count (catch-up, interest, premium): those not reversed. */
export const liveSubscriptionPayments = (db: Database | Transaction) =>
  db('subscription_payments').whereNotExists(
    db('subscription_payment_reversals').whereRaw(
      'subscription_payment_reversals.payment_id = subscription_payments.id',
    ),
  );

/**
 * The ISO 11649 reference an investor quotes when paying a call: the call's
 * number and the investor's, so that the bank's line names both. The same for
 * one call and investor every time it is computed (notice, matcher).
 */
export function callReference(callNumber: number, investorId: string): string {
  return generate(`C${callNumber}I${investorId.replace(/-/g, '').slice(0, 12).toUpperCase()}`);
}

/** One investor's payment awaited on one call; `key` changes with each payment that counts, so the rest is awaited anew. */
export type AwaitedCallPayment = {
  id: string;
  key: string;
  callNumber: number;
  investor: string;
  remainingMinor: bigint;
  dueOn: string;
  structuredReference: string;
  investorIban: string | null;
};

type AwaitedRow = {
  call_id: string;
  number: number;
  due_on: string;
  investor_id: string;
  name: string;
  iban: string | null;
  due_minor: string;
  paid_minor: string;
  payments: number;
};

export async function awaitedCallPayments(db: Database | Transaction, fundId: string): Promise<AwaitedCallPayment[]> {
  const { rows } = await db.raw<{ rows: AwaitedRow[] }>(
    `select c.id as call_id, c.number, c.due_on::text as due_on, d.investor_id, v.name, v.iban, d.due_minor,
            coalesce(p.paid_minor, 0)::bigint as paid_minor, coalesce(p.payments, 0) as payments
     from capital_calls c
     join (select call_id, investor_id, sum(amount_minor)::bigint as due_minor
           from capital_call_items group by call_id, investor_id) d on d.call_id = c.id
     join investors v on v.id = d.investor_id
     left join (select call_id, investor_id, sum(amount_minor)::bigint as paid_minor, count(*)::int as payments
                from capital_call_payments live
                where not exists (select 1 from capital_call_payment_reversals r where r.payment_id = live.id)
                group by call_id, investor_id) p on p.call_id = c.id and p.investor_id = d.investor_id
     where c.fund_id = ? and c.issued_on is not null and d.due_minor > coalesce(p.paid_minor, 0)
     order by c.due_on, c.number, v.name`,
    [fundId],
  );
  return rows.map((row) => ({
    id: `${row.call_id}.${row.investor_id}`,
    key: `${row.call_id}.${row.investor_id}.${row.payments}`,
    callNumber: row.number,
    investor: row.name,
    remainingMinor: BigInt(row.due_minor) - BigInt(row.paid_minor),
    dueOn: row.due_on,
    structuredReference: callReference(row.number, row.investor_id),
    investorIban: row.iban,
  }));
}

/** Where each kind of investor payment is kept, and its reversals. */
const paymentRegisters = {
  call: { payments: 'capital_call_payments', reversals: 'capital_call_payment_reversals' },
  subscription: { payments: 'subscription_payments', reversals: 'subscription_payment_reversals' },
} as const;

/**
 * Equalisation interest is paid to the earlier holders once all of a closing's
 * has come in: a payment carrying some cannot be taken back after that — the
 * fund would have paid out what it no longer holds; a correcting entry does it.
 */
async function assertInterestNotPassedOn(trx: Transaction, paymentId: string) {
  const payment = await trx('subscription_payments')
    .join('subscriptions', 'subscriptions.id', 'subscription_payments.subscription_id')
    .join('closings', 'closings.id', 'subscriptions.closing_id')
    .where('subscription_payments.id', paymentId)
    .first<{ interest_minor: bigint; closing_id: string; number: number }>(
      'subscription_payments.interest_minor',
      'subscriptions.closing_id',
      'closings.number',
    );
  if (payment.interest_minor > 0n && (await paymentsOfEqualisation(trx, { closingId: payment.closing_id })).size > 0)
    throw new RuleViolationError('fpci/interest-passed-on', fpciMessages.interestPassedOn(payment.number));
}

/**
 * A payment the bank's match recorded — on a call, or a subscription's catch-up
 * and premium —, taken back when that match is undone: its entry reversed, the
 * reversal kept apart, the payment itself never changed and no longer counted.
 */
export async function reverseInvestorPayment(
  trx: Transaction,
  fundId: string,
  kind: keyof typeof paymentRegisters,
  entryId: number,
  reason: string,
  principal: Principal,
): Promise<void> {
  actorOn(principal, fundId);
  const register = paymentRegisters[kind];
  const payment = await trx(register.payments).where('entry_id', entryId).first<{ id: string } | undefined>('id');
  if (!payment) throw new NotFoundError(fpciMessages.paymentMissing);
  if (kind === 'subscription') await assertInterestNotPassedOn(trx, payment.id);
  const reversal = await reverseEntry(trx, fundId, entryId, { accountingDate: todayInParis(), reason }, principal);
  await trx(register.reversals).insert({
    payment_id: payment.id,
    entry_id: reversal.id,
    reason,
    reversed_by: principal.userId,
  });
}
