import { findFund } from '../ledger/queries';
import type { Database, Transaction } from '../db/database';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Principal } from '../identity/roles';
import { namesOf } from '../identity/service';
import { grantRole, withdrawRole } from '../identity/role-grants';
import type { NewCommittee } from './schema';
import { type CommitteeRules } from './tally';
import { committeesMessages } from './messages';

/**
 * Committees: who sits on them and the rules they vote by (quorum, majority,
 * abstentions, the chair's casting vote). A session freezes both when it opens.
 */

export type CommitteeRow = {
  id: string;
  name: string;
  fund_id: string;
  quorum_share: string;
  decision_rule: 'majority' | 'qualified';
  qualified_share: string | null;
  abstentions_count: boolean;
  chair_casting_vote: boolean;
};

export const rulesOf = (row: CommitteeRow): CommitteeRules => ({
  quorumShare: row.quorum_share,
  decisionRule: row.decision_rule,
  qualifiedShare: row.qualified_share,
  abstentionsCount: row.abstentions_count,
  chairCastingVote: row.chair_casting_vote,
});

export async function createCommittee(trx: Transaction, input: NewCommittee): Promise<void> {
  if (!(await findFund(trx, input.fundId)))
    throw new ValidationError([{ path: ['fundId'], message: committeesMessages.fundUnknown }]);
  if (await trx('committees').where('id', input.id).first('id'))
    throw new ConflictError(committeesMessages.committeeIdTaken);
  const known = await namesOf(
    trx,
    input.members.map((member) => member.userId),
  );
  const unknown = input.members.findIndex((member) => !known.has(member.userId));
  if (unknown >= 0)
    throw new ValidationError([{ path: ['members', unknown, 'userId'], message: committeesMessages.personUnknown }]);
  await trx('committees').insert({
    id: input.id,
    name: input.name,
    fund_id: input.fundId,
    quorum_share: input.rules.quorumShare,
    decision_rule: input.rules.decisionRule,
    qualified_share: input.rules.qualifiedShare,
    abstentions_count: input.rules.abstentionsCount,
    chair_casting_vote: input.rules.chairCastingVote,
  });
  await trx('committee_members').insert(
    input.members.map((member) => ({ committee_id: input.id, user_id: member.userId, is_chair: member.chair })),
  );
  for (const member of input.members)
    await grantRole(trx, { userId: member.userId, role: 'committee_member', scopeId: input.id });
}

export async function updateRules(trx: Transaction, committeeId: string, rules: CommitteeRules): Promise<void> {
  const updated = await trx('committees').where('id', committeeId).update({
    quorum_share: rules.quorumShare,
    decision_rule: rules.decisionRule,
    qualified_share: rules.qualifiedShare,
    abstentions_count: rules.abstentionsCount,
    chair_casting_vote: rules.chairCastingVote,
  });
  if (updated === 0) throw new NotFoundError(committeesMessages.committeeMissing);
}

/**
 * A person seated on the committee (as its chair when asked: the former chair
 * steps down in the same change). Seated again, nothing changes but the chair.
 * A session already open keeps the members it opened with.
 */
export async function seatMember(
  trx: Transaction,
  admin: Principal,
  committeeId: string,
  seat: { userId: string; chair: boolean },
): Promise<void> {
  await committeeLocked(trx, committeeId);
  if (!(await namesOf(trx, [seat.userId])).has(seat.userId))
    throw new ValidationError([{ path: ['userId'], message: committeesMessages.personUnknown }]);
  if (seat.chair)
    await trx('committee_members').where({ committee_id: committeeId, is_chair: true }).update({ is_chair: false });
  const insert = trx('committee_members')
    .insert({ committee_id: committeeId, user_id: seat.userId, is_chair: seat.chair })
    .onConflict(['committee_id', 'user_id']);
  await (seat.chair ? insert.merge(['is_chair']) : insert.ignore());
  await grantRole(trx, {
    userId: seat.userId,
    role: 'committee_member',
    scopeId: committeeId,
    changedBy: admin.userId,
  });
}

/**
 * A member leaves the committee: not its chair (another is named first), not
 * while a session she sits on is open (its quorum counts her until it closes).
 */
export async function unseatMember(trx: Transaction, admin: Principal, committeeId: string, userId: string) {
  await committeeLocked(trx, committeeId);
  const seat = await trx('committee_members')
    .where({ committee_id: committeeId, user_id: userId })
    .first<{ is_chair: boolean } | undefined>('is_chair');
  if (!seat) throw new NotFoundError(committeesMessages.notAMember);
  if (seat.is_chair) throw new RuleViolationError('committees/chair-leaving', committeesMessages.chairLeaving);
  const open = await trx('vote_sessions')
    .join('vote_session_members', 'vote_session_members.session_id', 'vote_sessions.id')
    .where({ 'vote_sessions.committee_id': committeeId, 'vote_session_members.user_id': userId })
    .whereNull('vote_sessions.closed_at')
    .first<{ reference: string } | undefined>('vote_sessions.reference');
  if (open)
    throw new RuleViolationError(
      'committees/member-in-open-session',
      committeesMessages.memberInOpenSession(open.reference),
    );
  await trx('committee_members').where({ committee_id: committeeId, user_id: userId }).delete();
  await withdrawRole(trx, { userId, role: 'committee_member', scopeId: committeeId, changedBy: admin.userId });
}

async function committeeLocked(trx: Transaction, committeeId: string) {
  const committee = await trx('committees')
    .where('id', committeeId)
    .forUpdate()
    .first<{ id: string } | undefined>('id');
  if (!committee) throw new NotFoundError(committeesMessages.committeeMissing);
}

/** Committees by id (all of them for `'all'`), by name: what a person sits on. */
export async function committeesNamed(
  db: Database,
  ids: readonly string[] | 'all',
): Promise<{ id: string; name: string; fundId: string }[]> {
  const query = db('committees').orderBy('name').select('id', 'name', 'fund_id as fundId');
  if (ids !== 'all') query.whereRaw('id = any(?::text[])', [[...ids]]);
  return query;
}

/** A committee with its members and its sessions, the latest first (`sessionsMax` of them for a page). */
type CommitteeSession = {
  id: string;
  reference: string;
  applicationId: string;
  motion: string;
  deadline: Date;
  openedAt: Date;
  closedAt: Date | null;
  outcome: string | null;
};

export async function getCommittee(db: Database, committeeId: string, sessionsMax?: number) {
  const row = await db<CommitteeRow>('committees').where('id', committeeId).first();
  if (!row) throw new NotFoundError(committeesMessages.committeeMissing);
  const seats = await db<{ committee_id: string; user_id: string; is_chair: boolean }>('committee_members')
    .where('committee_id', committeeId)
    .select('user_id', 'is_chair');
  const names = await namesOf(
    db,
    seats.map((seat) => seat.user_id),
  );
  const members = seats
    .map((seat) => ({ userId: seat.user_id, name: names.get(seat.user_id) ?? '', chair: seat.is_chair }))
    .sort((left, right) => left.name.localeCompare(right.name, 'fr'));
  const sessions = await db('vote_sessions')
    .where('committee_id', committeeId)
    .orderBy('opened_at', 'desc')
    .modify((query) => {
      if (sessionsMax !== undefined) query.limit(sessionsMax);
    })
    .select<CommitteeSession[]>(
      'id',
      'reference',
      'application_id as applicationId',
      'motion',
      'deadline',
      'opened_at as openedAt',
      'closed_at as closedAt',
      'outcome',
    );
  return { id: row.id, name: row.name, fundId: row.fund_id, rules: rulesOf(row), members, sessions };
}
