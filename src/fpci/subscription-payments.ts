import { generate } from 'iso-11649';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { postEntry, type EntryLine } from '../ledger/entries';
import { euros, formatFrench } from '../money';
import { todayInParis } from '../time';
import { actorOn } from './access';
import { payEqualisationWhenCollected } from './equalisation';
import { fpciMessages } from './messages';

/**
 * What a subscriber at a later closing pays at once: the catch-up to its
 * class's paid-up level, the equalisation interest (when the rules set a rate),
 * then the premium — all booked as owed (4562) when the closing closed. Each
 * payment is split in that order: the catch-up is paid-up capital (1012 →
 * 1013), the interest is the earlier holders' (4571 already; paid to them once
 * the closing's interest is all in), the premium is the fund's (1041 already).
 * Matched from the bank by the reference the subscriber quotes; one taken back
 * is reversed, never changed, and counts no more.
 */
const notReversed = `not exists (select 1 from subscription_payment_reversals r where r.payment_id = p.id)`;

/** The ISO 11649 reference a later subscriber quotes for its catch-up, interest and premium: the closing's number and its own. */
export function subscriptionReference(closingNumber: number, investorId: string): string {
  return generate(`S${closingNumber}I${investorId.replace(/-/g, '').slice(0, 12).toUpperCase()}`);
}

type OwingRow = {
  id: string;
  number: number;
  closed_on: string;
  investor_id: string;
  name: string;
  iban: string | null;
  closing_id: string;
  class_code: string;
  units: number;
  catch_up_minor: string;
  equalisation_interest_minor: string;
  premium_minor: string;
  catch_up_paid_minor: string;
  interest_paid_minor: string;
  premium_paid_minor: string;
  payments: number;
};

/** The subscriptions of closed closings owing something at once, with what was paid of each part. */
export async function subscriptionsOwing(
  db: Database | Transaction,
  where: { fundId: string } | { subscriptionId: string } | { investorId: string },
) {
  const { rows } = await db.raw<{ rows: OwingRow[] }>(
    `select s.id, c.id as closing_id, c.number, c.closed_on::text as closed_on, s.investor_id, v.name, v.iban,
            s.class_code, s.units, s.catch_up_minor, s.equalisation_interest_minor, s.premium_minor,
            coalesce(p.catch_up_paid_minor, 0)::bigint as catch_up_paid_minor,
            coalesce(p.interest_paid_minor, 0)::bigint as interest_paid_minor,
            coalesce(p.premium_paid_minor, 0)::bigint as premium_paid_minor, coalesce(p.payments, 0) as payments
     from subscriptions s
     join closings c on c.id = s.closing_id
     join investors v on v.id = s.investor_id
     left join (select p.subscription_id, sum(p.catch_up_minor) as catch_up_paid_minor,
                       sum(p.interest_minor) as interest_paid_minor,
                       sum(p.premium_minor) as premium_paid_minor, count(*)::int as payments
                from subscription_payments p where ${notReversed} group by p.subscription_id) p on p.subscription_id = s.id
     where c.closed_on is not null and s.catch_up_minor + s.equalisation_interest_minor + s.premium_minor > 0
       and ${'fundId' in where ? 'c.fund_id = ?' : 'investorId' in where ? 's.investor_id = ?' : 's.id = ?'}
     order by c.number, v.name, s.class_code`,
    ['fundId' in where ? where.fundId : 'investorId' in where ? where.investorId : where.subscriptionId],
  );
  return rows.map((row) => ({
    ...row,
    catchUpLeftMinor: BigInt(row.catch_up_minor) - BigInt(row.catch_up_paid_minor),
    interestLeftMinor: BigInt(row.equalisation_interest_minor) - BigInt(row.interest_paid_minor),
    premiumLeftMinor: BigInt(row.premium_minor) - BigInt(row.premium_paid_minor),
  }));
}

const leftOf = (row: { catchUpLeftMinor: bigint; interestLeftMinor: bigint; premiumLeftMinor: bigint }) =>
  row.catchUpLeftMinor + row.interestLeftMinor + row.premiumLeftMinor;
const labelOf = (row: { name: string; number: number }) => `${row.name} — souscription, closing n° ${row.number}`;

/** What later subscribers still owe on their subscription, for the treasury's matcher; `key` changes with each payment. */
export async function awaitedSubscriptionPayments(db: Database | Transaction, fundId: string) {
  return (await subscriptionsOwing(db, { fundId }))
    .filter((row) => leftOf(row) > 0n)
    .map((row) => ({
      id: row.id,
      key: `${row.id}.${row.payments}`,
      label: labelOf(row),
      remainingMinor: leftOf(row),
      dueOn: row.closed_on,
      structuredReference: subscriptionReference(row.number, row.investor_id),
      investorIban: row.iban,
    }));
}

/** A payment received for a subscription, split catch-up, interest, premium, and booked; once per key. */
export async function recordSubscriptionPayment(
  trx: Transaction,
  fundId: string,
  subscriptionId: string,
  payment: { amountMinor: bigint; receivedOn: string; idempotencyKey: string },
  principal: Principal,
): Promise<{ created: boolean; entryId: number }> {
  actorOn(principal, fundId);
  await trx('subscriptions').where('id', subscriptionId).forUpdate().first('id');
  const already = await trx('subscription_payments')
    .where({ subscription_id: subscriptionId, idempotency_key: payment.idempotencyKey })
    .first<{ amount_minor: string; entry_id: string } | undefined>('amount_minor', 'entry_id');
  if (already) {
    if (BigInt(already.amount_minor) !== payment.amountMinor)
      throw new ConflictError(fpciMessages.idempotencyKeyReused);
    return { created: false, entryId: Number(already.entry_id) };
  }
  const [row] = await subscriptionsOwing(trx, { subscriptionId });
  if (!row) throw new NotFoundError(fpciMessages.subscriptionNothingOwed);
  if (payment.receivedOn > todayInParis())
    throw new ValidationError([{ path: ['receivedOn'], message: fpciMessages.receivedInFuture }]);
  const leftMinor = leftOf(row);
  if (payment.amountMinor > leftMinor)
    throw new RuleViolationError('fpci/over-payment', fpciMessages.overPayment(formatFrench(euros(leftMinor))));
  const upTo = (part: bigint, rest: bigint) => (rest < part ? rest : part);
  const catchUpMinor = upTo(row.catchUpLeftMinor, payment.amountMinor);
  const interestMinor = upTo(row.interestLeftMinor, payment.amountMinor - catchUpMinor);
  const label = labelOf(row);
  const lines: EntryLine[] = [
    { accountCode: '512', amountMinor: payment.amountMinor, label },
    { accountCode: '4562', amountMinor: -payment.amountMinor, label },
    ...(catchUpMinor > 0n
      ? [
          { accountCode: '1012', amountMinor: catchUpMinor, label },
          { accountCode: '1013', amountMinor: -catchUpMinor, label },
        ]
      : []),
  ];
  const { entry } = await postEntry(
    trx,
    {
      fundId,
      journalCode: 'BQ',
      accountingDate: payment.receivedOn,
      label,
      sourceType: 'subscription-payment',
      sourceId: subscriptionId,
      idempotencyKey: `subscription-payment:${subscriptionId}:${payment.idempotencyKey}`,
      lines,
    },
    { userId: principal.userId },
  );
  await trx('subscription_payments').insert({
    subscription_id: subscriptionId,
    amount_minor: payment.amountMinor,
    catch_up_minor: catchUpMinor,
    interest_minor: interestMinor,
    premium_minor: payment.amountMinor - catchUpMinor - interestMinor,
    received_on: payment.receivedOn,
    entry_id: entry.id,
    idempotency_key: payment.idempotencyKey,
    recorded_by: principal.userId,
  });
  if (interestMinor > 0n) await payEqualisationWhenCollected(trx, fundId, { id: row.closing_id, number: row.number });
  return { created: true, entryId: entry.id };
}

/**
 * The catch-up paid (paid-up capital, as call payments are), by investor: of
 * every investor of a fund, or of one investor (a notice, a position: one sum).
 */
export async function catchUpPaidByInvestor(
  db: Database | Transaction,
  scope: { fundId: string } | { investorId: string },
): Promise<Map<string, bigint>> {
  const { rows } = await db.raw<{ rows: { investor_id: string; total: string }[] }>(
    `select s.investor_id, sum(p.catch_up_minor)::bigint as total
     from subscription_payments p join subscriptions s on s.id = p.subscription_id join closings c on c.id = s.closing_id
     where ${'fundId' in scope ? 'c.fund_id' : 's.investor_id'} = ? and ${notReversed}
     group by s.investor_id`,
    ['fundId' in scope ? scope.fundId : scope.investorId],
  );
  return new Map(rows.map((row) => [row.investor_id, BigInt(row.total)]));
}
