import { z } from 'zod';
import { pageQuery } from '../db/pagination';
import { calendarDate, documentAnswer, euroAmount, historyAnswer, pageAnswer, timestamp } from '../http/answers';
import { amountSchema, positiveAmountSchema } from '../money/schema';
import { organisationAnswer, organisationIdSchema } from '../organisations/schema';
import { grantAnswer, paymentStatuses, trancheAnswer } from '../endowment/schema';
import { projectTypes } from '../endowment/grants';
import { proposalSteps } from '../../workflows/application.machine';
import { stateLabels } from './notices';
import { pathwayMessages } from './messages';

const nonNegativeAmountSchema = amountSchema.refine((amountMinor) => amountMinor >= 0n, {
  message: pathwayMessages.amountNotNegative,
});

export const applicationParams = z.strictObject({ applicationId: z.uuid('Identifiant de dossier invalide.') });
export const stepParams = applicationParams.extend({
  step: z.enum(proposalSteps, { message: pathwayMessages.proposalStep(proposalSteps.join(', ')) }),
});

/** A first contact: a message and how to reach the person, nothing more. */
export const firstContactBody = z.strictObject({
  organisationId: organisationIdSchema,
  message: z.string().trim().min(1).max(5000),
  contactName: z.string().trim().min(1).max(200),
  contactEmail: z.email('Adresse e-mail invalide.'),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .-]{6,20}$/, 'Numéro de téléphone invalide.')
    .optional(),
});

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'Empreinte SHA-256 attendue (64 caractères hexadécimaux).');
const reason = z.string().trim().min(3).max(2000).optional();

/** Each step of the pathway that a person takes through the API, with what it carries (committee decisions come from votes). */
export const transitionBody = z.discriminatedUnion(
  'event',
  [
    z.strictObject({ event: z.literal('ASSIGN_REFERENT'), referentId: z.uuid(), reason }),
    z.strictObject({ event: z.literal('INVITE_PRE_PROPOSAL'), reason }),
    z.strictObject({
      event: z.literal('SUBMIT_PRE_PROPOSAL'),
      need: z.string().trim().min(10).max(2000),
      project: z.string().trim().min(10).max(2000),
      amountFrom: positiveAmountSchema,
      amountTo: positiveAmountSchema,
      reason,
    }),
    // Answers are checked by the step's own schema (src/pathway/steps.ts), merged with what is already known.
    z.strictObject({
      event: z.literal('COMPLETE_STEP'),
      step: z.enum(proposalSteps),
      answers: z.record(z.string().max(60), z.unknown()).default({}),
      reason,
    }),
    z.strictObject({ event: z.literal('SUBMIT_PROPOSAL'), reason }),
    z.strictObject({ event: z.literal('GIVE_OPINION'), opinion: z.string().trim().min(10).max(5000), reason }),
    z.strictObject({
      event: z.literal('SEND_TO_COMMITTEE'),
      committeeId: z.string().min(1).max(60).optional(),
      reason,
    }),
    z.strictObject({ event: z.literal('REOPEN'), reason }),
    // Accepting names the document accepted, so nobody accepts a version they did not read.
    z.strictObject({ event: z.literal('ACCEPT_AGREEMENT'), documentSha256: sha256Schema, reason }),
    z.strictObject({ event: z.literal('COUNTERSIGN'), documentSha256: sha256Schema, reason }),
    z.strictObject({ event: z.literal('CLOSE'), reason }),
    z.strictObject({ event: z.literal('WITHDRAW'), reason }),
  ],
  { error: () => 'Étape inconnue.' },
);

export type TransitionBody = z.infer<typeof transitionBody>;

/** One exchange of the dialogue: a meeting, a call, a note, a message. */
export const exchangeBody = z.strictObject({
  kind: z.enum(['meeting', 'call', 'note', 'message']),
  occurredOn: z.iso.date({ message: pathwayMessages.dateFormat }),
  summary: z.string().trim().min(1).max(10000),
  // Internal notes stay within the team (referent, admins, committee); the applicant never sees them.
  internal: z.boolean().default(false),
});
export type ExchangeBody = z.infer<typeof exchangeBody>;

export const reportBody = z.strictObject({
  summary: z.string().trim().min(10).max(20000),
  spent: nonNegativeAmountSchema,
});
export const reportParams = z.strictObject({ reportId: z.uuid() });
export const reportStepBody = z.discriminatedUnion(
  'event',
  [
    z.strictObject({ event: z.literal('ACCEPT'), feedback: z.string().trim().min(3).max(5000).optional() }),
    z.strictObject({ event: z.literal('REQUEST_CHANGES'), feedback: z.string().trim().min(3).max(5000) }),
    z.strictObject({ event: z.literal('RESUBMIT'), summary: z.string().trim().min(10).max(20000).optional() }),
  ],
  { error: () => 'Étape : ACCEPT, REQUEST_CHANGES ou RESUBMIT.' },
);

export const applicationListQuery = z.strictObject({
  state: z
    .string()
    .regex(/^[a-zA-Z.]{2,60}$/, 'Étape inconnue.')
    .optional(),
  organisationId: z.string().min(1).max(61).optional(),
  referentId: z.uuid().optional(),
  committeeId: z.string().min(1).max(60).optional(),
  fundId: z.string().min(1).max(40).optional(),
  poolId: z.string().min(1).max(60).optional(),
  ...pageQuery,
});

// Answers (src/http/answers.ts): what each route gives back, checked in tests.
const applicationStates = Object.keys(stateLabels) as [string, ...string[]];
const optionalText = z.string().nullable();
const contextAnswer = z.strictObject({
  organisationId: z.string(),
  referentId: z.uuid().nullable(),
  committeeId: z.string().nullable().optional(),
  poolId: z.string().nullable(),
  completedSteps: z.array(z.enum(proposalSteps)),
  referentOpinion: optionalText,
  feedback: optionalText,
  redirectedTo: optionalText,
  redirectedToFileId: z.uuid().nullable().optional(),
  redirectedFromFileId: z.uuid().nullable().optional(),
  rework: optionalText,
  agreementSha256: optionalText,
  acceptedBy: z.uuid().nullable(),
  acceptedAt: timestamp.nullable(),
  countersignedBy: z.uuid().nullable(),
  countersignedAt: timestamp.nullable(),
  ticketMin: euroAmount.nullable(),
  ticketMax: euroAmount.nullable(),
  approvedAmount: euroAmount.nullable(),
});
const projectAnswer = z.strictObject({
  title: z.string(),
  projectType: z.enum(projectTypes),
  summary: z.string(),
  territory: z.string(),
  startsOn: calendarDate,
  endsOn: calendarDate,
});
const budgetAnswer = z.strictObject({
  totalBudget: euroAmount,
  requestedAmount: euroAmount,
  otherFunding: z.array(z.strictObject({ funder: z.string(), amount: euroAmount, obtained: z.boolean() })),
});
const impactAnswer = z.strictObject({
  beneficiaries: z.string(),
  ecologicalImpact: z.string(),
  socialImpact: z.string(),
  indicators: z.array(z.string()),
});
const exchangeAnswer = z.strictObject({
  id: z.uuid(),
  kind: exchangeBody.shape.kind,
  occurredOn: calendarDate,
  summary: z.string(),
  internal: z.boolean(),
  author: z.string(),
  createdAt: timestamp,
});
const reportAnswer = z.strictObject({
  id: z.uuid(),
  summary: z.string(),
  spent: euroAmount,
  state: z.enum(['submitted', 'changesRequested', 'accepted']),
  feedback: optionalText,
});
export const applicationAnswer = z.strictObject({
  id: z.uuid(),
  organisationId: z.string(),
  fundId: z.string(),
  state: z.enum(applicationStates),
  context: contextAnswer,
  preProposal: z
    .strictObject({ need: z.string(), project: z.string(), amountFrom: euroAmount, amountTo: euroAmount })
    .nullable(),
  proposal: z.strictObject({ project: projectAnswer, budget: budgetAnswer, impact: impactAnswer }).partial(),
  allowedEvents: z.array(z.string()).meta({ description: 'Ce que cette personne peut faire maintenant' }),
  history: historyAnswer,
  earlierFiles: z
    .array(
      z.strictObject({
        id: z.uuid(),
        fundId: z.string(),
        fundName: z.string(),
        state: z.enum(applicationStates),
        history: historyAnswer,
      }),
    )
    .meta({
      description: 'Les dossiers que celui-ci continue (réorientés vers ce fonds), du plus ancien au plus récent',
    }),
  documents: z.array(documentAnswer),
  exchanges: z.array(exchangeAnswer),
  grant: grantAnswer.nullable(),
  reports: z.array(reportAnswer.extend({ history: historyAnswer })),
});
const applicationListItem = z.strictObject({
  id: z.uuid(),
  organisation: z.strictObject({ id: z.string(), name: z.string() }),
  fundId: z.string(),
  committeeId: z.string().nullable(),
  poolId: z.string().nullable(),
  state: z.enum(applicationStates),
  stateLabel: z.string(),
  referentId: z.uuid().nullable(),
  amountAsked: z.strictObject({ from: euroAmount, to: euroAmount }).nullable(),
  approvedAmount: euroAmount.nullable(),
  redirectedFromId: z.uuid().nullable().meta({ description: 'Le dossier d’un autre fonds que celui-ci continue' }),
  openedAt: timestamp,
  updatedAt: timestamp,
});
export const applicationsAnswer = pageAnswer('files', applicationListItem);
const trajectoryTranche = trancheAnswer.extend({
  payment: z.strictObject({ requestId: z.uuid(), status: z.enum(paymentStatuses) }).nullable(),
});
export const trajectoryAnswer = z.strictObject({
  organisation: z.strictObject({ id: z.string(), name: z.string() }),
  totalFiles: z.number().int(),
  files: z.array(
    applicationListItem.extend({
      grant: grantAnswer.extend({ tranches: z.array(trajectoryTranche) }).nullable(),
      reports: z.array(reportAnswer),
      history: historyAnswer,
    }),
  ),
});
const suggestionsAnswer = z
  .record(
    z.string(),
    z.strictObject({ value: z.unknown(), fromApplicationId: z.uuid(), fromFileOpenedOn: calendarDate }),
  )
  .meta({ description: 'Ce qu’un dossier antérieur disait de la structure : à confirmer, jamais repris en silence' });
const stepAnswer = <Step extends string, Known extends z.ZodType>(step: Step, known: Known) =>
  z.strictObject({
    step: z.literal(step),
    mayAnswer: z.boolean().meta({ description: 'Si la personne peut remplir cette partie (les porteurs seuls)' }),
    completed: z.boolean(),
    known,
    missing: z.array(z.string()),
    suggestions: suggestionsAnswer,
  });
export const proposalStepAnswer = z.discriminatedUnion('step', [
  stepAnswer(
    'organisation',
    organisationAnswer.omit({ id: true, name: true, createdAt: true, updatedAt: true, missingForProposal: true }),
  ),
  stepAnswer('project', projectAnswer.partial()),
  stepAnswer('budget', budgetAnswer.partial()),
  stepAnswer('impact', impactAnswer.partial()),
]);
export const reportStateAnswer = z.strictObject({ state: reportAnswer.shape.state });
