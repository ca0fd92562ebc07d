import { namesOf } from '../identity/service';
import { getOrganisation } from '../organisations/service';
import { applicationRow } from '../pathway/access';
import type { Database, Transaction } from '../db/database';
import { listDocuments, requestDocument } from '../documents/service';
import { assert, ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { isAdmin, type Principal } from '../identity/roles';
import { euros, formatFrench, toApiAmount } from '../money';
import { notify } from '../notifications/service';
import { assertPoolAccepts, poolAvailableMinor, ticketBounds } from '../endowment/grants';
import { ledgerErrorFrom } from '../ledger/database-errors';
import { listFunds } from '../ledger/queries';
import type { ApplicationRow } from '../pathway/access';
import { applicationForCommittee, decideInCommittee, type CommitteeDecision } from '../pathway/service';
import { decideInvestment, investmentForCommittee } from '../portfolio/investments';
import { formatFrenchDay, todayInParis } from '../time';
import {
  findWorkflow,
  lockWorkflow,
  sendWorkflowEvent,
  startWorkflow,
  workflowHistory,
  type WorkflowActor,
} from '../workflow-runtime';
import { voteWorkflow, type VoteContext } from '../../workflows/vote.machine';
import type { Motion } from './schema';
import { tally, type CommitteeRules, type Tally, type VoteChoice } from './tally';
import { type CommitteeRow, rulesOf } from './committees';
import { committeesMessages } from './messages';

/**
 * Committees and their vote sessions. A session freezes, when it opens, who
 * sits and under which rules; each member declares conflicts before voting;
 * closing computes the tally and, when the motion is adopted, sends the
 * decision to the application — all in the transaction of the close.
 */
export const sessionSubject = (sessionId: string) => ({ type: 'vote-session', id: sessionId });

async function decisionOf(db: Transaction, fundId: string, motion: Motion): Promise<CommitteeDecision> {
  switch (motion.decision) {
    case 'approve': {
      const bounds = await ticketBounds(db, fundId, motion.poolId ?? null);
      return {
        type: 'APPROVE',
        amountMinor: String(motion.amount),
        poolId: motion.poolId ?? null,
        ticketMinMinor: String(bounds.ticketMinMinor),
        ticketMaxMinor: String(bounds.ticketMaxMinor),
      };
    }
    case 'decline':
      return { type: 'DECLINE', feedback: motion.feedback };
    case 'redirect':
      // The name was settled as the vote opened (the fund's own when the motion names only the fund).
      return { type: 'REDIRECT', to: motion.to!, feedback: motion.feedback, fundId: motion.fundId ?? null };
    case 'send-back':
      return { type: 'SEND_BACK', to: motion.to, rework: motion.rework };
    case 'invest':
      // Refused on a file as the vote opens (votedSubject): an investment is decided by decideInvestment.
      throw new RuleViolationError('committees/invest-on-file', committeesMessages.investOnInvestments);
  }
}

/**
 * What the committee may decide on a file of this fund: only a fund that grants
 * approves a grant; a redirection to one of our vehicles names another fund than
 * the file's, and is written with that fund's name.
 */
async function motionFor(trx: Transaction, row: ApplicationRow, motion: Motion): Promise<Motion> {
  const funds = await listFunds(trx);
  const fund = funds.find((candidate) => candidate.id === row.fund_id);
  assert(fund !== undefined, 'a file belongs to a fund');
  if (motion.decision === 'approve' && fund.kind !== 'endowment')
    throw new RuleViolationError('committees/fund-does-not-grant', committeesMessages.fundDoesNotGrant(fund.name));
  if (motion.decision !== 'redirect' || motion.fundId === undefined) return motion;
  const target = funds.find((candidate) => candidate.id === motion.fundId);
  if (!target) throw new ValidationError([{ path: ['motion', 'fundId'], message: committeesMessages.fundUnknown }]);
  if (target.id === row.fund_id)
    throw new ValidationError([{ path: ['motion', 'fundId'], message: committeesMessages.redirectToSameFund }]);
  return { ...motion, to: motion.to ?? target.name };
}

/** The motion's words (feedback, rework, partner), kept with the session; the amount has its own column. */
function motionDetails(motion: Motion): Record<string, string> {
  return Object.fromEntries(Object.entries(motion).filter(([key]) => key !== 'decision' && key !== 'amount')) as Record<
    string,
    string
  >;
}

export function motionText(motion: string, amountMinor: string | null, details: Record<string, string>): string {
  switch (motion) {
    case 'approve':
      return `Accorder une subvention de ${formatFrench(euros(BigInt(amountMinor!)))}`;
    case 'invest':
      return `Investir ${formatFrench(euros(BigInt(amountMinor!)))}`;
    case 'decline':
      return `Ne pas retenir le projet (retour : ${details.feedback})`;
    case 'redirect':
      return `Orienter le projet vers ${details.to} (retour : ${details.feedback})`;
    default:
      return `Renvoyer le dossier à retravailler (${details.rework})`;
  }
}

type NewSession = {
  applicationId?: string | undefined;
  investmentId?: string | undefined;
  motion: Motion;
  deadline: string;
};

/**
 * What the vote is on: a file at this committee (its decision on the file), or
 * an investment of the fund before it (to invest an amount, or to decline);
 * either way the file names the organisation.
 */
async function votedSubject(
  trx: Transaction,
  committee: CommitteeRow,
  input: NewSession,
): Promise<{ applicationId: string; investmentId: string | null; motion: Motion; organisationId: string }> {
  if (input.investmentId !== undefined) {
    const { row, instance } = await investmentForCommittee(trx, input.investmentId);
    if (row.fund_id !== committee.fund_id) throw new NotFoundError(committeesMessages.fileNotAtThisCommittee);
    if (instance.state !== 'committee')
      throw new ConflictError(committeesMessages.investmentNotAtCommittee(instance.state), { state: instance.state });
    if (input.motion.decision !== 'invest' && input.motion.decision !== 'decline')
      throw new ValidationError([{ path: ['motion', 'decision'], message: committeesMessages.investmentMotions }]);
    return {
      applicationId: row.application_id,
      investmentId: row.id,
      motion: input.motion,
      organisationId: row.organisation_id,
    };
  }
  const { row, instance } = await applicationForCommittee(trx, input.applicationId!);
  // A file at committee names its committee: another committee, even of the same fund, has nothing to vote on.
  if (row.fund_id !== committee.fund_id || (row.committee_id !== null && row.committee_id !== committee.id))
    throw new NotFoundError(committeesMessages.fileNotAtThisCommittee);
  if (instance.state !== 'committee')
    throw new ConflictError(committeesMessages.fileNotAtCommittee(instance.state), {
      state: instance.state,
    });
  if (input.motion.decision === 'invest')
    throw new ValidationError([{ path: ['motion', 'decision'], message: committeesMessages.investOnInvestments }]);
  const motion = await motionFor(trx, row, input.motion);
  if (motion.decision === 'approve') await assertMotionFundable(trx, row, motion, new Date(input.deadline));
  return { applicationId: row.id, investmentId: null, motion, organisationId: row.organisation_id };
}

export async function openSession(
  trx: Transaction,
  committeeId: string,
  input: NewSession,
  principal: Principal,
): Promise<string> {
  const committee: CommitteeRow | undefined = await trx('committees').where('id', committeeId).first();
  if (!committee) throw new NotFoundError(committeesMessages.committeeMissing);
  const members: { user_id: string; is_chair: boolean }[] = await trx('committee_members')
    .where('committee_id', committeeId)
    .select('user_id', 'is_chair');
  if (!isAdmin(principal) && !members.some((member) => member.user_id === principal.userId && member.is_chair)) {
    throw new RuleViolationError('committees/chair-only', committeesMessages.onlyChairOpens);
  }
  if (new Date(input.deadline) <= new Date())
    throw new ValidationError([{ path: ['deadline'], message: committeesMessages.deadlineInPast }]);
  const { applicationId, investmentId, motion, organisationId } = await votedSubject(trx, committee, input);
  const details = motionDetails(motion);
  const inserted = await trx('vote_sessions')
    .insert({
      reference: `${committeeId.toUpperCase()}-${Date.now().toString(36).toUpperCase()}`,
      committee_id: committeeId,
      application_id: applicationId,
      investment_id: investmentId,
      motion: motion.decision,
      amount_minor: motion.decision === 'approve' || motion.decision === 'invest' ? motion.amount : null,
      motion_details: JSON.stringify(details),
      rules: JSON.stringify(rulesOf(committee)),
      deadline: input.deadline,
      opened_by: principal.userId,
    })
    .returning('id')
    .catch((error: { constraint?: string }) => {
      if (
        error.constraint === 'vote_sessions_one_open_per_application' ||
        error.constraint === 'vote_sessions_one_open_per_investment'
      )
        throw new ConflictError(committeesMessages.voteAlreadyOpen);
      throw error;
    });
  const sessionId: string = inserted[0].id;
  await trx('vote_session_members').insert(
    members.map((member) => ({ session_id: sessionId, user_id: member.user_id, is_chair: member.is_chair })),
  );
  await startWorkflow(
    trx,
    voteWorkflow,
    sessionSubject(sessionId),
    { memberIds: members.map((member) => member.user_id) },
    { userId: principal.userId, relations: isAdmin(principal) ? ['admin'] : ['chair'] },
    'Ouverture du vote',
  );
  const organisation = await getOrganisation(trx, organisationId);
  await notify(
    trx,
    members.map((member) => member.user_id).filter((userId) => userId !== principal.userId),
    {
      subject: sessionSubject(sessionId),
      title: `Vote ouvert — ${organisation.name}`,
      body: `${motionText(motion.decision, 'amount' in motion ? String(motion.amount) : null, details)}.\nDéclarez d'abord tout conflit d'intérêts, puis votez avant le ${new Date(input.deadline).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}.`,
      link: `/votes/${sessionId}`,
    },
  );
  return sessionId;
}

/**
 * What an approval needs, checked as the vote opens so that the chair learns it
 * then rather than at the close: a ticket within the rules in force and, on a
 * pool, a pool that accepts it, engages until the deadline and still holds the
 * amount once the motions already open on it are counted.
 */
async function assertMotionFundable(
  trx: Transaction,
  row: ApplicationRow,
  motion: Extract<Motion, { decision: 'approve' }>,
  deadline: Date,
): Promise<void> {
  if (!motion.poolId) {
    const { ticketMinMinor, ticketMaxMinor } = await ticketBounds(trx, row.fund_id, null);
    if (motion.amount < ticketMinMinor || motion.amount > ticketMaxMinor) {
      throw new ValidationError([
        {
          path: ['motion', 'amount'],
          message: committeesMessages.ticketBounds(
            formatFrench(euros(ticketMinMinor)),
            formatFrench(euros(ticketMaxMinor)),
          ),
        },
      ]);
    }
    return;
  }
  const project = row.proposal.project as { projectType?: string } | undefined;
  const rules = await assertPoolAccepts(trx, row.fund_id, motion.poolId, {
    amountMinor: motion.amount,
    projectType: project?.projectType,
  });
  const deadlineDay = todayInParis(deadline);
  if (deadlineDay > rules.endsOn) {
    throw new RuleViolationError(
      'committees/pool-period-ends',
      committeesMessages.poolEndsBeforeDeadline(formatFrenchDay(rules.endsOn)),
    );
  }
  const availableMinor = await poolAvailableMinor(trx, row.fund_id, motion.poolId);
  const pending = await trx('vote_sessions')
    .whereNull('closed_at')
    .where('motion', 'approve')
    .whereRaw("motion_details->>'poolId' = ?", [motion.poolId])
    .sum('amount_minor as total')
    .first();
  const freeMinor = availableMinor - BigInt(pending?.total ?? 0);
  if (freeMinor < motion.amount) {
    throw new RuleViolationError(
      'committees/pool-insufficient',
      committeesMessages.poolCannotFund(
        formatFrench(euros(availableMinor)),
        formatFrench(euros(availableMinor - freeMinor)),
        formatFrench(euros(motion.amount - freeMinor)),
      ),
    );
  }
}

export type SessionRow = {
  id: string;
  reference: string;
  committee_id: string;
  application_id: string;
  investment_id: string | null;
  motion: string;
  amount_minor: string | null;
  motion_details: Record<string, string>;
  rules: CommitteeRules;
  deadline: Date;
  opened_at: Date;
  closed_at: Date | null;
  outcome: string | null;
  outcome_reason: string | null;
  tally: Tally | null;
};

/** How the person stands to the session; nobody outside it learns it exists. */
async function sessionAccess(
  db: Database | Transaction,
  sessionId: string,
  principal: Principal,
): Promise<{ session: SessionRow; relations: string[] }> {
  const session: SessionRow | undefined = await db('vote_sessions').where('id', sessionId).first();
  if (!session) throw new NotFoundError(committeesMessages.sessionMissing);
  const seat = await db('vote_session_members')
    .where({ session_id: sessionId, user_id: principal.userId })
    .first('is_chair');
  const relations = [
    ...(isAdmin(principal) ? ['admin'] : []),
    ...(seat ? ['member'] : []),
    ...(seat?.is_chair ? ['chair'] : []),
  ];
  if (relations.length === 0) throw new NotFoundError(committeesMessages.sessionMissing);
  return { session, relations };
}

export async function assertSessionVisible(db: Database, sessionId: string, principal: Principal): Promise<void> {
  await sessionAccess(db, sessionId, principal);
}

export async function lockedSession(trx: Transaction, sessionId: string, principal: Principal) {
  const access = await sessionAccess(trx, sessionId, principal);
  const instance = await lockWorkflow<VoteContext>(trx, 'vote', sessionSubject(sessionId));
  return {
    ...access,
    instance,
    actor: { userId: principal.userId, relations: access.relations } satisfies WorkflowActor,
  };
}

async function currentTally(trx: Transaction, session: SessionRow): Promise<Tally> {
  const members = await trx('vote_session_members').where('session_id', session.id).select('user_id', 'is_chair');
  const recused = await trx('conflict_declarations')
    .where({ session_id: session.id, conflicted: true })
    .pluck('user_id');
  const votes = await trx('votes').where('session_id', session.id).select('user_id', 'choice');
  return tally({
    rules: session.rules,
    members: members.map((member) => ({ userId: member.user_id, chair: member.is_chair })),
    recused,
    votes: votes.map((vote) => ({ userId: vote.user_id, choice: vote.choice })),
  });
}

export type SessionOutcome = Tally['outcome'] | 'adopted-not-fundable' | 'withdrawn';

/**
 * Closes the session, by its chair, an admin or the deadline (actor with relation
 * 'deadline'). Closing always ends the session: an adopted motion that can no
 * longer be committed (the pool ran out, its period ended, the rules changed)
 * closes as "adopted, not fundable" with the reason, the file back at
 * instruction; a file that left the committee meanwhile closes it as "withdrawn".
 */
export async function closeSession(
  trx: Transaction,
  sessionId: string,
  actor: WorkflowActor,
  reason?: string,
): Promise<Omit<Tally, 'outcome'> & { outcome: SessionOutcome; outcomeReason: string | null }> {
  const session: SessionRow | undefined = await trx('vote_sessions').where('id', sessionId).first();
  if (!session) throw new NotFoundError(committeesMessages.sessionMissing);
  const instance = await lockWorkflow<VoteContext>(trx, 'vote', sessionSubject(sessionId));
  const result = await currentTally(trx, session);
  const votedOn = session.investment_id
    ? await investmentForCommittee(trx, session.investment_id)
    : await applicationForCommittee(trx, session.application_id);
  let outcome: SessionOutcome = result.outcome;
  let outcomeReason: string | null = null;
  if (votedOn.instance.state !== 'committee') {
    outcome = 'withdrawn';
    outcomeReason = committeesMessages.leftTheCommittee(votedOn.instance.state);
  } else if (result.outcome === 'adopted') {
    const refusal = await decideOrRefusal(
      trx,
      session,
      actor.userId,
      `Vote ${session.reference} : ${result.explanation}`,
    );
    if (refusal && session.investment_id) {
      outcome = 'adopted-not-fundable';
      outcomeReason = refusal;
    } else if (refusal) {
      outcome = 'adopted-not-fundable';
      outcomeReason = refusal;
      await decideInCommittee(
        trx,
        session.application_id,
        { type: 'NOT_FUNDABLE', reason: refusal },
        actor.userId,
        `Vote ${session.reference} : proposition adoptée mais non finançable`,
      );
    }
  }
  await sendWorkflowEvent(trx, voteWorkflow, instance, { type: 'CLOSE', outcome }, actor, reason);
  await trx('vote_sessions')
    .where('id', sessionId)
    .update({
      closed_at: trx.fn.now(),
      closed_by: actor.userId,
      outcome,
      outcome_reason: outcomeReason,
      tally: JSON.stringify(result),
    });
  await requestDocument(trx, 'committee-minutes', sessionSubject(sessionId), `committee-minutes:${sessionId}`);
  const members = await trx('vote_session_members').where('session_id', sessionId).pluck('user_id');
  await notify(
    trx,
    members.filter((userId: string) => userId !== actor.userId),
    {
      subject: sessionSubject(sessionId),
      title: `Vote clos — ${outcomeLabels[outcome]}`,
      body: [result.explanation, outcomeReason, 'Le procès-verbal sera joint à la séance.'].filter(Boolean).join('\n'),
      link: `/votes/${sessionId}`,
    },
  );
  return { ...result, outcome, outcomeReason };
}

/** Sends the adopted decision to the file in a savepoint; what the rules refuse rolls back alone and is returned as the reason. */
async function decideOrRefusal(
  trx: Transaction,
  session: SessionRow,
  actorId: string | null,
  reason: string,
): Promise<string | null> {
  try {
    await trx.transaction(async (savepoint) => {
      const motion = motionOf(session);
      if (session.investment_id) {
        await decideInvestment(
          savepoint,
          session.investment_id,
          motion.decision === 'invest'
            ? { type: 'COMMITTEE_APPROVED', amountMinor: motion.amount }
            : { type: 'COMMITTEE_DECLINED', feedback: motion.decision === 'decline' ? motion.feedback : '' },
          actorId,
          reason,
        );
        return;
      }
      const file = await applicationRow(savepoint, session.application_id);
      await decideInCommittee(
        savepoint,
        session.application_id,
        await decisionOf(savepoint, file.fund_id, motion),
        actorId,
        reason,
      );
    });
    return null;
  } catch (error) {
    if (error instanceof RuleViolationError || error instanceof ValidationError || error instanceof ConflictError)
      return error.message;
    const ledgerError = ledgerErrorFrom(error);
    if (ledgerError) return ledgerError.message;
    throw error;
  }
}

export const outcomeLabels: Record<SessionOutcome, string> = {
  adopted: 'proposition adoptée',
  rejected: 'proposition rejetée',
  'no-quorum': 'quorum non atteint, pas de décision',
  'adopted-not-fundable': 'proposition adoptée mais non finançable, dossier renvoyé à l’instruction',
  withdrawn: 'dossier retiré du comité, pas de décision',
};

function motionOf(session: SessionRow): Motion {
  const details = session.motion_details;
  switch (session.motion) {
    case 'approve':
      return {
        decision: 'approve',
        amount: BigInt(session.amount_minor!),
        ...(details.poolId ? { poolId: details.poolId } : {}),
      };
    case 'decline':
      return { decision: 'decline', feedback: details.feedback! };
    case 'invest':
      return { decision: 'invest', amount: BigInt(session.amount_minor!) };
    case 'redirect':
      return {
        decision: 'redirect',
        to: details.to!,
        feedback: details.feedback!,
        ...(details.fundId ? { fundId: details.fundId } : {}),
      };
    default:
      return { decision: 'send-back', to: details.to as 'dialogue', rework: details.rework! };
  }
}

export async function closeSessionAs(
  trx: Transaction,
  sessionId: string,
  principal: Principal,
  reason?: string,
): ReturnType<typeof closeSession> {
  const { actor } = await lockedSession(trx, sessionId, principal);
  return closeSession(trx, sessionId, actor, reason);
}

export type Seat = {
  userId: string;
  name: string;
  chair: boolean;
  conflicted: boolean | null;
  details: string | null;
  choice: VoteChoice | null;
  comment: string | null;
};

/** Who sat in a session, with their declaration and their vote: for the session's page and its minutes. */
export async function sessionSeats(db: Database | Transaction, sessionId: string): Promise<Seat[]> {
  const rows: unknown = await db('vote_session_members')
    .leftJoin('conflict_declarations', function joinDeclarations() {
      this.on('conflict_declarations.session_id', 'vote_session_members.session_id').andOn(
        'conflict_declarations.user_id',
        'vote_session_members.user_id',
      );
    })
    .leftJoin('votes', function joinVotes() {
      this.on('votes.session_id', 'vote_session_members.session_id').andOn(
        'votes.user_id',
        'vote_session_members.user_id',
      );
    })
    .where('vote_session_members.session_id', sessionId)
    .select(
      'vote_session_members.user_id as userId',
      'vote_session_members.is_chair as chair',
      'conflict_declarations.conflicted',
      'conflict_declarations.details',
      'votes.choice',
      'votes.comment',
    );
  const seats = rows as Omit<Seat, 'name'>[];
  const names = await namesOf(
    db,
    seats.map((seat) => seat.userId),
  );
  return seats
    .map((seat) => ({ ...seat, name: names.get(seat.userId) ?? '' }))
    .sort((left, right) => left.name.localeCompare(right.name, 'fr'));
}

export async function getSession(db: Database, sessionId: string, principal: Principal) {
  const { session, relations } = await sessionAccess(db, sessionId, principal);
  const instance = await findWorkflow(db, 'vote', sessionSubject(sessionId));
  const members = await sessionSeats(db, sessionId);
  const open = session.closed_at === null;
  return {
    id: session.id,
    reference: session.reference,
    committeeId: session.committee_id,
    applicationId: session.application_id,
    investmentId: session.investment_id,
    motion: {
      decision: session.motion,
      amount: session.amount_minor === null ? null : toApiAmount(euros(BigInt(session.amount_minor))),
      ...session.motion_details,
      text: motionText(session.motion, session.amount_minor, session.motion_details),
    },
    rules: session.rules,
    deadline: session.deadline,
    openedAt: session.opened_at,
    closedAt: session.closed_at,
    state: instance.state,
    outcome: session.outcome,
    outcomeReason: session.outcome_reason,
    tally: session.tally,
    yourRelations: relations,
    // While the vote is open, each member sees who has voted but only their own choice.
    members: members.map((member) => ({
      userId: member.userId,
      name: member.name,
      chair: member.chair,
      declared: member.conflicted !== null,
      recused: member.conflicted === true,
      voted: member.choice !== null,
      choice: !open || member.userId === principal.userId ? member.choice : undefined,
      comment: !open || member.userId === principal.userId ? member.comment : undefined,
    })),
    history: await workflowHistory(db, instance.id),
    documents: await listDocuments(db, sessionSubject(sessionId)),
  };
}
