import type { Database, Transaction } from '../db/database';
import { NotFoundError, RuleViolationError, ValidationError } from '../errors';
import { findFund } from '../ledger/queries';
import { identityMessages } from './messages';
import { scopeTypeOfRole, type Principal, type Role, type ScopeType } from './roles';

/**
 * Roles given and withdrawn, each move kept in role_changes with who made it
 * (none for the seed and the system). A committee seat and a place in an
 * organisation have their own pages (the committee's, the invitation), so an
 * administrator gives the other roles here.
 */
export type RoleChange = {
  role: Role;
  scopeType: ScopeType | null;
  scopeId: string | null;
  change: 'granted' | 'withdrawn';
  changedBy: string | null;
  changedAt: Date;
};

/** The latest role changes an account's page and answer show. */
export const roleChangesShownMax = 100;

type Grant = { role: Role; scopeId?: string | undefined };

/** Roles that come with a relation of their own, given where it is made. */
const givenElsewhere: Partial<Record<Role, string>> = {
  committee_member: identityMessages.seatOnCommitteePage,
  applicant: identityMessages.memberByInvitation,
};

/** A role given or withdrawn: whose, on which scope, by whom (none for the seed and the system). */
export type RoleMove = { userId: string; role: Role; scopeId?: string | undefined; changedBy?: string | null };

export async function grantRole(trx: Transaction, move: RoleMove): Promise<void> {
  const { userId, role, scopeId } = move;
  const scopeType = await checkedScope(trx, role, scopeId);
  const inserted = await trx('role_grants')
    .insert({ user_id: userId, role, scope_type: scopeType, scope_id: scopeId ?? null })
    .onConflict(['user_id', 'role', 'scope_type', 'scope_id'])
    .ignore()
    .returning('id');
  if (inserted.length > 0) await recordChange(trx, move, 'granted');
}

/** Withdraws a role held; one not held is not found. */
export async function withdrawRole(trx: Transaction, move: RoleMove): Promise<void> {
  const { userId, role, scopeId } = move;
  const removed = await trx('role_grants')
    .where({ user_id: userId, role })
    .whereRaw('scope_id is not distinct from ?', [scopeId ?? null])
    .delete()
    .returning('id');
  if (removed.length === 0) throw new NotFoundError(identityMessages.roleNotHeld);
  await recordChange(trx, move, 'withdrawn');
}

async function recordChange(trx: Transaction, move: RoleMove, change: RoleChange['change']) {
  await trx('role_changes').insert({
    user_id: move.userId,
    role: move.role,
    scope_type: scopeTypeOfRole[move.role] ?? null,
    scope_id: move.scopeId ?? null,
    change,
    changed_by: move.changedBy ?? null,
  });
}

/** An administrator gives an existing account a role (given twice, held once). */
export async function grantRoleByAdmin(trx: Transaction, admin: Principal, userId: string, grant: Grant) {
  await accountOf(trx, userId);
  const elsewhere = givenElsewhere[grant.role];
  if (elsewhere) throw new ValidationError([{ path: ['role'], message: elsewhere }]);
  await checkedScope(trx, grant.role, grant.scopeId, ['scopeId']);
  await grantRole(trx, { userId, ...grant, changedBy: admin.userId });
}

/** An administrator withdraws a role; never her own administration (another administrator does it). */
export async function withdrawRoleByAdmin(trx: Transaction, admin: Principal, userId: string, grant: Grant) {
  await accountOf(trx, userId);
  if (grant.role === 'committee_member')
    throw new ValidationError([{ path: ['role'], message: identityMessages.seatOnCommitteePage }]);
  if (grant.role === 'admin' && userId === admin.userId)
    throw new RuleViolationError('identity/own-administration', identityMessages.ownAdministration);
  await withdrawRole(trx, { userId, ...grant, changedBy: admin.userId });
}

/** An account's role changes, the latest first, with who made them. */
export async function roleChangesOf(db: Database, userId: string, changesMax: number): Promise<RoleChange[]> {
  await accountOf(db, userId);
  const rows = await db('role_changes')
    .leftJoin('users', 'users.id', 'role_changes.changed_by')
    .where('role_changes.user_id', userId)
    .orderBy('role_changes.id', 'desc')
    .limit(changesMax)
    .select<
      {
        role: Role;
        scope_type: ScopeType | null;
        scope_id: string | null;
        change: RoleChange['change'];
        changed_by: string | null;
        changed_at: Date;
      }[]
    >(
      'role_changes.role',
      'role_changes.scope_type',
      'role_changes.scope_id',
      'role_changes.change',
      'users.display_name as changed_by',
      'role_changes.changed_at',
    );
  return rows.map((row) => ({
    role: row.role,
    scopeType: row.scope_type,
    scopeId: row.scope_id,
    change: row.change,
    changedBy: row.changed_by,
    changedAt: row.changed_at,
  }));
}

async function accountOf(db: Database | Transaction, userId: string) {
  if (!(await db('users').where('id', userId).first('id'))) throw new NotFoundError(identityMessages.userMissing);
}

/** The role's kind of scope, the scope checked; a refusal points at `path` (the roles of a new account, or the scope given). */
async function checkedScope(
  trx: Transaction,
  role: Role,
  scopeId: string | undefined,
  path: string[] = ['roles'],
): Promise<ScopeType | null> {
  const scopeType = scopeTypeOfRole[role];
  if (scopeType && !scopeId)
    throw new ValidationError([{ path, message: identityMessages.roleNeedsScope(role, scopeType) }]);
  if (!scopeType && scopeId) throw new ValidationError([{ path, message: identityMessages.roleWithoutScope(role) }]);
  if (scopeType === 'fund' && !(await findFund(trx, scopeId!)))
    throw new ValidationError([{ path, message: identityMessages.fundUnknown(scopeId) }]);
  return scopeType ?? null;
}
