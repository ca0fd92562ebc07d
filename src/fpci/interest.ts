import Decimal from 'decimal.js';
import { yearFraction } from '../day-counts';
import { roundedMinor } from '../money';

/*
 * Interest as the FPCI's rules count it: at a yearly rate, days/365, rounded
 * to the cent once, half up.
 */

/** Interest on an amount from one day to a later one at a yearly rate, days/365, unrounded (the caller rounds once). */
export const interestBetween = (amountMinor: Decimal.Value, from: string, until: string, yearlyRate: string): Decimal =>
  new Decimal(amountMinor).times(yearlyRate).times(yearFraction('act/365f', from, until));

/**
 * Late-payment interest (CMF R214-75, at the rules' yearly rate, days/365): on
 * what remains unpaid each day after the due date, up to `asOf`; rounded once,
 * to the cent, half up.
 */
export function lateInterestMinor(
  dueMinor: bigint,
  dueOn: string,
  payments: readonly { amountMinor: bigint; receivedOn: string }[],
  asOf: string,
  yearlyRate: string,
): bigint {
  let unpaid = new Decimal(dueMinor.toString());
  let from = dueOn;
  let interest = new Decimal(0);
  const sorted = [...payments].sort((left, right) => left.receivedOn.localeCompare(right.receivedOn));
  for (const payment of [...sorted, { amountMinor: 0n, receivedOn: asOf }]) {
    const until = payment.receivedOn < asOf ? payment.receivedOn : asOf;
    if (until > from) {
      interest = interest.plus(interestBetween(unpaid, from, until, yearlyRate));
      from = until;
    }
    unpaid = unpaid.minus(payment.amountMinor.toString());
  }
  return roundedMinor(interest);
}
