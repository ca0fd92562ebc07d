import { z } from 'zod';
import { documentAnswer, euroAmount, historyAnswer, timestamp } from '../http/answers';
import { fundIdSchema } from '../ledger/schema';
import { positiveAmountSchema } from '../money/schema';
import { sendBackTargets } from '../../workflows/application.machine';
import { committeesMessages } from './messages';

export const committeeIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'Identifiant invalide (minuscules, chiffres et tirets).');
export const committeeParams = z.strictObject({ committeeId: committeeIdSchema });
export const memberParams = z.strictObject({
  committeeId: committeeIdSchema,
  userId: z.uuid('Identifiant de compte invalide.'),
});
export const seatBody = z.strictObject({ chair: z.boolean().default(false) });
export const sessionParams = z.strictObject({ sessionId: z.uuid('Identifiant de séance invalide.') });

/** A share between 0 and 1 written as a decimal string ("0.5", "0.6667"): never a float. */
const shareSchema = z
  .string()
  .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'Part entre 0 et 1, au plus 4 décimales (ex. "0.5").');

export const rulesSchema = z
  .strictObject({
    quorumShare: shareSchema.refine((value) => Number(value) > 0, 'Le quorum est une part non nulle des membres.'),
    decisionRule: z.enum(['majority', 'qualified']),
    qualifiedShare: shareSchema.nullable().default(null),
    abstentionsCount: z.boolean(),
    chairCastingVote: z.boolean(),
  })
  .superRefine((rules, context) => {
    if (rules.decisionRule === 'qualified' && (rules.qualifiedShare === null || Number(rules.qualifiedShare) <= 0.5)) {
      context.addIssue({
        code: 'custom',
        path: ['qualifiedShare'],
        message: committeesMessages.qualifiedMajorityAboveHalf,
      });
    }
    if (rules.decisionRule === 'majority' && rules.qualifiedShare !== null) {
      context.addIssue({
        code: 'custom',
        path: ['qualifiedShare'],
        message: committeesMessages.thresholdOnlyQualified,
      });
    }
  });

export const newCommitteeBody = z.strictObject({
  id: committeeIdSchema,
  name: z.string().trim().min(1).max(200),
  fundId: z.string().min(1).max(40),
  rules: rulesSchema,
  members: z
    .array(z.strictObject({ userId: z.uuid(), chair: z.boolean().default(false) }))
    .min(1, 'Un comité a au moins un membre.')
    .max(50)
    .refine(
      (members) => new Set(members.map((member) => member.userId)).size === members.length,
      'Chaque membre ne figure qu’une fois.',
    )
    .refine((members) => members.filter((member) => member.chair).length <= 1, 'Une seule présidence.'),
});
export type NewCommittee = z.infer<typeof newCommitteeBody>;

const text = (max: number) => z.string().trim().min(3).max(max);

/** What the committee is asked to decide: the application's decision if the motion is adopted. */
export const motionSchema = z.discriminatedUnion(
  'decision',
  [
    z.strictObject({
      decision: z.literal('approve'),
      amount: positiveAmountSchema,
      poolId: z.string().min(1).max(60).optional(),
    }),
    z.strictObject({ decision: z.literal('decline'), feedback: text(5000) }),
    z
      .strictObject({
        decision: z.literal('redirect'),
        /** Another funder, by name. */
        to: text(200).optional(),
        /** One of our vehicles: the project continues there in a file of its own. */
        fundId: fundIdSchema.optional(),
        feedback: text(5000),
      })
      .refine((motion) => motion.to !== undefined || motion.fundId !== undefined, {
        path: ['to'],
        message: committeesMessages.redirectWhere,
      }),
    z.strictObject({ decision: z.literal('send-back'), to: z.enum(sendBackTargets), rework: text(5000) }),
    z.strictObject({ decision: z.literal('invest'), amount: positiveAmountSchema }),
  ],
  { error: () => 'Décision inconnue (approve, decline, redirect, send-back, invest).' },
);
export type Motion = z.infer<typeof motionSchema>;

export const newSessionBody = z
  .strictObject({
    /** A file at this committee… */
    applicationId: z.uuid().optional(),
    /** …or an investment of the committee's fund, submitted to it. */
    investmentId: z.uuid().optional(),
    motion: motionSchema,
    deadline: z.iso.datetime({
      offset: true,
      message: committeesMessages.deadlineFormat,
    }),
  })
  .refine((body) => (body.applicationId === undefined) !== (body.investmentId === undefined), {
    path: ['applicationId'],
    message: committeesMessages.votedOnOne,
  });

export const declarationBody = z
  .strictObject({ conflicted: z.boolean(), details: z.string().trim().min(3).max(2000).optional() })
  .refine((declaration) => !declaration.conflicted || declaration.details, {
    path: ['details'],
    message: committeesMessages.describeConflict,
  });

export const voteBody = z.strictObject({
  choice: z.enum(['for', 'against', 'abstain'], { message: committeesMessages.voteChoice }),
  comment: z.string().trim().min(1).max(2000).optional(),
});

export const closeBody = z.strictObject({ reason: z.string().trim().min(3).max(2000).optional() });

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const share = z.string().meta({ description: 'Part entre 0 et 1, en décimal ("0.5000")' });
const rulesAnswer = z.strictObject({
  quorumShare: share,
  decisionRule: z.enum(['majority', 'qualified']),
  qualifiedShare: share.nullable(),
  abstentionsCount: z.boolean(),
  chairCastingVote: z.boolean(),
});
const outcomeAnswer = z.enum(['adopted', 'rejected', 'no-quorum', 'adopted-not-fundable', 'withdrawn']);
export const committeeAnswer = z.strictObject({
  id: z.string(),
  name: z.string(),
  fundId: z.string(),
  rules: rulesAnswer,
  members: z.array(z.strictObject({ userId: z.uuid(), name: z.string(), chair: z.boolean() })),
  sessions: z.array(
    z.strictObject({
      id: z.uuid(),
      reference: z.string(),
      applicationId: z.uuid(),
      motion: z.enum(['approve', 'decline', 'redirect', 'send-back', 'invest']),
      deadline: timestamp,
      openedAt: timestamp,
      closedAt: timestamp.nullable(),
      outcome: outcomeAnswer.nullable(),
    }),
  ),
});
export const sessionAnswer = z.strictObject({
  id: z.uuid(),
  reference: z.string(),
  committeeId: z.string(),
  applicationId: z.uuid(),
  investmentId: z.uuid().nullable(),
  motion: z.strictObject({
    decision: z.enum(['approve', 'decline', 'redirect', 'send-back', 'invest']),
    amount: euroAmount.nullable(),
    poolId: z.string().optional(),
    feedback: z.string().optional(),
    to: z.string().optional(),
    fundId: z.string().optional(),
    rework: z.string().optional(),
    text: z.string(),
  }),
  rules: rulesAnswer.extend({
    quorumShare: z.union([share, z.number()]),
    qualifiedShare: z.union([share, z.number()]).nullable(),
  }),
  deadline: timestamp,
  openedAt: timestamp,
  closedAt: timestamp.nullable(),
  state: z.string(),
  outcome: outcomeAnswer.nullable(),
  outcomeReason: z.string().nullable(),
  tally: z
    .strictObject({
      outcome: z.enum(['adopted', 'rejected', 'no-quorum']),
      eligible: z.number().int(),
      participating: z.number().int(),
      counts: z.record(z.string(), z.number().int()),
      quorumReached: z.boolean(),
      forShare: z.string().nullable(),
      tieBrokenByChair: z.boolean(),
      explanation: z.string(),
    })
    .nullable(),
  yourRelations: z.array(z.string()),
  members: z.array(
    z.strictObject({
      userId: z.uuid(),
      name: z.string(),
      chair: z.boolean(),
      declared: z.boolean(),
      recused: z.boolean(),
      voted: z.boolean(),
      choice: z.enum(['for', 'against', 'abstain']).nullable().optional(),
      comment: z.string().nullable().optional(),
    }),
  ),
  history: historyAnswer,
  documents: z.array(documentAnswer),
});
