import type { Knex } from 'knex';
import { listFunds } from '../ledger/queries';
import type { Database, Transaction } from '../db/database';
import { pageOf, pageSizeMax } from '../db/pagination';
import { latestDocument, listDocuments, requestDocument } from '../documents/service';
import { commitGrant, grantOf, releaseTranches, ticketBounds, tranchePaymentsOf } from '../endowment/grants';
import { randomUUID } from 'node:crypto';
import { assert, ForbiddenError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { holdsRole, namesOf } from '../identity/service';
import { getOrganisation, organisationNames } from '../organisations/service';
import { euros, toApiAmount } from '../money';
import {
  allowedEventsFor,
  findWorkflow,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  workflowStates,
  type WorkflowActor,
  type WorkflowInstance,
} from '../workflow-runtime';
import {
  applicationWorkflow,
  proposalSteps,
  type ApplicationContext,
  type ApplicationEvent,
  type ApplicationInput,
  type ProposalStep,
} from '../../workflows/application.machine';
import { committeesOfFund } from '../committees/membership';
import { applicationSubject, relationsOnApplication, visibleApplication, type ApplicationRow } from './access';
import { announceToCommittee, announceTransition, stateLabels, stepLabels } from './notices';
import type { ExchangeBody, TransitionBody } from './schema';
import { reportsOf } from './reports';
import { completeStep, knownAnswers, missingAnswers, suggestedAnswers } from './steps';
import { pathwayMessages } from './messages';

/** Files of the pathway are for the endowment fund (the only fund that grants). */
async function endowmentFundId(trx: Transaction): Promise<string> {
  const fund = (await listFunds(trx)).find((candidate) => candidate.kind === 'endowment');
  if (!fund) throw new RuleViolationError('pathway/no-endowment-fund', pathwayMessages.noEndowmentFund);
  return fund.id;
}

const subjectOf = applicationSubject;

/** Whether the organisation has a file opened with this first message (how a first contact is recognised again). */
export async function hasFileOpenedWith(
  db: Database | Transaction,
  organisationId: string,
  firstMessage: string,
): Promise<boolean> {
  return Boolean(
    await db('applications').where({ organisation_id: organisationId, first_message: firstMessage }).first('id'),
  );
}

export async function openApplication(
  trx: Transaction,
  input: {
    organisationId: string;
    message: string;
    contactName: string;
    contactEmail: string;
    contactPhone?: string | undefined;
  },
  principal: Principal,
): Promise<string> {
  await getOrganisation(trx, input.organisationId);
  const fundId = await endowmentFundId(trx);
  // The fund's bounds as the file opens, for the applicant to see; a decision is checked against the rules in force then.
  const bounds = await ticketBounds(trx, fundId, null);
  const [row] = await trx('applications')
    .insert({
      organisation_id: input.organisationId,
      fund_id: fundId,
      first_message: input.message,
      contact_name: input.contactName,
      contact_email: input.contactEmail,
      contact_phone: input.contactPhone ?? null,
      created_by: principal.userId,
      // The time of this statement, not of the transaction: files opened together keep their order.
      created_at: trx.raw('clock_timestamp()'),
    })
    .returning('id');
  const actor: WorkflowActor = { userId: principal.userId, relations: isAdmin(principal) ? ['admin'] : ['referent'] };
  await startWorkflow(
    trx,
    applicationWorkflow,
    subjectOf(row.id),
    {
      organisationId: input.organisationId,
      ticketMinMinor: String(bounds.ticketMinMinor),
      ticketMaxMinor: String(bounds.ticketMaxMinor),
    },
    actor,
    'Premier contact',
  );
  return row.id;
}

export async function getApplication(db: Database, applicationId: string, principal: Principal) {
  return (await applicationSeenBy(db, applicationId, principal)).file;
}

/** The file as this person sees it, and their relations to it (what a page needs to say what they may do). */
export async function applicationSeenBy(db: Database, applicationId: string, principal: Principal) {
  const { row, relations, instance } = await relationsOnApplication(db, applicationId, principal);
  const [history, earlierFiles, documents, exchanges, grant, reports] = await Promise.all([
    workflowHistory(db, instance.id),
    earlierFilesOf(db, instance.context),
    listDocuments(db, subjectOf(applicationId)),
    exchangesSeenBy(db, applicationId, relations),
    grantOf(db, applicationId),
    reportsOf(db, applicationId),
  ]);
  const file = {
    id: row.id,
    organisationId: row.organisation_id,
    fundId: row.fund_id,
    state: instance.state,
    context: contextView(instance.context),
    preProposal: row.pre_proposal && {
      need: row.pre_proposal.need,
      project: row.pre_proposal.project,
      amountFrom: euroAmount(row.pre_proposal.amountFromMinor),
      amountTo: euroAmount(row.pre_proposal.amountToMinor),
    },
    proposal: row.proposal,
    // What this person may do next, not every event the step has.
    allowedEvents: allowedEventsFor(applicationWorkflow, instance, relations),
    history,
    earlierFiles,
    documents,
    exchanges,
    grant,
    reports,
  };
  return { file, relations };
}

const euroAmount = (minor: string | null | undefined): string | null =>
  minor ? toApiAmount(euros(BigInt(minor))) : null;

/** The file's workflow context as people read it: amounts in euros, like every answer of the API. */
function contextView({ ticketMinMinor, ticketMaxMinor, approvedAmountMinor, ...rest }: ApplicationContext) {
  return {
    ...rest,
    ticketMin: euroAmount(ticketMinMinor),
    ticketMax: euroAmount(ticketMaxMinor),
    approvedAmount: euroAmount(approvedAmountMinor),
  };
}

/** A proposal step as the person will fill it: what is already known, and what is still missing. */
export async function proposalStep(db: Database, applicationId: string, step: ProposalStep, principal: Principal) {
  return db.transaction(async (trx) => {
    const { row, instance, relations } = await relationsOnApplication(trx, applicationId, principal);
    const known = await knownAnswers(trx, row, step);
    return {
      step,
      /** The proposal is written by its applicants; the team reads it. */
      mayAnswer: relations.includes('applicant'),
      completed: instance.context.completedSteps.includes(step),
      known,
      missing: missingAnswers(step, known),
      suggestions: await suggestedAnswers(trx, row, step, known),
    };
  });
}

const teamRelations = ['admin', 'referent', 'committee-member'];
const seesInternalNotes = (relations: readonly string[]) =>
  relations.some((relation) => teamRelations.includes(relation));

async function exchangesSeenBy(db: Database | Transaction, applicationId: string, relations: readonly string[]) {
  const query = db('application_exchanges')
    .where('application_id', applicationId)
    .orderBy([{ column: 'occurred_on' }, { column: 'created_at' }])
    .select(
      'id',
      'kind',
      db.raw('to_char(occurred_on, \'YYYY-MM-DD\') as "occurredOn"'),
      'summary',
      'internal',
      'author_id',
      'created_at',
    );
  if (!seesInternalNotes(relations)) query.where('internal', false);
  const rows = (await query) as {
    id: string;
    kind: string;
    occurredOn: string;
    summary: string;
    internal: boolean;
    author_id: string;
    created_at: Date;
  }[];
  const authors = await namesOf(db, [...new Set(rows.map((row) => row.author_id))]);
  return rows.map(({ author_id: authorId, created_at: createdAt, ...exchange }) => ({
    ...exchange,
    author: authors.get(authorId) ?? '',
    createdAt,
  }));
}

/** Logs an exchange of the dialogue; only the team may mark one internal. */
export async function logExchange(
  trx: Transaction,
  applicationId: string,
  exchange: ExchangeBody,
  principal: Principal,
): Promise<void> {
  const { relations, instance } = await relationsOnApplication(trx, applicationId, principal);
  if (exchange.internal && !seesInternalNotes(relations)) throw new ForbiddenError(pathwayMessages.onlyTeamWritesNotes);
  if (instance.done) throw new RuleViolationError('pathway/file-closed', pathwayMessages.fileClosed);
  await trx('application_exchanges').insert({
    application_id: applicationId,
    kind: exchange.kind,
    occurred_on: exchange.occurredOn,
    summary: exchange.summary,
    internal: exchange.internal,
    author_id: principal.userId,
  });
}

/**
 * Sends one event to a locked application and does what follows from it, in the
 * same transaction: the people concerned are told, and an approval asks for
 * the grant agreement to be generated.
 */
async function transition(
  trx: Transaction,
  row: ApplicationRow,
  instance: WorkflowInstance<ApplicationContext>,
  event: ApplicationEvent,
  actor: WorkflowActor,
  reason?: string,
) {
  const next = (await sendWorkflowEvent(
    trx,
    applicationWorkflow,
    instance,
    event,
    actor,
    reason,
  )) as WorkflowInstance<ApplicationContext>;
  if (event.type === 'APPROVE') {
    const organisation = await getOrganisation(trx, row.organisation_id);
    const project = row.proposal.project as { projectType?: string } | undefined;
    await commitGrant(trx, {
      applicationId: row.id,
      fundId: row.fund_id,
      organisationId: row.organisation_id,
      organisationName: organisation.name,
      amountMinor: BigInt(event.amountMinor),
      poolId: event.poolId,
      projectType: project?.projectType,
    });
    await requestDocument(trx, 'grant-agreement', subjectOf(row.id), `grant-agreement:${row.id}:v${next.version}`);
  }
  if (event.type === 'SEND_TO_COMMITTEE') {
    await trx('applications').where('id', row.id).update({ committee_id: event.committeeId });
    await announceToCommittee(trx, row, event.committeeId);
  }
  if (next.state === 'active' && instance.state !== 'active') await releaseTranches(trx, row.id, 'agreement-signed');
  await announceTransition(trx, { row, event, from: instance.state, to: next, actor, reason });
  return next;
}

/** A proposal goes to instruction whole: the refusal names what is left to fill in. */
function assertProposalComplete(context: ApplicationContext): void {
  const missing = proposalSteps.filter((step) => !context.completedSteps.includes(step));
  if (missing.length > 0) {
    throw new RuleViolationError(
      'pathway/proposal-incomplete',
      pathwayMessages.proposalIncomplete(missing.map((step) => stepLabels[step])),
      { missingSteps: missing },
    );
  }
}

/** The committee a file goes to: the one named, of the file's fund, or the fund's only committee. */
async function committeeFor(trx: Transaction, fundId: string, committeeId: string | undefined): Promise<string> {
  const committees = await committeesOfFund(trx, fundId);
  if (committeeId !== undefined) {
    if (!committees.includes(committeeId))
      throw new ValidationError([{ path: ['committeeId'], message: pathwayMessages.committeeOfOtherFund }]);
    return committeeId;
  }
  if (committees.length === 1) return committees[0]!;
  throw new ValidationError([
    {
      path: ['committeeId'],
      message:
        committees.length === 0
          ? 'Ce fonds n’a pas encore de comité.'
          : `Précisez le comité qui décidera (${committees.join(', ')}).`,
    },
  ]);
}

/** A committee's decision on a file; a redirection names our fund when the project continues in one of our vehicles. */
export type CommitteeDecision =
  | Extract<ApplicationEvent, { type: 'APPROVE' | 'DECLINE' | 'SEND_BACK' | 'NOT_FUNDABLE' }>
  | { type: 'REDIRECT'; to: string; feedback: string; fundId: string | null };

/** The decision of an adopted motion, sent to the file on behalf of the committee. */
export async function decideInCommittee(
  trx: Transaction,
  applicationId: string,
  decision: CommitteeDecision,
  actorId: string | null,
  reason: string,
): Promise<void> {
  const instance = await lockWorkflow<ApplicationContext>(trx, 'application', subjectOf(applicationId));
  const row: ApplicationRow = await trx('applications').where('id', applicationId).first();
  const actor: WorkflowActor = { userId: actorId, relations: ['committee'] };
  if (decision.type !== 'REDIRECT') {
    await transition(trx, row, instance, decision, actor, reason);
    return;
  }
  const { fundId, ...redirect } = decision;
  if (fundId === null) {
    await transition(trx, row, instance, redirect, actor, reason);
    return;
  }
  // The file it continues in is named in the decision itself, so that both files point at each other.
  const fileId = randomUUID();
  await transition(trx, row, instance, { ...redirect, fileId }, actor, reason);
  await continueInFund(trx, { row, context: instance.context }, { fileId, fundId, feedback: redirect.feedback }, actor);
}

/**
 * Opens, in another of our vehicles, the file a redirected project continues in:
 * the same organisation, its first message and contact, its pre-proposal (never
 * asked twice), its referent (the conversation goes on where it was); what it said
 * in its proposal is offered again as suggestions, to confirm. Its history starts
 * with the redirection and is read after the earlier file's.
 */
async function continueInFund(
  trx: Transaction,
  source: { row: ApplicationRow; context: ApplicationContext },
  target: { fileId: string; fundId: string; feedback: string },
  actor: WorkflowActor,
): Promise<void> {
  const [from] = await listFunds(trx, [source.row.fund_id]);
  const [to] = await listFunds(trx, [target.fundId]);
  assert(from !== undefined && to !== undefined, 'a redirection names two funds that exist');
  const bounds = to.kind === 'endowment' ? await ticketBounds(trx, to.id, null) : null;
  await trx.raw(
    `insert into applications
       (id, organisation_id, fund_id, first_message, contact_name, contact_email, contact_phone, pre_proposal,
        created_by, created_at, redirected_from_id)
     select ?, organisation_id, ?, first_message, contact_name, contact_email, contact_phone, pre_proposal,
        ?, clock_timestamp(), id
       from applications where id = ?`,
    [target.fileId, to.id, actor.userId, source.row.id],
  );
  await startWorkflow(
    trx,
    applicationWorkflow,
    subjectOf(target.fileId),
    {
      organisationId: source.row.organisation_id,
      ticketMinMinor: bounds && String(bounds.ticketMinMinor),
      ticketMaxMinor: bounds && String(bounds.ticketMaxMinor),
      continuesFrom: { fileId: source.row.id, referentId: source.context.referentId },
    } satisfies ApplicationInput,
    actor,
    pathwayMessages.continuedFrom(from.name, target.feedback),
  );
}

/**
 * The files a file continues, oldest first, each with its fund and history: what
 * the committee that redirected the project, and those before it, decided and why.
 */
async function earlierFilesOf(db: Database, context: ApplicationContext) {
  const earlier = [];
  for (let fileId = context.redirectedFromFileId ?? null; fileId !== null;) {
    const instance = await findWorkflow<ApplicationContext>(db, 'application', subjectOf(fileId));
    const row: ApplicationRow = await db('applications').where('id', fileId).first();
    const [fund] = await listFunds(db, [row.fund_id]);
    earlier.unshift({
      id: fileId,
      fundId: row.fund_id,
      fundName: fund?.name ?? row.fund_id,
      state: instance.state,
      history: await workflowHistory(db, instance.id),
    });
    fileId = instance.context.redirectedFromFileId ?? null;
  }
  return earlier;
}

/** The file as a committee session sees it: to check a motion before it is put to the vote. */
export async function applicationForCommittee(
  trx: Transaction,
  applicationId: string,
): Promise<{ row: ApplicationRow; instance: WorkflowInstance<ApplicationContext> }> {
  const instance = await lockWorkflow<ApplicationContext>(trx, 'application', subjectOf(applicationId)).catch(() => {
    throw new NotFoundError(pathwayMessages.fileMissing);
  });
  return { row: await trx('applications').where('id', applicationId).first(), instance };
}

export type ApplicationFilter = {
  state?: string | undefined;
  organisationId?: string | undefined;
  referentId?: string | undefined;
  committeeId?: string | undefined;
  fundId?: string | undefined;
  poolId?: string | undefined;
  page: number;
  pageSize: number;
};

/**
 * The files a person may see, newest first, filtered and paginated: an admin
 * sees all; an applicant, their organisations'; a referent, the files they
 * accompany and those waiting for a referent; a committee member, the files
 * sent to their committees.
 */
/** Only the files the person sees: their organisation's, their committee's, those they accompany or nobody does yet. */
function seenBy(query: Knex.QueryBuilder, principal: Principal): void {
  if (isAdmin(principal)) return;
  const organisations = scopesHeld(principal, ['applicant'], 'organisation');
  const committees = scopesHeld(principal, ['committee_member'], 'committee');
  const referent = principal.grants.some((grant) => grant.role === 'referent');
  query.where((visible) => {
    visible.whereIn('a.organisation_id', organisations).orWhereIn('a.committee_id', committees);
    if (referent)
      visible
        .orWhereRaw("w.context->>'referentId' = ?", [principal.userId])
        .orWhereRaw("w.context->>'referentId' is null");
  });
}

/** How many of the files the person sees stand at each step of the pathway (the funnel). */
export async function filesPerState(db: Database, principal: Principal): Promise<Map<string, number>> {
  const query = db('applications as a').join(
    workflowStates(db, 'application', 'application').as('w'),
    'w.subject_id',
    db.raw('a.id::text'),
  );
  seenBy(query, principal);
  const rows: { state: string; files: string }[] = await query
    .groupBy('w.state')
    .select('w.state', db.raw('count(*) as files'));
  return new Map(rows.map((row) => [row.state, Number(row.files)]));
}

export async function listApplications(db: Database, filter: ApplicationFilter, principal: Principal) {
  const query = db('applications as a').join(
    workflowStates(db, 'application', 'application').as('w'),
    'w.subject_id',
    db.raw('a.id::text'),
  );
  seenBy(query, principal);
  if (filter.state)
    query.where((state) => {
      state.where('w.state', filter.state!).orWhere('w.state', 'like', `${filter.state}.%`);
    });
  if (filter.organisationId) query.where('a.organisation_id', filter.organisationId);
  if (filter.referentId) query.whereRaw("w.context->>'referentId' = ?", [filter.referentId]);
  if (filter.committeeId) query.where('a.committee_id', filter.committeeId);
  if (filter.fundId) query.where('a.fund_id', filter.fundId);
  if (filter.poolId) query.whereRaw("w.context->>'poolId' = ?", [filter.poolId]);
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read
      .orderBy([{ column: 'a.created_at', order: 'desc' }, { column: 'a.id' }])
      .select(
        'a.id',
        'a.organisation_id',
        'a.fund_id',
        'a.committee_id',
        'a.pre_proposal',
        'a.redirected_from_id',
        'a.created_at',
        'w.state',
        'w.context',
        'w.updated_at',
      ),
  );
  const amount = euroAmount;
  const organisations = await organisationNames(db, [...new Set(rows.map((row) => row.organisation_id as string))]);
  return {
    ...page,
    files: rows.map((row) => ({
      id: row.id,
      organisation: { id: row.organisation_id, name: organisations.get(row.organisation_id) ?? row.organisation_id },
      fundId: row.fund_id,
      committeeId: row.committee_id,
      poolId: row.context.poolId ?? null,
      state: row.state,
      stateLabel: stateLabels[row.state] ?? row.state,
      referentId: row.context.referentId ?? null,
      amountAsked: row.pre_proposal
        ? { from: amount(row.pre_proposal.amountFromMinor), to: amount(row.pre_proposal.amountToMinor) }
        : null,
      approvedAmount: amount(row.context.approvedAmountMinor),
      redirectedFromId: row.redirected_from_id,
      openedAt: row.created_at,
      updatedAt: row.updated_at,
    })),
  };
}

/**
 * An organisation's whole trajectory on the pathway, across funds and years:
 * its files with where each stands and their history, their grants with each
 * tranche and where its payment is, and the reports.
 */
export async function organisationTrajectory(db: Database, organisationId: string, principal: Principal) {
  const organisation = await getOrganisation(db, organisationId);
  const { files, total } = await listApplications(db, { organisationId, page: 1, pageSize: pageSizeMax }, principal);
  const payments = await tranchePaymentsOf(db, organisationId);
  return {
    organisation: { id: organisation.id, name: organisation.name },
    totalFiles: total,
    files: await Promise.all(
      files.map(async (file) => {
        const grant = await grantOf(db, file.id);
        const instance = await findWorkflow(db, 'application', subjectOf(file.id));
        return {
          ...file,
          history: await workflowHistory(db, instance.id),
          grant: grant && {
            ...grant,
            tranches: grant.tranches.map((tranche) => ({
              ...tranche,
              payment: payments.get(`${file.id}:${tranche.position}`) ?? null,
            })),
          },
          reports: (await reportsOf(db, file.id)).map(({ history: _history, ...report }) => report),
        };
      }),
    ),
  };
}

/** One step of the pathway, by whoever takes it, with the business change it carries, in one transaction. */
export async function takeStep(
  trx: Transaction,
  applicationId: string,
  step: TransitionBody,
  principal: Principal,
): Promise<void> {
  const instance = await lockWorkflow<ApplicationContext>(trx, 'application', subjectOf(applicationId)).catch(() => {
    throw new NotFoundError(pathwayMessages.fileMissing);
  });
  const { row, relations } = await visibleApplication(trx, applicationId, principal, instance);
  const actor: WorkflowActor = { userId: principal.userId, relations };
  if (step.event === 'SUBMIT_PROPOSAL' && instance.state === 'proposal') assertProposalComplete(instance.context);
  const event = await eventFor(trx, row, step, principal);
  if (event.type === 'ASSIGN_REFERENT' && !actor.relations.includes('admin') && event.referentId !== principal.userId) {
    throw new ForbiddenError(pathwayMessages.referentTakesForSelf);
  }
  await transition(trx, row, instance, event, actor, step.reason);
  if (step.event === 'SUBMIT_PRE_PROPOSAL') {
    await trx('applications')
      .where('id', applicationId)
      .update({
        pre_proposal: JSON.stringify({
          need: step.need,
          project: step.project,
          amountFromMinor: String(step.amountFrom),
          amountToMinor: String(step.amountTo),
        }),
      });
  }
  if (step.event === 'COMPLETE_STEP') {
    const answers = await completeStep(trx, row, step.step, step.answers, { userId: principal.userId });
    if (answers)
      await trx('applications')
        .where('id', applicationId)
        .update({ proposal: JSON.stringify({ ...row.proposal, [step.step]: answers }) });
  }
}

async function eventFor(
  trx: Transaction,
  row: ApplicationRow,
  step: TransitionBody,
  principal: Principal,
): Promise<ApplicationEvent> {
  const applicationId = row.id;
  const now = new Date().toISOString();
  switch (step.event) {
    case 'SEND_TO_COMMITTEE':
      return { type: 'SEND_TO_COMMITTEE', committeeId: await committeeFor(trx, row.fund_id, step.committeeId) };
    case 'ASSIGN_REFERENT': {
      if (!(await holdsRole(trx, step.referentId, 'referent')))
        throw new ValidationError([{ path: ['referentId'], message: pathwayMessages.notAReferent }]);
      return { type: 'ASSIGN_REFERENT', referentId: step.referentId };
    }
    case 'SUBMIT_PRE_PROPOSAL':
      if (step.amountFrom > step.amountTo)
        throw new ValidationError([{ path: ['amountTo'], message: pathwayMessages.rangeOrder }]);
      return { type: 'SUBMIT_PRE_PROPOSAL' };
    case 'COMPLETE_STEP':
      return { type: 'COMPLETE_STEP', step: step.step };
    case 'GIVE_OPINION':
      return { type: 'GIVE_OPINION', opinion: step.opinion };
    case 'ACCEPT_AGREEMENT':
    case 'COUNTERSIGN': {
      const agreement = await latestDocument(trx, subjectOf(applicationId), 'grant-agreement');
      if (!agreement)
        throw new RuleViolationError('pathway/agreement-not-ready', pathwayMessages.agreementBeingRendered);
      if (agreement.sha256 !== step.documentSha256) {
        throw new RuleViolationError('pathway/agreement-outdated', pathwayMessages.agreementNotLatest, {
          documentId: agreement.id,
          documentSha256: agreement.sha256,
        });
      }
      return { type: step.event, userId: principal.userId, at: now, documentSha256: step.documentSha256 };
    }
    default:
      return { type: step.event };
  }
}
