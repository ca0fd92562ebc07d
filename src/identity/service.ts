import type { Database, Transaction } from '../db/database';
import { containing, pageOf, type Page } from '../db/pagination';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../errors';
import { type Principal, type Role, type RoleGrant, type ScopeType } from './roles';
import { assertAcceptablePassword } from './password-policy';
import { decoyPasswordHash, hashPassword, newSecret, passwordMatches, sha256 } from './secrets';
import { identityMessages } from './messages';
import { grantRole } from './role-grants';

type Reader = Database | Transaction;

export { passwordLengthMin } from './password-policy';
export const apiTokensPerUserMax = 20;

export type User = {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  disabledAt: Date | null;
  roles: RoleGrant[];
};

export type NewUser = {
  email: string;
  displayName: string;
  password?: string | undefined;
  roles: { role: Role; scopeId?: string | undefined }[];
};

/** A new account and its roles; `createdBy`, the administrator who made it (none for the seed), is kept with each role. */
export async function createUser(trx: Transaction, input: NewUser, createdBy: string | null = null): Promise<User> {
  const email = input.email.trim().toLowerCase();
  if (input.password !== undefined) assertAcceptablePassword(input.password, [email, input.displayName]);
  const existing = await trx('users').where('email', email).first('id');
  if (existing) throw new ConflictError(identityMessages.emailTaken);
  const [row] = await trx('users')
    .insert({
      email,
      display_name: input.displayName,
      password_hash: input.password === undefined ? null : await hashPassword(input.password),
    })
    .returning(['id']);
  for (const grant of input.roles) await grantRole(trx, { userId: row.id, ...grant, changedBy: createdBy });
  return getUser(trx, row.id);
}

export async function getUser(db: Reader, userId: string): Promise<User> {
  const row = await db('users').where('id', userId).first();
  if (!row) throw new NotFoundError(identityMessages.userMissing);
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    roles: await grantsOf(db, userId),
  };
}

/** Who holds a role, within a scope when the role takes one (the applicants of an organisation, the members of a committee). */
export async function holdersOf(db: Reader, role: Role, scope?: { type: ScopeType; id: string }): Promise<string[]> {
  const query = db<{ user_id: string; role: string; scope_type: string | null; scope_id: string | null }>(
    'role_grants',
  ).where('role', role);
  if (scope) query.where({ scope_type: scope.type, scope_id: scope.id });
  return (await query.distinct('user_id')).map((row) => row.user_id);
}

/** Whether the person holds the role: in this scope, or in any when none is named. */
export async function holdsRole(
  db: Reader,
  userId: string,
  role: Role,
  scope?: { type: ScopeType; id: string },
): Promise<boolean> {
  const query = db('role_grants').where({ user_id: userId, role });
  if (scope) query.where({ scope_type: scope.type, scope_id: scope.id });
  return Boolean(await query.first('id'));
}

/** The account of an e-mail address, if there is one (addresses are kept lower-case). */
export async function userIdByEmail(
  db: Reader,
  email: string,
  options: { role?: Role } = {},
): Promise<string | undefined> {
  const query = db('users').where('users.email', email.trim().toLowerCase());
  if (options.role)
    query.join('role_grants', 'role_grants.user_id', 'users.id').where('role_grants.role', options.role);
  const row: unknown = await query.first('users.id');
  return (row as { id: string } | undefined)?.id;
}

/** Whether the person has chosen a password yet (an invited person has not). */
export async function hasPassword(db: Reader, userId: string): Promise<boolean> {
  const row: unknown = await db('users').where('id', userId).first('password_hash');
  return Boolean((row as { password_hash: string | null } | undefined)?.password_hash);
}

export type EmailChoice = 'all' | 'important' | 'none';

/** How to write to a person, and which notices they chose to receive by e-mail (kept on their account). */
export async function mailContactOf(
  db: Reader,
  userId: string,
): Promise<{ name: string; email: string; emailChoice: EmailChoice } | undefined> {
  const row = await db<{ id: string; display_name: string; email: string; email_notifications: EmailChoice }>('users')
    .where('id', userId)
    .first('display_name', 'email', 'email_notifications');
  return row && { name: row.display_name, email: row.email, emailChoice: row.email_notifications };
}

export async function setEmailChoice(db: Reader, userId: string, choice: EmailChoice): Promise<void> {
  await db('users').where('id', userId).update({ email_notifications: choice });
}

/** How to reach these people: name and e-mail, by name. */
export async function contactsOf(
  db: Reader,
  userIds: readonly string[],
): Promise<{ userId: string; name: string; email: string }[]> {
  const rows = await db<{ id: string; display_name: string; email: string }>('users')
    .whereIn('id', userIds)
    .orderBy('display_name')
    .select('id', 'display_name', 'email');
  return rows.map((row) => ({ userId: row.id, name: row.display_name, email: row.email }));
}

/** The names of these people, by id (an id that is no one's is left out): how other modules show who did what. */
export async function namesOf(db: Reader, userIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db<{ id: string; display_name: string }>('users')
    .whereIn('id', userIds)
    .select('id', 'display_name');
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

export async function listUsers(db: Reader): Promise<User[]> {
  const rows = await db('users').orderBy('email');
  const grants = await db('role_grants').orderBy('id');
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    roles: grants.filter((grant) => grant.user_id === row.id).map(toGrant),
  }));
}

/** The accounts by name or address, alphabetically, a page at a time, each with its roles. */
export async function findUsers(db: Reader, filter: Page & { search?: string | undefined }) {
  const query = db('users');
  if (filter.search) {
    const pattern = containing(filter.search);
    query.where((match) => {
      match.whereILike('email', pattern).orWhereILike('display_name', pattern);
    });
  }
  const { rows, ...page } = await pageOf<Record<string, any>>(query, filter, (read) =>
    read.orderBy([{ column: 'email' }, { column: 'id' }]).select('*'),
  );
  const grants = await db('role_grants')
    .whereIn(
      'user_id',
      rows.map((row) => row.id as string),
    )
    .orderBy('id');
  return {
    ...page,
    users: rows.map((row) => ({
      id: row.id as string,
      email: row.email as string,
      displayName: row.display_name as string,
      createdAt: row.created_at as Date,
      disabledAt: row.disabled_at as Date | null,
      roles: grants.filter((grant) => grant.user_id === row.id).map(toGrant),
    })),
  };
}

async function grantsOf(db: Reader, userId: string): Promise<RoleGrant[]> {
  return (await db('role_grants').where('user_id', userId).orderBy('id')).map(toGrant);
}

const toGrant = (row: Record<string, any>): RoleGrant => ({
  role: row.role,
  scopeType: row.scope_type,
  scopeId: row.scope_id,
});

export async function principalOf(db: Reader, userId: string, via: Principal['via']): Promise<Principal | undefined> {
  const user = await db('users').where('id', userId).whereNull('disabled_at').first();
  if (!user) return undefined;
  return { userId, email: user.email, displayName: user.display_name, grants: await grantsOf(db, userId), via };
}

/** Checks a password and opens a session. The same answer whether the e-mail or the password is wrong. */
export async function logIn(
  db: Database,
  email: string,
  password: string,
  sessionTtlHours: number,
): Promise<{ token: string; principal: Principal; expiresAt: Date }> {
  const user = await db('users').where('email', email.trim().toLowerCase()).whereNull('disabled_at').first();
  const matches = await passwordMatches(user?.password_hash ?? (await decoyPasswordHash()), password);
  if (!user || !user.password_hash || !matches) throw new UnauthenticatedError(identityMessages.wrongCredentials);
  const token = newSecret('mls_');
  const expiresAt = new Date(Date.now() + sessionTtlHours * 3_600_000);
  await db('sessions').insert({ token_sha256: sha256(token), user_id: user.id, expires_at: expiresAt });
  return { token, principal: (await principalOf(db, user.id, 'session'))!, expiresAt };
}

/**
 * A new password for a person: checked against the policy and their own e-mail
 * and name, and every other session of theirs ended (a stolen session does not
 * survive the change). `keepSessionToken` is the session making the change.
 */
export async function setPassword(
  trx: Transaction,
  userId: string,
  password: string,
  keepSessionToken?: string,
): Promise<void> {
  const user = await trx('users').where('id', userId).forUpdate().first('email', 'display_name');
  if (!user) throw new NotFoundError(identityMessages.userMissing);
  assertAcceptablePassword(password, [user.email, user.display_name]);
  await trx('users')
    .where('id', userId)
    .update({ password_hash: await hashPassword(password) });
  const others = trx('sessions').where('user_id', userId).whereNull('revoked_at');
  if (keepSessionToken) others.whereNot('token_sha256', sha256(keepSessionToken));
  await others.update({ revoked_at: trx.fn.now() });
}

/** The person changes their own password, proving they know the current one. */
export async function changePassword(
  trx: Transaction,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  sessionToken: string | undefined,
): Promise<void> {
  const user = await trx('users').where('id', principal.userId).first('password_hash');
  if (!user?.password_hash || !(await passwordMatches(user.password_hash, input.currentPassword))) {
    throw new ValidationError([{ path: ['currentPassword'], message: identityMessages.currentPasswordWrong }]);
  }
  if (input.currentPassword === input.newPassword)
    throw new ValidationError([{ path: ['newPassword'], message: identityMessages.newPasswordSame }]);
  await setPassword(trx, principal.userId, input.newPassword, principal.via === 'session' ? sessionToken : undefined);
}

/** Ends every open session of a person (lost phone, shared computer): how many were open. */
export async function endAllSessions(db: Reader, userId: string): Promise<number> {
  return db('sessions')
    .where('user_id', userId)
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', db.fn.now())
    .update({ revoked_at: db.fn.now() });
}

/**
 * An admin disables an account (someone who left): their sessions and API tokens
 * end at once and they can no longer log in; their history stays. Re-enabling
 * gives back the login, not the ended sessions or tokens.
 */
export async function setAccountDisabled(
  trx: Transaction,
  admin: Principal,
  userId: string,
  disabled: boolean,
): Promise<User> {
  if (disabled && admin.userId === userId) throw new ConflictError(identityMessages.cannotDeactivateSelf);
  const [row] = await trx('users')
    .where('id', userId)
    .update({ disabled_at: disabled ? trx.raw('coalesce(disabled_at, now())') : null })
    .returning('id');
  if (!row) throw new NotFoundError(identityMessages.userMissing);
  if (disabled) {
    await trx('sessions').where('user_id', userId).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
    await trx('api_tokens').where('user_id', userId).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
  }
  return getUser(trx, userId);
}

export async function logOut(db: Database, token: string): Promise<void> {
  await db('sessions').where('token_sha256', sha256(token)).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

export async function principalFromSession(db: Database, token: string): Promise<Principal | undefined> {
  const session = await db('sessions')
    .where('token_sha256', sha256(token))
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', db.fn.now())
    .first('user_id');
  return session ? principalOf(db, session.user_id, 'session') : undefined;
}

export async function principalFromApiToken(db: Database, token: string): Promise<Principal | undefined> {
  const [row] = await db('api_tokens')
    .where('token_sha256', sha256(token))
    .whereNull('revoked_at')
    .andWhere((query) => {
      query.whereNull('expires_at').orWhere('expires_at', '>', db.fn.now());
    })
    .update({ last_used_at: db.fn.now() })
    .returning('user_id');
  return row ? principalOf(db, row.user_id, 'api-token') : undefined;
}

export type ApiToken = {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
};

/**
 * The token is returned once, here, and never again: only its hash is kept. Every
 * token expires (the instance's API_TOKEN_TTL_DAYS unless asked for less), and only
 * a person logged in makes one: a token never makes another, so revoking a token
 * leaves nothing it made behind.
 */
export async function createApiToken(
  trx: Transaction,
  principal: Principal,
  name: string,
  expiresInDays: number,
): Promise<{ token: string; apiToken: ApiToken }> {
  if (principal.via === 'api-token') throw new ForbiddenError(identityMessages.tokenCannotMintTokens);
  const userId = principal.userId;
  const count = await trx('api_tokens').where('user_id', userId).whereNull('revoked_at').count({ total: '*' }).first();
  if (Number(count?.total ?? 0) >= apiTokensPerUserMax) {
    throw new ConflictError(identityMessages.tooManyTokens(apiTokensPerUserMax));
  }
  const token = newSecret('mlk_');
  const [row] = await trx('api_tokens')
    .insert({
      user_id: userId,
      name,
      token_sha256: sha256(token),
      token_prefix: token.slice(0, 8),
      expires_at: new Date(Date.now() + expiresInDays * 86_400_000),
    })
    .returning('*');
  return { token, apiToken: toApiToken(row) };
}

export async function listApiTokens(db: Reader, userId: string): Promise<ApiToken[]> {
  return (await db('api_tokens').where('user_id', userId).whereNull('revoked_at').orderBy('created_at')).map(
    toApiToken,
  );
}

export async function revokeApiToken(db: Reader, userId: string, tokenId: string): Promise<void> {
  const updated = await db('api_tokens')
    .where({ id: tokenId, user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
  if (updated === 0) throw new NotFoundError(identityMessages.tokenMissing);
}

const toApiToken = (row: Record<string, any>): ApiToken => ({
  id: row.id,
  name: row.name,
  prefix: row.token_prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
});
