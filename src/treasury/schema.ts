import { z } from 'zod';
import { pageQuery } from '../db/pagination';
import { isValidIban, normaliseIban } from '../identifiers/bank-account';
import { fundParams } from '../ledger/schema';
import { amountSchema, positiveAmountSchema } from '../money/schema';
import { calendarDate, euroAmount, historyAnswer, pageAnswer, timestamp } from '../http/answers';

// What each treasury route accepts.
/** Payments in one batch: one pain.001 file the bank takes in one upload. */
export const batchPaymentsMax = 5000;
export const disbursementParams = z.strictObject({ disbursementId: z.uuid() });
export const batchParams = z.strictObject({ batchId: z.uuid() });
export const statementParams = fundParams.extend({ statementId: z.uuid() });
export const matchParams = z.strictObject({ matchId: z.uuid() });
const reasonSchema = z.string().trim().min(3).max(2000);
export const disbursementsQuery = z.strictObject({
  state: z
    .string()
    .regex(/^[a-z]{3,20}$/)
    .optional(),
  organisationId: z.string().min(1).max(61).optional(),
  batchId: z.uuid().optional(),
  ...pageQuery,
});
export const batchesQuery = z.strictObject(pageQuery);
export const disbursementRequestBody = z.strictObject({ requestId: z.uuid(), amount: positiveAmountSchema.optional() });
export const disbursementStepBody = z.discriminatedUnion(
  'event',
  [
    z.strictObject({ event: z.literal('APPROVE'), reason: reasonSchema.optional() }),
    z.strictObject({ event: z.literal('REJECT'), reason: reasonSchema }),
    z.strictObject({ event: z.literal('CANCEL'), reason: reasonSchema }),
    z.strictObject({ event: z.literal('SETTLE'), reason: reasonSchema.optional() }),
    z.strictObject({
      event: z.literal('RETURN'),
      reasonCode: z.string().regex(/^[A-Z0-9]{4}$/, 'Code motif ISO à 4 caractères (AC01, AC04, MS03…).'),
      reason: reasonSchema.optional(),
    }),
    z.strictObject({ event: z.literal('REISSUE'), reason: reasonSchema.optional() }),
  ],
  { error: () => 'Étape : APPROVE, REJECT, CANCEL, SETTLE, RETURN ou REISSUE.' },
);
export const newBatchBody = z.strictObject({
  disbursementIds: z.array(z.uuid()).min(1).max(batchPaymentsMax),
  executionDate: z.iso.date(),
});
export const statementImportQuery = z.strictObject({
  statementId: z.string().trim().min(1).max(100).optional(),
  opening: amountSchema.optional(),
  openingDate: z.iso.date().optional(),
});
export const manualMatchBody = z.strictObject({
  lineIds: z.array(z.uuid()).min(1).max(500),
  items: z
    .array(
      z.discriminatedUnion(
        'type',
        [
          z.strictObject({ type: z.literal('disbursement'), id: z.uuid(), action: z.enum(['settle', 'return']) }),
          z.strictObject({ type: z.literal('expected-receipt'), id: z.uuid() }),
          z.strictObject({
            type: z.literal('capital-call'),
            id: z.string().regex(/^[0-9a-f-]{36}\.[0-9a-f-]{36}$/, 'Versement attendu : "<appel>.<porteur>".'),
          }),
          z.strictObject({ type: z.literal('subscription'), id: z.uuid() }),
          z.strictObject({ type: z.literal('entry'), id: z.number().int().positive() }),
          z.strictObject({ type: z.literal('donor'), id: z.uuid() }),
          z.strictObject({
            type: z.literal('account'),
            accountCode: z.string().regex(/^[1-8][0-9]{2}[0-9A-Z]{0,17}$/, 'Numéro de compte du plan comptable.'),
          }),
        ],
        {
          error: () => 'Élément : disbursement, expected-receipt, capital-call, subscription, entry, donor ou account.',
        },
      ),
    )
    .min(1)
    .max(500),
  reason: reasonSchema,
});
export const matchDecisionBody = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({ decision: z.literal('confirm'), reason: reasonSchema.optional() }),
    z.strictObject({ decision: z.literal('reject'), reason: reasonSchema.optional() }),
    z.strictObject({ decision: z.literal('undo'), reason: reasonSchema }),
  ],
  { error: () => 'Décision : confirm, reject ou undo (undo demande un motif).' },
);
export const expectedReceiptBody = z.strictObject({
  donorId: z.uuid(),
  amount: positiveAmountSchema,
  expectedOn: z.iso.date(),
  label: z.string().trim().min(1).max(140),
  counterpartyIban: z
    .string()
    .refine(isValidIban, 'IBAN invalide (clé de contrôle ISO 13616).')
    .transform(normaliseIban)
    .optional(),
});

// Answers (src/http/answers.ts): what each treasury route gives back, checked in tests.
const disbursementStates = z.enum([
  'requested',
  'approved',
  'batched',
  'sent',
  'settled',
  'returned',
  'rejected',
  'cancelled',
]);
const disbursementListItem = z.strictObject({
  id: z.uuid(),
  requestId: z.uuid(),
  organisationId: z.string().nullable(),
  investorId: z.uuid().nullable(),
  creditor: z.string(),
  amount: euroAmount,
  endToEndId: z.string(),
  batchId: z.uuid().nullable(),
  state: disbursementStates,
  approvals: z.number().int(),
  approvalsNeeded: z.number().int(),
  requestedAt: timestamp,
});
export const disbursementsAnswer = pageAnswer('disbursements', disbursementListItem);
export const disbursementAnswer = z.strictObject({
  id: z.uuid(),
  requestId: z.uuid(),
  amount: euroAmount,
  creditor: z.strictObject({ name: z.string(), iban: z.string(), bic: z.string().nullable() }),
  remittance: z.string(),
  endToEndId: z.string(),
  batchId: z.uuid().nullable(),
  state: disbursementStates,
  approvals: z.array(z.uuid()).meta({ description: 'Les trésoriers qui ont approuvé' }),
  approvalsNeeded: z.number().int(),
  history: historyAnswer,
});
const batchListItem = z.strictObject({
  id: z.uuid(),
  fundId: z.string(),
  messageId: z.string(),
  executionDate: calendarDate,
  state: z.enum(['prepared', 'sent', 'paid']),
  payments: z.number().int(),
  total: euroAmount,
  createdAt: timestamp,
});
export const batchesAnswer = pageAnswer('batches', batchListItem);
export const createdBatchAnswer = z.strictObject({ batchId: z.uuid() });

const balanceFaceToBooks = z.strictObject({
  date: calendarDate,
  bank: euroAmount,
  books: euroAmount,
  difference: euroAmount,
});
export const expectedReceiptAnswer = z.strictObject({
  id: z.uuid(),
  donorId: z.uuid(),
  amount: euroAmount,
  structuredReference: z.string().meta({ description: 'Référence structurée ISO 11649 (RF…) à donner au donateur' }),
  counterpartyIban: z.string().nullable(),
  expectedOn: calendarDate,
  label: z.string(),
  receivedByMatch: z.uuid().nullable(),
});
export const expectedReceiptsAnswer = z.array(expectedReceiptAnswer);
export const statementAnswer = z.strictObject({
  id: z.uuid(),
  format: z.string(),
  accountIban: z.string(),
  bankStatementId: z.string(),
  page: z.number().int(),
  sequenceNumber: z.string().nullable(),
  doesNotAddUpBy: euroAmount
    .nullable()
    .meta({ description: 'Ouverture + mouvements − clôture quand le relevé ne s’équilibre pas ; null sinon' }),
  opening: balanceFaceToBooks,
  closing: balanceFaceToBooks,
  explanation: z.strictObject({
    openingGap: euroAmount,
    bankNotInBooks: z.strictObject({
      total: euroAmount,
      lines: z.array(
        z.strictObject({
          id: z.uuid(),
          statement: z.string(),
          bookingDate: calendarDate,
          amount: euroAmount,
          text: z.string().nullable(),
        }),
      ),
    }),
    booksNotInBank: z.strictObject({
      total: euroAmount,
      entries: z.array(
        z.strictObject({
          entryId: z.number().int(),
          reference: z.string(),
          date: calendarDate,
          label: z.string(),
          amount: euroAmount,
        }),
      ),
    }),
    unexplained: euroAmount,
    awaitedReceipts: expectedReceiptsAnswer,
  }),
  unmatchedLines: z.array(z.uuid()),
  overdueTransfers: z.array(
    z.strictObject({
      disbursementId: z.uuid(),
      endToEndId: z.string(),
      amount: euroAmount,
      creditor: z.string(),
      executionDate: calendarDate,
    }),
  ),
  lines: z.array(
    z.strictObject({
      id: z.uuid(),
      matched: z.boolean(),
      entry: z.number().int(),
      detail: z.number().int(),
      amount: euroAmount,
      bookingDate: calendarDate,
      valueDate: calendarDate.nullable(),
      endToEndId: z.string().nullable(),
      structuredReference: z.string().nullable(),
      counterparty: z.strictObject({ name: z.string().nullable(), iban: z.string().nullable() }),
      remittance: z.string().nullable(),
      returnReason: z.string().nullable(),
      batchBooking: z.boolean(),
    }),
  ),
});
export const importedStatementAnswer = statementAnswer.extend({
  statementIds: z.array(z.uuid()).meta({ description: 'Tous les relevés du fichier, celui-ci compris' }),
  otherAccounts: z
    .array(z.strictObject({ account: z.string(), statementId: z.string() }))
    .meta({ description: 'Les relevés d’autres comptes, laissés de côté' }),
});
export const statementsAnswer = z.array(
  z.strictObject({
    id: z.uuid(),
    bankStatementId: z.string(),
    page: z.number().int(),
    doesNotAddUpBy: euroAmount.nullable(),
    format: z.string(),
    accountIban: z.string(),
    openingDate: calendarDate,
    closingDate: calendarDate,
    opening: euroAmount,
    closing: euroAmount,
    lines: z.number().int(),
    unmatchedLines: z.number().int(),
  }),
);
const matchAnswer = z.strictObject({
  id: z.uuid(),
  method: z.enum([
    'end-to-end',
    'structured-reference',
    'instalments',
    'amount-counterparty-date',
    'batch-booking',
    'amount-date',
    'manual',
  ]),
  reason: z.string(),
  confidence: z
    .string()
    .regex(/^[01](\.\d+)?$/)
    .meta({ description: 'Confiance de 0 à 1' }),
  status: z.enum(['proposed', 'confirmed', 'rejected', 'undone']),
  proposedBy: z.uuid().nullable().meta({ description: 'null : proposé par le rapprochement automatique' }),
  decidedBy: z.uuid().nullable(),
  decidedAt: timestamp.nullable(),
  lines: z.array(
    z.strictObject({ id: z.uuid(), entry: z.number().int(), detail: z.number().int(), amount: euroAmount }),
  ),
  items: z.array(
    z.strictObject({
      type: z.enum(['disbursement', 'expected-receipt', 'capital-call', 'subscription', 'entry', 'donor', 'account']),
      id: z.string(),
      action: z.enum(['settle', 'return', 'receive', 'point', 'book']),
      amount: euroAmount,
      entryId: z.number().int().nullable(),
    }),
  ),
});
export const matchesAnswer = z.array(matchAnswer);
export const proposedMatchesAnswer = z.strictObject({
  proposed: z.number().int().meta({ description: 'Rapprochements proposés par cet appel' }),
  matches: matchesAnswer,
});
export const manualMatchAnswer = z.strictObject({ matchId: z.uuid(), history: historyAnswer });
export const matchHistoryAnswer = historyAnswer;
