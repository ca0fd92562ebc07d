import type { AppContext } from '../context';
import type { Database, Transaction } from '../db/database';
import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import {
  contactsOf,
  createUser,
  hasPassword,
  holdersOf,
  holdsRole,
  namesOf,
  passwordLengthMin,
  setPassword,
  userIdByEmail,
} from '../identity/service';
import { grantRole } from '../identity/role-grants';
import { newSecret, sha256 } from '../identity/secrets';
import type { Principal } from '../identity/roles';
import { enqueue } from '../jobs/outbox';
import { deliver } from '../notifications/mail';
import { getOrganisation } from './service';
import { organisationsMessages } from './messages';

/**
 * The people of an organisation: users holding the applicant role on it,
 * invited by e-mail by one of them (or by the team). The invitation's link is
 * drawn when the e-mail is written; accepting it proves the address and grants
 * the role — and sets a password for someone new to milliard.
 */
export const invitationValidityDays = 14;

export async function invite(
  trx: Transaction,
  organisationId: string,
  input: { email: string; displayName: string },
  principal: Principal,
): Promise<string> {
  await getOrganisation(trx, organisationId);
  const email = input.email.trim().toLowerCase();
  const userId =
    (await userIdByEmail(trx, email)) ??
    (await createUser(trx, { email, displayName: input.displayName, roles: [] })).id;
  if (await holdsRole(trx, userId, 'applicant', { type: 'organisation', id: organisationId })) {
    throw new ConflictError(organisationsMessages.alreadyMember);
  }
  const [row] = await trx('organisation_invitations')
    .insert({
      organisation_id: organisationId,
      email,
      user_id: userId,
      invited_by: principal.userId,
      expires_at: trx.raw(`now() + interval '${invitationValidityDays} days'`),
    })
    .returning('id');
  await enqueue(trx, {
    jobName: 'invitation.email',
    payload: { invitationId: row.id },
    dedupeKey: `invitation-email:${row.id}`,
  });
  return row.id;
}

export async function people(db: Database, organisationId: string) {
  const members = await contactsOf(db, await holdersOf(db, 'applicant', { type: 'organisation', id: organisationId }));
  const invitations = await db('organisation_invitations')
    .where('organisation_id', organisationId)
    .whereNull('accepted_at')
    .where('expires_at', '>', db.fn.now())
    .orderBy('created_at')
    .select('id', 'email', 'created_at as createdAt', 'expires_at as expiresAt', 'emailed_at as emailedAt');
  return { members, invitations };
}

/** The job: writes the invitation e-mail once, with a freshly drawn link. */
export async function sendInvitationEmail(app: AppContext, invitationId: string): Promise<{ sent: boolean }> {
  const invitation = await app
    .db('organisation_invitations')
    .join('organisations', 'organisations.id', 'organisation_invitations.organisation_id')
    .where('organisation_invitations.id', invitationId)
    .first('organisation_invitations.*', 'organisations.name as organisation_name');
  if (!invitation || invitation.emailed_at || invitation.accepted_at) return { sent: false };
  const inviterName = (await namesOf(app.db, [invitation.invited_by])).get(invitation.invited_by) ?? 'Quelqu’un';
  const token = newSecret('inv_');
  const message = {
    from: app.config.mailFrom,
    to: invitation.email,
    subject: `[milliard] ${inviterName} vous invite à rejoindre ${invitation.organisation_name}`,
    text: `Bonjour,\n\n${inviterName} vous invite à suivre les dossiers de ${invitation.organisation_name} sur milliard.\n\nPour accepter (lien valable ${invitationValidityDays} jours), ouvrez :\n\n${app.config.publicUrl}/invitation?jeton=${token}\n\n— opération Milliard\n`,
    headers: { 'X-Milliard-Invitation': invitationId },
  };
  await deliver(app, message, `invitation-${invitationId}.eml`);
  await app
    .db('organisation_invitations')
    .where('id', invitationId)
    .update({ token_sha256: sha256(token).toString('hex'), emailed_at: app.db.fn.now() });
  return { sent: true };
}

/** An invitation still open (not accepted, not expired), as its page shows it; undefined for any other token. */
export async function openInvitation(
  db: Database | Transaction,
  token: string,
): Promise<{ email: string; organisationName: string; needsPassword: boolean } | undefined> {
  const invitation = await db('organisation_invitations')
    .join('organisations', 'organisations.id', 'organisation_invitations.organisation_id')
    .where('organisation_invitations.token_sha256', sha256(token).toString('hex'))
    .whereNull('organisation_invitations.accepted_at')
    .where('organisation_invitations.expires_at', '>', db.fn.now())
    .first('organisation_invitations.email', 'organisation_invitations.user_id', 'organisations.name');
  if (!invitation) return undefined;
  return {
    email: invitation.email,
    organisationName: invitation.name,
    needsPassword: !(await hasPassword(db, invitation.user_id)),
  };
}

export async function acceptInvitation(
  trx: Transaction,
  input: { token: string; password?: string | undefined },
): Promise<{ organisationId: string; email: string }> {
  const invitation = await trx('organisation_invitations')
    .where('token_sha256', sha256(input.token).toString('hex'))
    .forUpdate()
    .first();
  if (!invitation || invitation.accepted_at || invitation.expires_at <= new Date()) {
    throw new RuleViolationError('organisations/invitation-invalid', organisationsMessages.invitationUnusable);
  }
  if (!(await hasPassword(trx, invitation.user_id))) {
    if (!input.password)
      throw new ValidationError([
        { path: ['password'], message: organisationsMessages.passwordTooShort(passwordLengthMin) },
      ]);
    await setPassword(trx, invitation.user_id, input.password);
  }
  // The role is given by whoever invited: the invitation accepted is their act completed.
  await grantRole(trx, {
    userId: invitation.user_id,
    role: 'applicant',
    scopeId: invitation.organisation_id,
    changedBy: invitation.invited_by,
  });
  await trx('organisation_invitations').where('id', invitation.id).update({ accepted_at: trx.fn.now() });
  return { organisationId: invitation.organisation_id, email: invitation.email };
}
