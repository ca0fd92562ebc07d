import { z } from 'zod';
import { euroAmount, timestamp } from '../http/answers';
import { positiveAmountSchema } from '../money/schema';
import { portfolioMessages } from './messages';

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
  z.strictObject({ event: z.literal('SIGN_TERM_SHEET') }),
  z.strictObject({ event: z.literal('EXIT') }),
  z.strictObject({ event: z.literal('WRITE_OFF') }),
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
export const investmentsAnswer = z.strictObject({ investments: z.array(z.strictObject(investmentFields)) });
