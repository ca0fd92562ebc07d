import { paymentStatuses } from '../treasury/payment-statuses';
import { z } from 'zod';
import { pageQuery } from '../db/pagination';
import { calendarDate, euroAmount, pageAnswer, timestamp } from '../http/answers';
import { isValidSiren } from '../identifiers/luhn';
import { emailSchema } from '../identity/schema';
import { fundParams } from '../ledger/schema';
import Decimal from 'decimal.js';
import { positiveAmountSchema } from '../money/schema';
import { projectTypes } from './grants';
import { endowmentMessages } from './messages';

export const donationMethods = ['transfer', 'card', 'cheque', 'cash', 'direct-debit'] as const;
const text = (max: number) => z.string().trim().min(1).max(max);

export const receiptParams = fundParams.extend({ receiptId: z.uuid() });
export const importParams = fundParams.extend({ importId: z.uuid() });

const address = {
  addressLine: text(200),
  postalCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Z -]{3,10}$/i, 'Code postal invalide.'),
  city: text(100),
  country: text(100).default('France'),
};
const preferences = {
  email: emailSchema.optional(),
  receiptMode: z.enum(['per-gift', 'annual']).default('per-gift'),
  consentEmail: z.boolean().default(true),
  consentNewsletter: z.boolean().default(false),
};

export const newDonorBody = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('individual'),
      lastName: text(100),
      firstNames: text(200),
      ...address,
      ...preferences,
    }),
    z.strictObject({
      kind: z.literal('company'),
      companyName: text(200),
      siren: z
        .string()
        .transform((value) => value.replace(/[\s.]/g, ''))
        .refine(isValidSiren, 'SIREN invalide : 9 chiffres et clé de contrôle (Luhn).'),
      ...address,
      ...preferences,
    }),
  ],
  { error: () => 'Donateur : individual ou company.' },
);
export type NewDonor = z.infer<typeof newDonorBody>;

export const donationBody = z.strictObject({
  donorId: z.uuid(),
  amount: positiveAmountSchema,
  receivedOn: z.iso.date({ message: endowmentMessages.dateFormat }),
  method: z.enum(donationMethods, { message: endowmentMessages.donationMethod(donationMethods.join(', ')) }),
  recurring: z.boolean().default(false),
  poolId: z.string().min(1).max(60).optional(),
  externalRef: z.string().trim().min(1).max(100).optional(),
});
export type DonationInput = z.infer<typeof donationBody>;

export const cancellationBody = z.strictObject({
  reason: z.string().trim().min(3).max(2000),
  /** Corrections to the donor before the replacement is issued (a misspelt name, a new address). */
  donor: z
    .strictObject({ lastName: text(100), firstNames: text(200), companyName: text(200), ...address })
    .partial()
    .optional(),
});

export const endowmentRulesBody = z.strictObject({
  giftAmountMax: positiveAmountSchema,
  ticketMin: positiveAmountSchema,
  ticketMax: positiveAmountSchema,
});

/** What a donor chooses for themself (the donor space's form). */
export const donorChoicesBody = z.strictObject({
  receiptMode: z.enum(['per-gift', 'annual']),
  consentEmail: z.boolean(),
  consentNewsletter: z.boolean(),
});

export const giftCancellationBody = z.strictObject({ reason: z.string().trim().min(3).max(1000) });

export const registerQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });

export const receiptsQuery = z.strictObject({
  ...pageQuery,
  year: registerQuery.shape.year.optional(),
  donorId: z.uuid('Identifiant de donateur invalide.').optional(),
  kind: z.enum(['per-gift', 'annual']).optional(),
  state: z.enum(['valid', 'cancelled']).optional(),
  reference: z
    .string()
    .trim()
    .regex(/^[0-9-]{1,11}$/, 'Un numéro de reçu : chiffres et tiret, ex. 2026-000123.')
    .optional(),
});

export const poolParams = fundParams.extend({
  poolId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'Identifiant de pool invalide.'),
});

const percentSchema = z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'Pourcentage décimal, ex. "50" ou "33.3333".');

const poolRules = {
  ticketMin: positiveAmountSchema,
  ticketMax: positiveAmountSchema,
  eligibleProjectTypes: z.array(z.enum(projectTypes)).max(projectTypes.length).default([]),
  startsOn: z.iso.date(),
  endsOn: z.iso.date(),
  tranchePercents: z.array(percentSchema).min(1).max(12).default(['50', '30', '20']),
};

function checkPoolRules(
  pool: { ticketMin: bigint; ticketMax: bigint; startsOn: string; endsOn: string; tranchePercents: string[] },
  context: z.RefinementCtx,
): void {
  if (pool.ticketMax < pool.ticketMin)
    context.addIssue({ code: 'custom', path: ['ticketMax'], message: endowmentMessages.ticketMaxBelowMin });
  if (pool.endsOn <= pool.startsOn)
    context.addIssue({ code: 'custom', path: ['endsOn'], message: endowmentMessages.periodEndsBeforeStart });
  // Exact decimal arithmetic: 33.3333 + 33.3333 + 33.3334 is 100.
  const total = pool.tranchePercents.reduce((sum, percent) => sum.plus(percent), new Decimal(0));
  if (!total.eq(100))
    context.addIssue({
      code: 'custom',
      path: ['tranchePercents'],
      message: endowmentMessages.tranchesNotWhole(total.toString()),
    });
}

export const newPoolBody = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'Identifiant : minuscules, chiffres et tirets.'),
    name: text(200),
    partnerName: text(200),
    ...poolRules,
  })
  .superRefine(checkPoolRules);

/** An addendum to the pool's agreement: the whole rules as they read from its effective date. */
export const poolAmendmentBody = z
  .strictObject({
    ...poolRules,
    effectiveFrom: z.iso.date({ message: endowmentMessages.dateFormat }),
    reason: z.string().trim().min(3).max(2000),
  })
  .superRefine(checkPoolRules);

export const contributionBody = z.strictObject({ amount: positiveAmountSchema, receivedOn: z.iso.date() });
export const statementQuery = z.strictObject({ format: z.enum(['pdf', 'csv']).default('pdf') });

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const donorListItem = z.strictObject({
  id: z.uuid(),
  kind: z.enum(['individual', 'company']),
  name: z.string(),
  email: z.string().nullable(),
  city: z.string(),
  receiptMode: z.enum(['per-gift', 'annual']),
});
export const donorsAnswer = pageAnswer('donors', donorListItem);
const donationListItem = z.strictObject({
  id: z.uuid(),
  donorId: z.uuid(),
  donor: z.string(),
  amount: euroAmount,
  receivedOn: calendarDate,
  method: z.enum(['transfer', 'card', 'cheque', 'cash', 'direct-debit']),
  poolId: z.string().nullable(),
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
});
export const donationsAnswer = pageAnswer('donations', donationListItem);
export const recordedDonationAnswer = z.strictObject({ donationId: z.uuid(), receiptId: z.uuid().nullable() });
const receiptAnswer = z.strictObject({
  id: z.uuid(),
  reference: z.string().regex(/^\d{4}-\d{6}$/),
  kind: z.enum(['per-gift', 'annual']),
  amount: euroAmount,
  periodFrom: calendarDate,
  periodTo: calendarDate,
  issuedAt: timestamp,
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
  replacesId: z.uuid().nullable(),
  documentId: z.uuid().nullable(),
});
export const receiptsAnswer = pageAnswer('receipts', receiptAnswer);
const donationOfDonor = z.strictObject({
  id: z.uuid(),
  amount: euroAmount,
  receivedOn: calendarDate,
  method: z.enum(donationMethods),
  recurring: z.boolean(),
  poolId: z.string().nullable(),
  cancelledAt: timestamp.nullable(),
  cancelReason: z.string().nullable(),
});
export const donorAnswer = z.strictObject({
  id: z.uuid(),
  fundId: z.string(),
  kind: z.enum(['individual', 'company']),
  name: z.string(),
  email: z.string().nullable(),
  receiptMode: z.enum(['per-gift', 'annual']),
  consentEmail: z.boolean(),
  consentNewsletter: z.boolean(),
  donations: z.array(donationOfDonor),
  receipts: z.array(receiptAnswer),
});
export const myGiftsAnswer = z.strictObject({ donors: z.array(donorAnswer) });
export const cancelledDonationAnswer = z.strictObject({
  donationId: z.uuid(),
  reversalEntryId: z.number().int(),
  cancelledReceiptIds: z.array(z.uuid()),
  replacementReceiptIds: z.array(z.uuid()),
});
export const issuedReceiptsAnswer = z.strictObject({ receiptIds: z.array(z.uuid()) });
export const replacementReceiptAnswer = z.strictObject({ replacementId: z.uuid() });
const percent = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .meta({ description: 'Pourcentage : "40", "33.33"' });
const poolRulesAnswer = z.strictObject({
  ticketMin: euroAmount,
  ticketMax: euroAmount,
  eligibleProjectTypes: z.array(z.enum(projectTypes)),
  startsOn: calendarDate,
  endsOn: calendarDate,
  tranchePercents: z.array(percent),
});
const poolSummary = {
  id: z.string(),
  name: z.string(),
  partnerName: z.string(),
  accountCode: z.string(),
  rules: poolRulesAnswer.extend({
    amendmentId: z
      .string()
      .nullable()
      .meta({ description: 'L’avenant qui porte les règles en vigueur (null : la convention d’origine)' }),
  }),
  amendments: z.array(
    z.strictObject({
      id: z.string(),
      effectiveFrom: calendarDate,
      reason: z.string(),
      amendedBy: z.string(),
      amendedAt: timestamp,
      rules: poolRulesAnswer,
    }),
  ),
  contributed: euroAmount,
  available: euroAmount.meta({ description: 'Ce que le pool peut encore accorder' }),
  granted: euroAmount,
  requestedForPayment: euroAmount,
};
export const poolAnswer = z.strictObject({
  ...poolSummary,
  grants: z.array(
    z.strictObject({ id: z.uuid(), beneficiary: z.string(), amount: euroAmount, grantedOn: calendarDate }),
  ),
});
export const poolsAnswer = pageAnswer('pools', z.strictObject(poolSummary));
export { paymentStatuses };
const disbursementRequestAnswer = z.strictObject({
  id: z.uuid(),
  organisationId: z.string().nullable().meta({ description: 'L’organisation payée (tranche d’une aide)' }),
  investorId: z.uuid().nullable().meta({ description: 'L’investisseur payé (sa part d’une distribution)' }),
  payee: z.string().meta({ description: 'Le nom de qui est payé' }),
  amount: euroAmount,
  payableAccountCode: z.string(),
  label: z.string(),
  status: z.enum(paymentStatuses),
  createdAt: timestamp,
});
export const disbursementRequestsAnswer = pageAnswer('requests', disbursementRequestAnswer);
export const trancheAnswer = z.strictObject({
  position: z.number().int().min(1),
  percent,
  amount: euroAmount,
  condition: z.enum(['agreement-signed', 'report-accepted']),
  status: z.enum(['scheduled', 'payable']),
});
/** A grant as its file shows it: each tranche, the condition that makes it payable, and whether it is. */
export const grantAnswer = z.strictObject({
  id: z.uuid(),
  amount: euroAmount,
  poolId: z.string().nullable(),
  tranches: z.array(trancheAnswer),
});
export const endowmentRulesAnswer = z.strictObject({
  giftAmountMax: euroAmount,
  ticketMin: euroAmount,
  ticketMax: euroAmount,
});
export const donationImportAnswer = z.strictObject({
  id: z.uuid(),
  fundId: z.string(),
  dryRun: z.boolean(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  charset: z.string(),
  totalLines: z.number().int().nullable(),
  processedLines: z.number().int(),
  created: z.number().int(),
  alreadyImported: z.number().int(),
  refused: z.number().int(),
  failure: z.string().nullable(),
  requestedAt: timestamp,
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
});
export const donationImportsAnswer = pageAnswer('imports', donationImportAnswer);
const importLineAnswer = z.strictObject({
  line: z.number().int().min(2),
  outcome: z.enum(['created', 'already-imported', 'refused']),
  reference: z.string(),
  donor: z.string().nullable(),
  newDonor: z.boolean().nullable(),
  amount: euroAmount.nullable(),
  receivedOn: calendarDate.nullable(),
  donationId: z.uuid().nullable(),
  receiptId: z.uuid().nullable(),
  errors: z.array(z.string()),
});
export const importLinesAnswer = pageAnswer('lines', importLineAnswer);
