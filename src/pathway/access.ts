import type { Database, Transaction } from '../db/database';
import { NotFoundError } from '../errors';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { sitsOnACommitteeThatVotedOn } from '../committees/membership';
import { findWorkflow, type WorkflowInstance } from '../workflow-runtime';
import type { ApplicationContext } from '../../workflows/application.machine';
import { pathwayMessages } from './messages';

/**
 * Who stands where on a file: the relations a person has to it (applicant of
 * its organisation, its referent, a member of a committee voting on it, an
 * admin), which the workflow's permissions are written against; someone with
 * none gets 404.
 */
export const applicationSubject = (applicationId: string) => ({ type: 'application', id: applicationId });

export type ApplicationRow = {
  id: string;
  organisation_id: string;
  fund_id: string;
  committee_id: string | null;
  pre_proposal: { need: string; project: string; amountFromMinor: string; amountToMinor: string } | null;
  proposal: Record<string, unknown>;
  /** The file of another fund this one continues, when a committee redirected the project here. */
  redirected_from_id: string | null;
};

/**
 * How the person stands to this application: what the workflow's permissions are
 * written against. A member of a committee voting on the file may read it.
 */
export function relationsOf(
  principal: Principal,
  application: ApplicationRow,
  context: ApplicationContext,
  votingOnIt = false,
): string[] {
  return [
    ...(votingOnIt ? ['committee-member'] : []),
    ...(isAdmin(principal) ? ['admin'] : []),
    ...(scopesHeld(principal, ['applicant'], 'organisation').includes(application.organisation_id)
      ? ['applicant']
      : []),
    ...(context.referentId === principal.userId ? ['referent'] : []),
    // New contacts wait in a queue that every referent sees, until one takes charge.
    ...(context.referentId === null && principal.grants.some((grant) => grant.role === 'referent')
      ? ['referent-pool']
      : []),
  ];
}

/** A member of the committee the file was sent to, or of a committee that voted on it, may read it. */
async function isOnItsCommittee(
  db: Database | Transaction,
  row: { id: string; committee_id: string | null },
  principal: Principal,
): Promise<boolean> {
  if (row.committee_id !== null && scopesHeld(principal, ['committee_member'], 'committee').includes(row.committee_id))
    return true;
  return sitsOnACommitteeThatVotedOn(db, row.id, principal.userId);
}

export async function visibleApplication(
  db: Database | Transaction,
  applicationId: string,
  principal: Principal,
  instance: WorkflowInstance<ApplicationContext>,
) {
  const row = await db<ApplicationRow>('applications').where('id', applicationId).first();
  // Someone with no relation to the file learns nothing, not even that it exists.
  if (!row) throw new NotFoundError(pathwayMessages.fileMissing);
  const relations = relationsOf(principal, row, instance.context, await isOnItsCommittee(db, row, principal));
  if (relations.length === 0) throw new NotFoundError(pathwayMessages.fileMissing);
  return { row, relations };
}

/** The person's relations to a file they may see (404 otherwise), with the file and its state. */
export async function relationsOnApplication(db: Database | Transaction, applicationId: string, principal: Principal) {
  const instance = await findWorkflow<ApplicationContext>(db, 'application', applicationSubject(applicationId)).catch(
    () => {
      throw new NotFoundError(pathwayMessages.fileMissing);
    },
  );
  return { ...(await visibleApplication(db, applicationId, principal, instance)), instance };
}

/** Throws 404 unless the person has a relation to the file (for its documents). */
export async function assertApplicationVisible(
  db: Database | Transaction,
  applicationId: string,
  principal: Principal,
): Promise<void> {
  await relationsOnApplication(db, applicationId, principal);
}

/** A file as stored, for another module that already knows the person may see it (a document about it, a vote on it). */
export async function applicationRow(db: Database | Transaction, applicationId: string): Promise<ApplicationRow> {
  const row = await db<ApplicationRow>('applications').where('id', applicationId).first();
  if (!row) throw new NotFoundError(pathwayMessages.fileMissing);
  return row;
}
