import { ledgerMessages } from './messages';
import { entryLabelLengthMax } from './entries';
import { z } from 'zod';
import { calendarDate, euroAmount, pageAnswer, timestamp } from '../http/answers';
import { positiveAmountSchema } from '../money/schema';
import { entryLinesMax } from './entries';
import { journalPageSizeMax } from './queries';

export const fundIdSchema = z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, 'Identifiant de fonds invalide.');
export const isoDateSchema = z.iso.date({ message: ledgerMessages.dateFormat });
export const accountCodeSchema = z
  .string()
  .regex(/^[1-8]\d{2}[0-9A-Z]{0,17}$/, 'Numéro de compte invalide (au moins trois chiffres, classe 1 à 8).');
const idSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const reasonSchema = z.string().trim().min(3, 'Motif trop court.').max(1000);

export const fundParams = z.strictObject({ fundId: fundIdSchema });
export const entryParams = z.strictObject({ fundId: fundIdSchema, entryId: idSchema });
export const closureParams = z.strictObject({ fundId: fundIdSchema, closureId: idSchema });
export const fecParams = z.strictObject({
  fundId: fundIdSchema,
  fiscalYear: z.coerce.number().int().min(2000).max(2999),
});

export const balancesQuery = z.strictObject({ date: isoDateSchema.optional() });

export const journalQuery = z.strictObject({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  journal: z
    .string()
    .regex(/^[A-Z]{2,6}$/)
    .optional(),
  account: accountCodeSchema.optional(),
  fiscalYear: z.coerce.number().int().min(2000).max(2999).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(journalPageSizeMax).default(50),
});

const manualLineSchema = z
  .strictObject({
    accountCode: accountCodeSchema,
    debit: positiveAmountSchema.optional(),
    credit: positiveAmountSchema.optional(),
    label: z.string().trim().min(1).max(entryLabelLengthMax).optional(),
  })
  .refine((line) => (line.debit === undefined) !== (line.credit === undefined), {
    message: ledgerMessages.debitOrCredit,
  });

export const manualEntryBody = z.strictObject({
  accountingDate: isoDateSchema,
  label: z.string().trim().min(1).max(entryLabelLengthMax),
  reason: reasonSchema,
  lines: z.array(manualLineSchema).min(2, 'Au moins deux lignes.').max(entryLinesMax),
});

export const reversalBody = z.strictObject({
  accountingDate: isoDateSchema.optional(),
  reason: reasonSchema,
});

export const closureYear = z.number().int().min(2000).max(2999);

export const closureBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('month'),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Mois attendu au format AAAA-MM.'),
    reason: reasonSchema,
  }),
  z.strictObject({ kind: z.literal('year'), fiscalYear: closureYear, reason: reasonSchema }),
]);

export const reopeningBody = z.strictObject({ reason: reasonSchema });

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const fundAnswer = z.strictObject({
  id: z.string(),
  kind: z.enum(['endowment', 'fpci', 'guarantee']),
  name: z.string(),
  siren: z.string().nullable(),
  fiscalYearStartMonth: z.number().int().min(1).max(12),
  accountingStandard: z.string(),
});
export const fundsAnswer = z.strictObject({ funds: z.array(fundAnswer) });
const accountBalanceAnswer = z.strictObject({
  code: z.string(),
  label: z.string(),
  type: z.string(),
  mayGoNegative: z.boolean(),
  debit: euroAmount,
  credit: euroAmount,
  balance: euroAmount.meta({ description: 'Sur le sens normal du compte : négatif est inhabituel' }),
});
export const accountsAnswer = z.strictObject({ accounts: z.array(accountBalanceAnswer) });
export const balancesAnswer = z.strictObject({
  date: calendarDate,
  accounts: z.array(accountBalanceAnswer),
  trialBalance: euroAmount,
});
export const entryAnswer = z.strictObject({
  id: z.number().int(),
  fundId: z.string(),
  journalCode: z.string(),
  accountingDate: calendarDate,
  fiscalYear: z.number().int().nullable(),
  entryNumber: z.number().int().nullable(),
  reference: z.string().nullable(),
  label: z.string(),
  reason: z.string().nullable(),
  sourceType: z.string().nullable(),
  sourceId: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  reversesEntryId: z.number().int().nullable(),
  reversedByEntryId: z.number().int().nullable(),
  isOpening: z.boolean(),
  createdBy: z.uuid().nullable(),
  createdAt: timestamp,
  postings: z.array(
    z.strictObject({
      accountCode: z.string(),
      accountLabel: z.string(),
      debit: euroAmount,
      credit: euroAmount,
      label: z.string().nullable(),
    }),
  ),
});
export const entriesAnswer = pageAnswer('entries', entryAnswer);
const closureAnswer = z.strictObject({
  id: z.number().int(),
  fundId: z.string(),
  kind: z.enum(['month', 'year']),
  fiscalYear: z.number().int(),
  startsOn: calendarDate,
  endsOn: calendarDate,
  reason: z.string(),
  closedBy: z.uuid().nullable(),
  closedAt: timestamp,
  reopenedBy: z.uuid().nullable(),
  reopenedAt: timestamp.nullable(),
  reopenReason: z.string().nullable(),
});
export const closuresAnswer = z.strictObject({ closures: z.array(closureAnswer) });
export const closureMadeAnswer = z.strictObject({
  closure: closureAnswer,
  openingEntry: entryAnswer
    .nullable()
    .optional()
    .meta({ description: 'À la clôture d’un exercice : l’écriture d’à-nouveaux qui ouvre le suivant' }),
});
export const reopenedAnswer = z.strictObject({ closure: closureAnswer });
export const verificationAnswer = z.strictObject({
  ok: z.boolean(),
  checkedAt: timestamp,
  funds: z.array(
    z.strictObject({
      fundId: z.string(),
      entries: z.number().int(),
      postings: z.number().int(),
      trialBalance: euroAmount,
    }),
  ),
  problems: z.array(z.strictObject({ check: z.string(), fundId: z.string(), detail: z.string() })),
});
