import { z } from 'zod';
import { positiveAmountSchema } from '../money/schema';
import { sendBackTargets } from '../../workflows/application.machine';

export const committeeIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'Identifiant invalide (minuscules, chiffres et tirets).');
export const committeeParams = z.strictObject({ committeeId: committeeIdSchema });
export const sessionParams = z.strictObject({ sessionId: z.uuid('Identifiant de séance invalide.') });

/** A share between 0 and 1 written as a decimal string ("0.5", "0.6667"): never a float. */
const shareSchema = z.string().regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, 'Part entre 0 et 1, au plus 4 décimales (ex. "0.5").');

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
      context.addIssue({ code: 'custom', path: ['qualifiedShare'], message: 'Une majorité qualifiée dépasse la moitié (ex. "0.6667").' });
    }
    if (rules.decisionRule === 'majority' && rules.qualifiedShare !== null) {
      context.addIssue({ code: 'custom', path: ['qualifiedShare'], message: 'Seule une majorité qualifiée a un seuil.' });
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
    .refine((members) => new Set(members.map((member) => member.userId)).size === members.length, 'Chaque membre ne figure qu’une fois.')
    .refine((members) => members.filter((member) => member.chair).length <= 1, 'Une seule présidence.'),
});
export type NewCommittee = z.infer<typeof newCommitteeBody>;

const text = (max: number) => z.string().trim().min(3).max(max);

/** What the committee is asked to decide: the application's decision if the motion is adopted. */
export const motionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), amount: positiveAmountSchema, poolId: z.string().min(1).max(60).optional() }),
  z.strictObject({ decision: z.literal('decline'), feedback: text(5000) }),
  z.strictObject({ decision: z.literal('redirect'), to: text(200), feedback: text(5000) }),
  z.strictObject({ decision: z.literal('send-back'), to: z.enum(sendBackTargets), rework: text(5000) }),
], { error: () => 'Décision inconnue (approve, decline, redirect, send-back).' });
export type Motion = z.infer<typeof motionSchema>;

export const newSessionBody = z.strictObject({
  applicationId: z.uuid(),
  motion: motionSchema,
  deadline: z.iso.datetime({ offset: true, message: 'Échéance : date et heure ISO 8601 avec fuseau (ex. 2026-12-01T18:00:00+01:00).' }),
});

export const declarationBody = z
  .strictObject({ conflicted: z.boolean(), details: z.string().trim().min(3).max(2000).optional() })
  .refine((declaration) => !declaration.conflicted || declaration.details, { path: ['details'], message: 'Décrivez le conflit d’intérêts (il figurera au procès-verbal).' });

export const voteBody = z.strictObject({ choice: z.enum(['for', 'against', 'abstain'], { message: 'Vote : for, against ou abstain.' }), comment: z.string().trim().min(1).max(2000).optional() });

export const closeBody = z.strictObject({ reason: z.string().trim().min(3).max(2000).optional() });
