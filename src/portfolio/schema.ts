import { z } from 'zod';
import { calendarDate, euroAmount, timestamp } from '../http/answers';
import { isQuarterEnd } from '../day-counts';
import { isoDateSchema } from '../ledger/schema';
import { amountSchema, positiveAmountSchema } from '../money/schema';
import { portfolioMessages } from './messages';
import { termsSchema } from './terms';

/** What the portfolio's routes take and give (French refusals from messages.ts). */
export const instruments = [
  'shares',
  'bonds',
  'participating-loan',
  'cooperative-shares',
  'participating-securities',
  'associative-securities',
] as const;

const text = (max: number, message: string) => z.string().trim().min(3, message).max(max);

export const newInvestmentBody = z.strictObject({
  applicationId: z.uuid(portfolioMessages.fileNotOfThisFund),
  instrument: z.enum(instruments, { message: portfolioMessages.instrument }),
  name: text(200, portfolioMessages.nameRequired),
  amountSought: positiveAmountSchema,
});
export type NewInvestment = z.infer<typeof newInvestmentBody>;

export const investmentStepBody = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('START_DUE_DILIGENCE') }),
  z.strictObject({ event: z.literal('SUBMIT_TO_COMMITTEE'), summary: text(5000, portfolioMessages.dueDiligenceNote) }),
  z.strictObject({ event: z.literal('SIGN_TERM_SHEET'), terms: termsSchema }),
  z.strictObject({ event: z.literal('ABANDON'), reason: text(2000, portfolioMessages.abandonReason) }),
]);
export type InvestmentStep = z.infer<typeof investmentStepBody>;

export const investmentParams = z.strictObject({
  fundId: z.string(),
  investmentId: z.uuid(portfolioMessages.investmentIdInvalid),
});

const investmentFields = {
  id: z.uuid(),
  fundId: z.string(),
  organisationId: z.string(),
  applicationId: z.uuid(),
  instrument: z.enum(instruments),
  name: z.string(),
  amountSought: euroAmount,
  approvedAmount: euroAmount.nullable(),
  state: z.string(),
  createdAt: timestamp,
};
export const investmentAnswer = z.strictObject({
  ...investmentFields,
  termSheetSignedOn: calendarDate.nullable(),
  terms: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .nullable()
    .meta({ description: 'Les conditions de la lettre d’intention, montants en euros' }),
  invested: euroAmount.nullable(),
  drawn: euroAmount,
  drawdowns: z.array(
    z.strictObject({
      number: z.number().int(),
      amount: euroAmount,
      requestedOn: calendarDate,
      requestedAt: timestamp,
      payment: z.strictObject({ requestId: z.uuid(), status: z.string() }).nullable(),
    }),
  ),
  returns: z.array(
    z.strictObject({
      kind: z.enum(['interest', 'dividend', 'repayment', 'sale']),
      amount: euroAmount,
      receivedOn: calendarDate,
    }),
  ),
  realised: euroAmount,
  carryingValue: euroAmount.meta({ description: 'Ce qui reste investi, au coût (tiré moins remboursé)' }),
  bookValue: euroAmount.meta({
    description: 'Ce que les livres portent : le coût plus les différences d’estimation des valorisations approuvées',
  }),
  moic: z.string().nullable().meta({ description: 'Multiple : (rentrées + valeur dans les livres) ÷ tiré' }),
  schedule: z
    .array(
      z.strictObject({
        number: z.number().int(),
        dueOn: calendarDate,
        outstanding: euroAmount,
        interest: euroAmount,
        principal: euroAmount,
      }),
    )
    .nullable(),
  history: z.array(
    z.strictObject({
      event: z.string(),
      fromState: z.string().nullable(),
      toState: z.string(),
      reason: z.string().nullable(),
      at: timestamp,
    }),
  ),
});
/** An investment as the organisation's people read it: the fund's valuations of it are not theirs. */
export const organisationInvestmentAnswer = investmentAnswer.omit({ carryingValue: true, bookValue: true, moic: true });
export const investmentsAnswer = z.strictObject({ investments: z.array(z.strictObject(investmentFields)) });

export const drawdownBody = z.strictObject({
  /** The drawdown's number: the next one (1, 2…); the same number again replays it. */
  number: z.number().int().min(1).max(1000),
  amount: positiveAmountSchema,
});

/** What comes back from an investment before it ends: income (interest, dividends) or principal repaid. */
export const receiptKinds = ['interest', 'dividend', 'repayment'] as const;
export type ReceiptKind = (typeof receiptKinds)[number];

export const receiptBody = z.strictObject({
  kind: z.enum(receiptKinds),
  amount: positiveAmountSchema,
  receivedOn: isoDateSchema,
});

export const endBody = z.discriminatedUnion('how', [
  z.strictObject({ how: z.literal('exit'), price: amountSchema, soldOn: isoDateSchema }),
  z.strictObject({ how: z.literal('write-off'), reason: text(2000, portfolioMessages.writeOffReason) }),
]);

/** IPEV's valuation techniques (cost is no longer one: it is calibrated, at most, through a recent investment's price). */
export const valuationTechniques = [
  'recent-investment-price',
  'multiples',
  'industry-benchmarks',
  'market-price',
  'discounted-cash-flows',
  'net-assets',
] as const;

export const valuationBody = z.strictObject({
  measuredOn: isoDateSchema.refine(isQuarterEnd, portfolioMessages.notAQuarterEnd),
  technique: z.enum(valuationTechniques, { message: portfolioMessages.technique }),
  value: amountSchema,
  inputs: z
    .array(
      z.strictObject({
        name: text(100, portfolioMessages.inputName),
        value: z.string().trim().min(1, portfolioMessages.inputValue).max(200),
      }),
    )
    .min(1, portfolioMessages.inputsRequired)
    .max(20),
  calibrationNote: text(5000, portfolioMessages.calibrationNote),
});
export type ValuationInput = z.infer<typeof valuationBody>;

export const valuationParams = z.strictObject({
  fundId: z.string(),
  valuationId: z.uuid(portfolioMessages.valuationIdInvalid),
});

export const valuationStepBody = z.discriminatedUnion('event', [
  z.strictObject({ event: z.literal('APPROVE') }),
  z.strictObject({ event: z.literal('REJECT'), reason: text(2000, portfolioMessages.rejectReason) }),
]);

export const valuationAnswer = z.strictObject({
  id: z.uuid(),
  investmentId: z.uuid(),
  investmentName: z.string(),
  measuredOn: calendarDate,
  technique: z.enum(valuationTechniques),
  value: euroAmount,
  inputs: z.array(z.strictObject({ name: z.string(), value: z.string() })),
  calibrationNote: z.string(),
  state: z.enum(['proposed', 'approved', 'rejected']),
  proposedBy: z.string().meta({ description: 'Qui l’a proposée' }),
  proposedByYou: z.boolean().meta({ description: 'Proposée par la personne qui lit : une autre doit l’approuver' }),
  proposedAt: timestamp,
  revaluation: euroAmount
    .nullable()
    .meta({ description: 'Approuvée : l’écart passé en comptabilité (valeur moins ce que les livres portaient)' }),
});
export const valuationsAnswer = z.strictObject({ valuations: z.array(valuationAnswer) });
export const valuationsQuery = z.strictObject({
  investmentId: z.uuid(portfolioMessages.investmentIdInvalid).optional(),
  measuredOn: isoDateSchema.optional(),
});
