import type { Database, Transaction } from '../db/database';

// What other modules ask of the committees: who sits where. Imports nothing of theirs, so that they may.

/** Whether the person sits on a committee that opened a vote on the file. */
export async function sitsOnACommitteeThatVotedOn(
  db: Database | Transaction,
  applicationId: string,
  userId: string,
): Promise<boolean> {
  const session: unknown = await db('vote_sessions')
    .join('committee_members', 'committee_members.committee_id', 'vote_sessions.committee_id')
    .where({ 'vote_sessions.application_id': applicationId, 'committee_members.user_id': userId })
    .first('vote_sessions.id');
  return session !== undefined;
}

/** The ids of the fund's committees, in order. */
export async function committeesOfFund(db: Database | Transaction, fundId: string): Promise<string[]> {
  return db('committees').where('fund_id', fundId).orderBy('id').pluck('id');
}

/** The name of the committee whose vote approved the grant of a file, if one did. */
export async function committeeThatApproved(
  db: Database | Transaction,
  applicationId: string,
): Promise<string | undefined> {
  const session: unknown = await db('vote_sessions')
    .join('committees', 'committees.id', 'vote_sessions.committee_id')
    .where({ application_id: applicationId, outcome: 'adopted', motion: 'approve' })
    .orderBy('closed_at', 'desc')
    .first('committees.name');
  return (session as { name: string } | undefined)?.name;
}
