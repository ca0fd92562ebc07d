import { paymentStatuses } from '../treasury/payment-statuses';
import { z } from 'zod';
import { calendarDate, euroAmount, pageAnswer, timestamp } from '../http/answers';
import { isValidBic, isSepaIban, isValidIban, normaliseIban } from '../identifiers/bank-account';
import { isValidSiren } from '../identifiers/luhn';
import { fundIdSchema, isoDateSchema } from '../ledger/schema';
import { amountSchema, positiveAmountSchema } from '../money/schema';
import { callPurposes } from './purposes';
import { emailSchema } from '../identity/schema';
import { fpciMessages } from './messages';

/** A share between 0 and 1 as a decimal string ("0.02"): what decimal.js reads without a float. */
export const shareSchema = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, fpciMessages.shareFormat);
const positiveEuros = z.string().refine((text) => {
  const parsed = amountSchema.safeParse(text);
  return parsed.success && parsed.data > 0n;
}, fpciMessages.nominalPositive);
const text = (max: number) => z.string().trim().min(1).max(max);

export const unitClassSchema = z.strictObject({
  code: z.string().regex(/^[A-Z][A-Z0-9]{0,3}$/, fpciMessages.classCode),
  name: text(100),
  /** Investors' units, or the team's carried-interest units. */
  holders: z.enum(['investors', 'carry']),
  nominalPerUnit: positiveEuros,
});

/**
 * A unit fund's rules, data of the fund: its classes, its subscription period,
 * the premium a later subscriber pays, the late-payment interest, the notice of
 * a call, when it may distribute, and who may subscribe. Another vehicle is
 * another set of these, not other code.
 */
export const vehicleRulesSchema = z
  .strictObject({
    unitClasses: z.array(unitClassSchema).min(1).max(10),
    subscriptionPeriodEndsOn: isoDateSchema,
    /** From each date, the premium as a share of the commitment; before the first, none. */
    premiumSchedule: z.array(z.strictObject({ from: isoDateSchema, rate: shareSchema })).max(20),
    /** Yearly, on the amount called and unpaid past its due date (CMF R214-75). */
    lateInterestRate: shareSchema,
    noticeBusinessDays: z.number().int().min(1).max(60),
    distributionsBeforePeriodEnd: z.boolean(),
    /**
     * Interest a later subscriber pays the earlier holders of its class on its catch-up, yearly, from each
     * earlier call's due date to the closing (days/365); none by default.
     */
    equalisationInterestRate: shareSchema.nullable(),
    /** The carry units' floor (1 % up to €1bn, half above, CGI 150-0 A II 8); null when the vehicle has none. */
    carryFloorShare: shareSchema.nullable(),
    /** "professional": RG AMF 423-49 applies (an FPCI); "open": anyone may subscribe. */
    investorEligibility: z.enum(['professional', 'open']),
    ticketMin: positiveEuros.nullable(),
  })
  .superRefine((rules, context) => {
    const codes = rules.unitClasses.map((unitClass) => unitClass.code);
    if (new Set(codes).size !== codes.length)
      context.addIssue({ code: 'custom', path: ['unitClasses'], message: fpciMessages.classCodesTwice });
    const dates = rules.premiumSchedule.map((step) => step.from);
    if (dates.some((date, index) => index > 0 && date <= dates[index - 1]!))
      context.addIssue({ code: 'custom', path: ['premiumSchedule'], message: fpciMessages.premiumScheduleOrder });
    if (rules.carryFloorShare !== null && !rules.unitClasses.some((unitClass) => unitClass.holders === 'carry'))
      context.addIssue({ code: 'custom', path: ['carryFloorShare'], message: fpciMessages.carryClassMissing });
  });
export type VehicleRules = z.infer<typeof vehicleRulesSchema>;

export const vehicleRulesBody = z.strictObject({
  effectiveFrom: isoDateSchema,
  reason: text(2000).min(3),
  rules: vehicleRulesSchema,
});

export const investorIdParams = z.strictObject({
  fundId: fundIdSchema,
  investorId: z.uuid(fpciMessages.investorIdInvalid),
});
export const closingParams = z.strictObject({
  fundId: fundIdSchema,
  closingId: z.uuid(fpciMessages.closingIdInvalid),
});

const kycSchema = z.strictObject({
  status: z.enum(['pending', 'verified', 'refused']),
  checkedOn: isoDateSchema.nullable(),
  expiresOn: isoDateSchema.nullable(),
});
const eligibilitySchema = z.strictObject({
  route: z.enum(['professional-investor', 'ticket-100k', 'ticket-30k-criterion', 'investment-service-provider']),
  details: text(500).nullable(),
  recordedOn: isoDateSchema,
});

export const newInvestorBody = z.strictObject({
  kind: z.enum(['legal-person', 'individual']),
  name: text(200),
  siren: z
    .string()
    .transform((value) => value.replace(/\s/g, ''))
    .refine(isValidSiren, 'SIREN invalide : 9 chiffres et clé de contrôle (Luhn).')
    .nullable()
    .default(null),
  identityDocument: text(200).nullable().default(null),
  addressLine: text(200).nullable().default(null),
  postalCode: text(20).nullable().default(null),
  city: text(100).nullable().default(null),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Pays : code ISO 3166 à deux lettres (ex. FR).')
    .default('FR'),
  email: emailSchema.nullable().default(null),
  iban: z
    .string()
    .refine(isValidIban, { message: fpciMessages.ibanInvalid, abort: true })
    .refine(isSepaIban, fpciMessages.ibanNotSepa)
    .transform(normaliseIban)
    .nullable()
    .default(null),
  bic: z
    .string()
    .trim()
    .toUpperCase()
    .refine(isValidBic, 'BIC invalide : 8 ou 11 caractères (ISO 9362).')
    .nullable()
    .default(null),
  kyc: kycSchema.optional(),
  eligibility: eligibilitySchema.nullable().optional(),
});
export type NewInvestor = z.infer<typeof newInvestorBody>;

export const investorChangeBody = z
  .strictObject({ kyc: kycSchema.optional(), eligibility: eligibilitySchema.nullable().optional() })
  .refine((change) => change.kyc !== undefined || change.eligibility !== undefined, 'Rien à modifier.');
export type InvestorChange = z.infer<typeof investorChangeBody>;

export const subscriptionBody = z.strictObject({
  investorId: z.uuid(fpciMessages.investorIdInvalid),
  classCode: z.string().min(1).max(4),
  units: z.number().int('Un nombre entier de parts.').min(1, 'Au moins une part.').max(100_000_000),
});

export const closingStepBody = z.discriminatedUnion(
  'event',
  [
    z.strictObject({ event: z.literal('SUBMIT') }),
    z.strictObject({ event: z.literal('APPROVE'), closedOn: isoDateSchema.optional() }),
    z.strictObject({ event: z.literal('SEND_BACK'), reason: text(2000).min(3) }),
  ],
  { error: () => 'Étape inconnue : SUBMIT, APPROVE ou SEND_BACK.' },
);

export const callParams = z.strictObject({
  fundId: fundIdSchema,
  callId: z.uuid(fpciMessages.callIdInvalid),
});
export const newCallBody = z.strictObject({
  classShares: z
    .array(z.strictObject({ classCode: z.string().min(1).max(4), share: shareSchema }))
    .min(1)
    .max(10),
  /** How the call splits by purpose, as weights (shares of the call, or amounts: only their proportions count). */
  purposes: z
    .array(
      z.strictObject({
        purpose: z.enum(callPurposes),
        weight: z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, fpciMessages.weightFormat),
      }),
    )
    .min(1)
    .max(4)
    .refine((list) => new Set(list.map((one) => one.purpose)).size === list.length, fpciMessages.purposeTwice)
    .refine((list) => list.some((one) => Number(one.weight) > 0), fpciMessages.weightsAllZero),
  dueOn: isoDateSchema,
  shortNoticeReason: text(2000).min(3).optional(),
});
export const callStepBody = z.strictObject({ event: z.enum(['APPROVE', 'ISSUE', 'CANCEL']) });
export const callPaymentBody = z.strictObject({
  investorId: z.uuid(fpciMessages.investorIdInvalid),
  amount: positiveAmountSchema,
  receivedOn: isoDateSchema,
});

export const distributionParams = z.strictObject({
  fundId: fundIdSchema,
  distributionId: z.uuid(fpciMessages.distributionIdInvalid),
});
export const newDistributionBody = z.strictObject({
  classCodes: z.array(z.string().min(1).max(4)).min(1).max(10),
  amount: positiveAmountSchema,
  /** The part that is income (dividends, interest received); the rest, beyond repayment, is gain. */
  income: amountSchema.default(0n),
});
export const distributionStepBody = z.strictObject({ event: z.enum(['APPROVE', 'BOOK', 'CANCEL']) });
export const auditorReportBody = z.strictObject({ reference: text(200), reportOn: isoDateSchema });

export const investorContactBody = z.strictObject({ email: emailSchema, displayName: text(200) });

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
export const vehicleRulesAnswer = z.strictObject({
  fundId: z.string(),
  version: z.number().int(),
  effectiveFrom: calendarDate,
  reason: z.string(),
  setAt: timestamp,
  rules: vehicleRulesSchema,
});

export const investorAnswer = z.strictObject({
  id: z.uuid(),
  kind: z.enum(['legal-person', 'individual']),
  name: z.string(),
  siren: z.string().nullable(),
  identityDocument: z.string().nullable(),
  addressLine: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  email: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  kyc: z.strictObject({ status: z.string(), checkedOn: calendarDate.nullable(), expiresOn: calendarDate.nullable() }),
  eligibility: z
    .strictObject({ route: z.string(), details: z.string().nullable(), recordedOn: calendarDate })
    .nullable(),
  commitment: euroAmount,
});
export const investorsAnswer = pageAnswer('investors', investorAnswer);

export const closingAnswer = z.strictObject({
  id: z.uuid(),
  number: z.number().int(),
  state: z.string(),
  openedOn: calendarDate,
  closedOn: calendarDate.nullable(),
  entryId: z.number().int().nullable(),
  subscriptions: z.array(
    z.strictObject({
      id: z.uuid(),
      investorId: z.uuid(),
      investor: z.string(),
      classCode: z.string(),
      units: z.number().int(),
      commitment: euroAmount,
      catchUp: euroAmount,
      equalisationInterest: euroAmount.meta({
        description: 'Intérêts d’égalisation dus aux porteurs antérieurs, fixés à la clôture du closing',
      }),
      premium: euroAmount,
      premiumRate: z.string(),
      paymentReference: z.string().nullable().meta({
        description: 'La référence (ISO 11649) à indiquer au virement du rattrapage, des intérêts et de la prime',
      }),
    }),
  ),
  totals: z.strictObject({
    commitment: euroAmount,
    catchUp: euroAmount,
    equalisationInterest: euroAmount,
    premium: euroAmount,
  }),
  equalisation: z.strictObject({
    interest: euroAmount,
    collected: euroAmount,
    shares: z.array(
      z.strictObject({
        investorId: z.uuid(),
        investor: z.string(),
        amount: euroAmount,
        payment: z.strictObject({ requestId: z.uuid(), status: z.string() }).nullable(),
      }),
    ),
  }),
});

export const callAnswer = z.strictObject({
  id: z.uuid(),
  number: z.number().int(),
  state: z.string(),
  classShares: z.array(z.strictObject({ classCode: z.string(), share: z.string() })),
  purposes: z.array(z.strictObject({ purpose: z.enum(callPurposes), weight: z.string() })),
  dueOn: calendarDate,
  shortNoticeReason: z.string().nullable(),
  issuedOn: calendarDate.nullable(),
  entryId: z.number().int().nullable(),
  totals: z.strictObject({ due: euroAmount, paid: euroAmount, outstanding: euroAmount }),
  investors: z.array(
    z.strictObject({
      investorId: z.uuid(),
      investor: z.string(),
      due: euroAmount,
      byPurpose: z.record(z.enum(callPurposes), euroAmount),
      paid: euroAmount,
      outstanding: euroAmount,
      paymentReference: z.string(),
      status: z.enum(['paid', 'partly-paid', 'unpaid', 'late']),
      lateInterest: euroAmount,
    }),
  ),
});

export const distributionAnswer = z.strictObject({
  id: z.uuid(),
  number: z.number().int(),
  state: z.string(),
  classCodes: z.array(z.string()),
  amount: euroAmount,
  income: euroAmount,
  auditorReport: z.strictObject({
    required: z.boolean(),
    reference: z.string().nullable(),
    reportOn: calendarDate.nullable(),
  }),
  bookedOn: calendarDate.nullable(),
  entryId: z.number().int().nullable(),
  totals: z.strictObject({ repayment: euroAmount, gain: euroAmount, income: euroAmount }),
  investors: z.array(
    z.strictObject({
      investorId: z.uuid(),
      investor: z.string(),
      classCode: z.string(),
      repayment: euroAmount,
      gain: euroAmount,
      income: euroAmount,
      total: euroAmount,
      payment: z
        .strictObject({ requestId: z.uuid(), status: z.enum(paymentStatuses) })
        .nullable()
        .meta({ description: 'Où en est le virement à l’investisseur, une fois la distribution comptabilisée' }),
    }),
  ),
});

export const positionsAnswer = z.strictObject({
  positions: z.array(
    z.strictObject({
      investorId: z.uuid(),
      investor: z.string(),
      fundId: z.string(),
      fund: z.string(),
      commitment: euroAmount,
      called: euroAmount,
      paid: euroAmount,
      uncalled: euroAmount,
      distributed: euroAmount,
      calls: z.array(
        z.strictObject({
          number: z.number().int(),
          /** Its notice (PDF at /api/documents/{id}), once rendered. */
          noticeDocumentId: z.uuid().nullable(),
          dueOn: calendarDate,
          due: euroAmount,
          paid: euroAmount,
          status: z.enum(['paid', 'partly-paid', 'unpaid', 'late']),
          paymentReference: z
            .string()
            .meta({ description: 'La référence structurée (ISO 11649) à indiquer au virement' }),
        }),
      ),
      distributions: z.array(
        z.strictObject({
          number: z.number().int(),
          noticeDocumentId: z.uuid().nullable(),
          bookedOn: calendarDate,
          repayment: euroAmount,
          total: euroAmount,
        }),
      ),
      /** What it owes at once on a later closing's subscriptions: catch-up, equalisation interest, premium. */
      subscriptions: z.array(
        z.strictObject({
          closingNumber: z.number().int(),
          closedOn: calendarDate,
          classCode: z.string(),
          units: z.number().int(),
          owed: euroAmount,
          catchUp: euroAmount,
          equalisationInterest: euroAmount,
          premium: euroAmount,
          paid: euroAmount,
          paymentReference: z.string(),
        }),
      ),
      /** Its shares of the equalisation interest later subscribers paid, and where each payment to it stands. */
      equalisationShares: z.array(
        z.strictObject({
          closingNumber: z.number().int(),
          closedOn: calendarDate,
          amount: euroAmount,
          status: z.string(),
        }),
      ),
    }),
  ),
});

// The fund's registers, as its team lists them (src/fpci/registers.ts).
export const closingsAnswer = pageAnswer(
  'closings',
  z.strictObject({
    id: z.uuid(),
    number: z.number().int(),
    state: z.string(),
    openedOn: calendarDate,
    closedOn: calendarDate.nullable(),
    subscriptions: z.number().int(),
    commitment: euroAmount,
  }),
);
export const callsAnswer = pageAnswer(
  'calls',
  z.strictObject({
    id: z.uuid(),
    number: z.number().int(),
    state: z.string(),
    dueOn: calendarDate,
    issuedOn: calendarDate.nullable(),
    due: euroAmount,
    paid: euroAmount,
  }),
);
export const distributionsAnswer = pageAnswer(
  'distributions',
  z.strictObject({
    id: z.uuid(),
    number: z.number().int(),
    state: z.string(),
    classCodes: z.array(z.string()),
    amount: euroAmount,
    bookedOn: calendarDate.nullable(),
    auditorReportAwaited: z.boolean(),
  }),
);
export const latePayersQuery = z.strictObject({ asOf: isoDateSchema.optional() });
export const latePayersAnswer = z.strictObject({
  asOf: calendarDate,
  latePayers: z.array(
    z.strictObject({
      callId: z.uuid(),
      callNumber: z.number().int(),
      investorId: z.uuid(),
      investor: z.string(),
      dueOn: calendarDate,
      due: euroAmount,
      paid: euroAmount,
      outstanding: euroAmount,
      daysLate: z.number().int(),
      lateInterest: euroAmount,
    }),
  ),
});

export const expenseBody = z.strictObject({
  kind: z.enum(['management-fee', 'management-fee-offset', 'fund-expense', 'internal-chargeback']),
  amount: positiveAmountSchema,
  incurredOn: isoDateSchema,
  label: text(200).min(3, fpciMessages.expenseLabel),
  settlement: z.enum(['bank', 'payable']),
});
export const expenseAnswer = z.strictObject({
  entryId: z.number().int().meta({ description: 'L’écriture passée (journal OD)' }),
});
