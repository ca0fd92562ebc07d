import Decimal from 'decimal.js';
import type { Database, Transaction } from '../db/database';
import type { EntryLine } from '../ledger/entries';
import { amount } from '../ledger/views';
import { allocate, euros, minorUnits, roundedMinor } from '../money';
import { openDisbursementRequest, paymentsOfEqualisation } from '../treasury/requests';
import { interestBetween } from './interest';
import { investorNames, unitsHeld } from './investors';
import { liveSubscriptionPayments } from './payments';

/**
 * Equalisation interest, when the rules set a rate: a later subscriber's
 * catch-up stands for calls the earlier holders paid long before, so it pays
 * interest on its part of each earlier call from that call's due date to the
 * closing (days/365, rounded once per subscription, half up). The closing
 * shares each class's interest among the class's earlier holders pro rata to
 * their units — every unit of a class is paid up to the same level, so units
 * weigh what each paid in — exact to the cent. The fund only passes it on:
 * owed by the subscriber (4562), due to the holders (4571), paid to them by
 * the treasury once all the closing's interest has come in.
 */
export const equalisationAccountCode = '4571';

export function equalisationInterestMinor(
  calls: readonly { dueOn: string; perUnitMinor: bigint }[],
  units: number,
  closedOn: string,
  yearlyRate: string,
): bigint {
  const interest = calls
    .filter((call) => call.dueOn < closedOn)
    .reduce(
      (total, call) =>
        total.plus(interestBetween((call.perUnitMinor * BigInt(units)).toString(), call.dueOn, closedOn, yearlyRate)),
      new Decimal(0),
    );
  return roundedMinor(interest);
}

type Payer = { investor: string; class_code: string; equalisation_interest_minor: bigint };

/**
 * Shares the closing's equalisation interest among the earlier holders (the
 * closing not yet closed: its own units take no share) and gives the closing's
 * entry its lines: each subscriber owes its interest, each holder is owed its share.
 */
export async function shareEqualisationInterest(
  trx: Transaction,
  fundId: string,
  closing: { id: string; number: number },
  payers: readonly Payer[],
): Promise<EntryLine[]> {
  const byClass = new Map<string, bigint>();
  for (const payer of payers)
    byClass.set(payer.class_code, (byClass.get(payer.class_code) ?? 0n) + payer.equalisation_interest_minor);
  const holdings = await unitsHeld(trx, fundId);
  const shares = new Map<string, bigint>();
  for (const [classCode, interestMinor] of byClass) {
    const holders = holdings.filter((holding) => holding.class_code === classCode);
    if (interestMinor === 0n || holders.length === 0) continue;
    allocate(
      euros(interestMinor),
      holders.map((holder) => holder.units),
    ).forEach((part, index) => {
      const investorId = holders[index]!.investor_id;
      shares.set(investorId, (shares.get(investorId) ?? 0n) + minorUnits(part));
    });
  }
  const owed = [...shares].filter(([, amountMinor]) => amountMinor > 0n);
  if (owed.length > 0)
    await trx('equalisation_shares').insert(
      owed.map(([investorId, amountMinor]) => ({
        closing_id: closing.id,
        investor_id: investorId,
        amount_minor: amountMinor,
      })),
    );
  const names = await investorNames(
    trx,
    owed.map(([investorId]) => investorId),
  );
  return [
    ...payers
      .filter((payer) => payer.equalisation_interest_minor > 0n)
      .map((payer) => ({
        accountCode: '4562',
        amountMinor: payer.equalisation_interest_minor,
        label: `${payer.investor} — parts ${payer.class_code} : intérêts d’égalisation`,
      })),
    ...owed.map(([investorId, amountMinor]) => ({
      accountCode: equalisationAccountCode,
      amountMinor: -amountMinor,
      label: `${names.get(investorId)} — intérêts d’égalisation, closing n° ${closing.number}`,
    })),
  ];
}

/** The closing's equalisation interest owed by its subscribers, and what of it has come in. */
async function interestOfClosing(db: Database | Transaction, closingId: string) {
  const owed = await db('subscriptions')
    .where('closing_id', closingId)
    .sum<{ total: string | null }>('equalisation_interest_minor as total')
    .first();
  const collected = await liveSubscriptionPayments(db)
    .whereIn('subscription_id', db('subscriptions').where('closing_id', closingId).select('id'))
    .sum<{ total: string | null }>('interest_minor as total')
    .first();
  return { owedMinor: BigInt(owed?.total ?? 0), collectedMinor: BigInt(collected?.total ?? 0) };
}

/** Once every subscriber of the closing has paid its interest, the treasury is asked to pay each holder its share; once. */
export async function payEqualisationWhenCollected(
  trx: Transaction,
  fundId: string,
  closing: { id: string; number: number },
): Promise<void> {
  const { owedMinor, collectedMinor } = await interestOfClosing(trx, closing.id);
  if (owedMinor === 0n || collectedMinor < owedMinor) return;
  if ((await paymentsOfEqualisation(trx, { closingId: closing.id })).size > 0) return;
  const shares = await trx('equalisation_shares')
    .where('closing_id', closing.id)
    .select<{ investor_id: string; amount_minor: bigint }[]>('investor_id', 'amount_minor');
  for (const share of shares)
    await openDisbursementRequest(trx, {
      fundId,
      payee: { investorId: share.investor_id, closingId: closing.id },
      amountMinor: share.amount_minor,
      payableAccountCode: equalisationAccountCode,
      label: `Intérêts d’égalisation du closing ${closing.number}`,
    });
}

/** The closing's equalisation interest: owed, collected, and each earlier holder's share with where its payment stands. */
export async function equalisationOfClosing(db: Database | Transaction, closingId: string) {
  const { owedMinor, collectedMinor } = await interestOfClosing(db, closingId);
  const shares = await db('equalisation_shares')
    .join('investors', 'investors.id', 'equalisation_shares.investor_id')
    .where('equalisation_shares.closing_id', closingId)
    .orderBy('investors.name')
    .select<{ investor_id: string; name: string; amount_minor: bigint }[]>(
      'equalisation_shares.investor_id',
      'investors.name',
      'equalisation_shares.amount_minor',
    );
  const payments = await paymentsOfEqualisation(db, { closingId });
  return {
    interest: amount(owedMinor),
    collected: amount(collectedMinor),
    shares: shares.map((share) => ({
      investorId: share.investor_id,
      investor: share.name,
      amount: amount(share.amount_minor),
      payment: payments.get(`${closingId}.${share.investor_id}`) ?? null,
    })),
  };
}

/** The equalisation interest one investor is owed, closing by closing, with where each payment stands. */
export async function equalisationSharesOf(db: Database | Transaction, investorId: string) {
  const shares = await db('equalisation_shares')
    .join('closings', 'closings.id', 'equalisation_shares.closing_id')
    .where('equalisation_shares.investor_id', investorId)
    .orderBy('closings.number')
    .select<{ closing_id: string; number: number; closed_on: string; amount_minor: bigint }[]>(
      'equalisation_shares.closing_id',
      'closings.number',
      'closings.closed_on',
      'equalisation_shares.amount_minor',
    );
  const payments = await paymentsOfEqualisation(db, { investorId });
  return shares.map((share) => ({
    closingNumber: share.number,
    closedOn: share.closed_on,
    amount: amount(share.amount_minor),
    status: payments.get(`${share.closing_id}.${investorId}`)?.status ?? 'awaiting-subscribers',
  }));
}
