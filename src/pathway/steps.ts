import { z } from 'zod';
import type { Transaction } from '../db/database';
import { ValidationError, zodIssues } from '../errors';
import { euros, minorUnits, parseApiAmount, toApiAmount } from '../money';
import { amountSchema } from '../money/schema';
import { organisationPatchBody } from '../organisations/schema';
import { fieldsNeededForProposal, getOrganisation, missingFields, updateOrganisation } from '../organisations/service';
import { projectTypes } from '../endowment/grants';
import type { ProposalStep } from '../../workflows/application.machine';
import { todayInParis } from '../time';
import type { ApplicationRow } from './access';
import { pathwayMessages } from './messages';

/**
 * The full proposal, asked for step by step. Each step has its own schema and
 * is checked on what is already known merged with what the person sends, so a
 * step only asks for what is missing: the organisation's profile and this
 * file's pre-proposal pre-fill it. An earlier file's answers about the
 * organisation itself (who it serves, the indicators it follows) are offered as
 * suggestions saying where they come from, for the applicant to confirm — never
 * an earlier project's title, dates, budget or impacts taken silently (only a
 * file continuing a redirected one, the same project, is offered all of them).
 */
const text = (max: number) => z.string().trim().min(1).max(max);
const minorOf = (apiAmount: string) => minorUnits(parseApiAmount(apiAmount));
const amount = amountSchema.transform((amountMinor) => toApiAmount(euros(amountMinor)));

export const stepSchemas = {
  project: z
    .strictObject({
      title: text(200),
      projectType: z.enum(projectTypes, { message: pathwayMessages.projectType(projectTypes.join(', ')) }),
      summary: text(5000),
      territory: text(200),
      startsOn: z.iso.date(),
      endsOn: z.iso.date(),
    })
    .refine((project) => project.endsOn > project.startsOn, {
      path: ['endsOn'],
      message: pathwayMessages.projectEndsBeforeStart,
    }),
  budget: z
    .strictObject({
      totalBudget: amount,
      requestedAmount: amount,
      otherFunding: z.array(z.strictObject({ funder: text(200), amount, obtained: z.boolean() })).max(20),
    })
    .refine((budget) => minorOf(budget.requestedAmount) <= minorOf(budget.totalBudget), {
      path: ['requestedAmount'],
      message: pathwayMessages.askedAboveBudget,
    }),
  impact: z.strictObject({
    beneficiaries: text(2000),
    ecologicalImpact: text(5000),
    socialImpact: text(5000),
    indicators: z.array(text(200)).min(1).max(20),
  }),
} as const;

type Answers = Record<string, unknown>;

/** Answers of an earlier file that describe the organisation rather than that project: offered again, to be confirmed. */
const carriedOverFields: Record<Exclude<ProposalStep, 'organisation'>, readonly string[]> = {
  project: [],
  budget: [],
  impact: ['beneficiaries', 'indicators'],
};

export type Suggestions = Record<string, { value: unknown; fromApplicationId: string; fromFileOpenedOn: string }>;

/**
 * What an earlier file of the organisation said that may hold for this one too,
 * with the file it comes from. A file continuing a redirected one is the same
 * project: every answer of that file is offered, still to be confirmed.
 */
export async function suggestedAnswers(
  trx: Transaction,
  row: ApplicationRow,
  step: ProposalStep,
  known: Answers,
): Promise<Suggestions> {
  if (step === 'organisation') return {};
  const answered = () => trx('applications').whereRaw('proposal \\? ?', [step]).first('id', 'proposal', 'created_at');
  const continued = row.redirected_from_id ? await answered().where('id', row.redirected_from_id) : undefined;
  const earlier =
    continued ??
    (await answered()
      .where('organisation_id', row.organisation_id)
      .whereNot('id', row.id)
      .orderBy('created_at', 'desc'));
  if (!earlier) return {};
  const answers = earlier.proposal[step] as Answers;
  const fields = continued ? Object.keys(answers) : carriedOverFields[step];
  return Object.fromEntries(
    fields
      .filter((field) => answers[field] !== undefined && known[field] === undefined)
      .map((field) => [
        field,
        { value: answers[field], fromApplicationId: earlier.id, fromFileOpenedOn: todayInParis(earlier.created_at) },
      ]),
  );
}

/** What is known for a step before the person types anything: the profile, this file's pre-proposal and its own answers. */
export async function knownAnswers(trx: Transaction, row: ApplicationRow, step: ProposalStep): Promise<Answers> {
  if (step === 'organisation') {
    // The profile the step edits: its name and its record's own fields are not answers.
    const {
      name: _name,
      id: _id,
      createdAt: _createdAt,
      updatedAt: _updatedAt,
      ...profile
    } = await getOrganisation(trx, row.organisation_id);
    return profile;
  }
  const organisation = await getOrganisation(trx, row.organisation_id);
  const fromThisFile: Answers =
    step === 'project'
      ? {
          ...(row.pre_proposal?.project ? { summary: row.pre_proposal.project } : {}),
          ...(organisation.territory ? { territory: organisation.territory } : {}),
        }
      : step === 'budget' && row.pre_proposal?.amountToMinor
        ? { requestedAmount: toApiAmount(euros(BigInt(row.pre_proposal.amountToMinor))) }
        : {};
  return { ...fromThisFile, ...((row.proposal[step] as Answers | undefined) ?? {}) };
}

/** The fields a step still needs, given what is known. */
export function missingAnswers(step: ProposalStep, known: Answers): string[] {
  if (step === 'organisation') return missingFields(known as never, fieldsNeededForProposal);
  const parsed = stepSchemas[step].safeParse(known);
  // A field is missing when nothing is known of it; a field known but wrong is the schema's to say.
  return parsed.success
    ? []
    : [
        ...new Set(
          parsed.error.issues
            .filter((issue) => issue.path.length === 1 && known[String(issue.path[0])] === undefined)
            .map((issue) => String(issue.path[0])),
        ),
      ];
}

/**
 * Completes a step: the organisation step updates the profile itself (it is
 * reused by every later file); the others are stored on the file. Refuses,
 * naming each field, a step that would still miss something.
 */
export async function completeStep(
  trx: Transaction,
  row: ApplicationRow,
  step: ProposalStep,
  answers: Answers,
  actor: { userId: string },
): Promise<Answers | null> {
  const known = await knownAnswers(trx, row, step);
  if (step === 'organisation') {
    if (Object.keys(answers).length > 0) {
      const parsed = organisationPatchBody.safeParse(answers);
      if (!parsed.success) throw new ValidationError(zodIssues(parsed.error, ['answers']));
      await updateOrganisation(trx, row.organisation_id, parsed.data, actor);
    }
    const missing = missingFields(await getOrganisation(trx, row.organisation_id), fieldsNeededForProposal);
    if (missing.length > 0)
      throw new ValidationError(
        missing.map((field) => ({ path: ['answers', field], message: pathwayMessages.toFill })),
      );
    return null;
  }
  const parsed = stepSchemas[step].safeParse({ ...known, ...answers });
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error, ['answers']));
  return parsed.data;
}
