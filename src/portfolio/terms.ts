import { z } from 'zod';
import { shareSchema } from '../fpci/schema';
import { positiveAmountSchema } from '../money/schema';
import { dayCounts } from '../day-counts';
import { portfolioMessages } from './messages';
import { amortisations, type LoanTerms } from './schedules';

/**
 * What each instrument carries, as its term sheet says (RULES.md §5):
 * - *actions*: a number of shares at a price;
 * - *parts sociales*: a number of shares at their nominal, remunerated at most
 *   at the cap the cooperative rules set;
 * - *obligations*, *prêts participatifs*, *titres associatifs*: a principal lent
 *   at a rate, a day count and a schedule (periods, grace, amortisation);
 * - *titres participatifs*: the same with a fixed rate, plus a variable part (a
 *   share of a named basis, the issuer's result for instance).
 * The amount invested is the shares' price or the principal: never more than
 * the committee voted.
 */
const units = z.number().int().min(1).max(100_000_000);
const schedule = {
  principal: positiveAmountSchema,
  yearlyRate: shareSchema,
  dayCount: z.enum(dayCounts),
  periodMonths: z.union([z.literal(1), z.literal(3), z.literal(6), z.literal(12)]),
  periods: z.number().int().min(1).max(480),
  gracePeriods: z.number().int().min(0).max(479),
  amortisation: z.enum(amortisations),
};
const graceBeforeEnd = <T extends { periods: number; gracePeriods: number }>(terms: T) =>
  terms.gracePeriods < terms.periods;
const graceMessage = { path: ['gracePeriods'], message: portfolioMessages.graceTooLong };

export const termsSchema = z.discriminatedUnion('instrument', [
  z.strictObject({ instrument: z.literal('shares'), shares: units, pricePerShare: positiveAmountSchema }),
  z.strictObject({
    instrument: z.literal('cooperative-shares'),
    shares: units,
    nominalPerShare: positiveAmountSchema,
    remunerationCap: shareSchema,
  }),
  z.strictObject({ instrument: z.literal('bonds'), ...schedule }).refine(graceBeforeEnd, graceMessage),
  z.strictObject({ instrument: z.literal('participating-loan'), ...schedule }).refine(graceBeforeEnd, graceMessage),
  z.strictObject({ instrument: z.literal('associative-securities'), ...schedule }).refine(graceBeforeEnd, graceMessage),
  z
    .strictObject({
      instrument: z.literal('participating-securities'),
      ...schedule,
      variableShare: shareSchema,
      variableBasis: z.string().trim().min(3).max(200),
    })
    .refine(graceBeforeEnd, graceMessage),
]);
export type Terms = z.infer<typeof termsSchema>;

/** The amount the terms invest: shares × price, or the principal lent. */
export function investedMinor(terms: Terms): bigint {
  switch (terms.instrument) {
    case 'shares':
      return BigInt(terms.shares) * terms.pricePerShare;
    case 'cooperative-shares':
      return BigInt(terms.shares) * terms.nominalPerShare;
    default:
      return terms.principal;
  }
}

/** The schedule's terms of an instrument lent at a rate, from its first drawdown; none for shares. */
export function loanTermsOf(terms: Terms, startOn: string): LoanTerms | undefined {
  if (terms.instrument === 'shares' || terms.instrument === 'cooperative-shares') return undefined;
  return {
    principalMinor: terms.principal,
    yearlyRate: terms.yearlyRate,
    dayCount: terms.dayCount,
    startOn,
    periodMonths: terms.periodMonths,
    periods: terms.periods,
    gracePeriods: terms.gracePeriods,
    amortisation: terms.amortisation,
  };
}

/** Terms as stored (JSON: amounts in minor units as strings) and read back. */
export const storedTerms = (terms: Terms): string =>
  JSON.stringify(terms, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
export function termsFromStorage(stored: Record<string, unknown>): Terms {
  const amounts = ['pricePerShare', 'nominalPerShare', 'principal'];
  return Object.fromEntries(
    Object.entries(stored).map(([key, value]) => [key, amounts.includes(key) ? BigInt(value as string) : value]),
  ) as Terms;
}
