import type { Transaction } from '../db/database';
import { ConflictError, RuleViolationError } from '../errors';
import { type Principal } from '../identity/roles';
import { sendWorkflowEvent } from '../workflow-runtime';
import { voteWorkflow } from '../../workflows/vote.machine';
import { type VoteChoice } from './tally';
import { lockedSession } from './sessions';
import { committeesMessages } from './messages';

/**
 * A member's part in a session: the declaration of interests first (once, never
 * changed), then one vote — a conflicted member is recused.
 */

export async function declareInterests(
  trx: Transaction,
  sessionId: string,
  declaration: { conflicted: boolean; details?: string | undefined },
  principal: Principal,
): Promise<void> {
  const { instance, actor } = await lockedSession(trx, sessionId, principal);
  if (principal.userId in instance.context.declarations && instance.state === 'open') {
    throw new ConflictError(committeesMessages.declarationFinal);
  }
  await sendWorkflowEvent(
    trx,
    voteWorkflow,
    instance,
    { type: 'DECLARE', memberId: principal.userId, conflicted: declaration.conflicted },
    actor,
    declaration.details,
  );
  await trx('conflict_declarations').insert({
    session_id: sessionId,
    user_id: principal.userId,
    conflicted: declaration.conflicted,
    details: declaration.details ?? null,
  });
}

/** Casts or changes a vote. The same vote sent again (a double click, a retry) changes nothing. */
export async function castVote(
  trx: Transaction,
  sessionId: string,
  ballot: { choice: VoteChoice; comment?: string | undefined },
  principal: Principal,
): Promise<{ changed: boolean }> {
  const { session, instance, actor } = await lockedSession(trx, sessionId, principal);
  if (instance.state === 'open') {
    const declared = instance.context.declarations[principal.userId];
    if (declared === undefined)
      throw new RuleViolationError('committees/declaration-first', committeesMessages.declareFirst);
    if (declared) throw new RuleViolationError('committees/recused', committeesMessages.recused);
    if (session.deadline <= new Date())
      throw new RuleViolationError('committees/deadline-passed', committeesMessages.votingClosed);
  }
  const current = await trx<{ session_id: string; user_id: string; choice: VoteChoice; comment: string | null }>(
    'votes',
  )
    .where({ session_id: sessionId, user_id: principal.userId })
    .first('choice', 'comment');
  const comment = ballot.comment ?? null;
  if (instance.state === 'open' && current && current.choice === ballot.choice && current.comment === comment)
    return { changed: false };
  await sendWorkflowEvent(
    trx,
    voteWorkflow,
    instance,
    { type: 'CAST_VOTE', memberId: principal.userId, choice: ballot.choice },
    actor,
    current ? `Vote modifié (${current.choice} → ${ballot.choice})` : undefined,
  );
  await trx('votes')
    .insert({ session_id: sessionId, user_id: principal.userId, choice: ballot.choice, comment, cast_at: trx.fn.now() })
    .onConflict(['session_id', 'user_id'])
    .merge(['choice', 'comment', 'cast_at']);
  await trx('vote_ballots').insert({
    session_id: sessionId,
    user_id: principal.userId,
    choice: ballot.choice,
    comment,
  });
  return { changed: true };
}
