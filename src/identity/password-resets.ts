import type { AppContext } from '../context';
import type { Database, Transaction } from '../db/database';
import { RuleViolationError } from '../errors';
import { enqueue } from '../jobs/outbox';
import { deliver } from '../notifications/mail';
import { identityMessages } from './messages';
import { newSecret, sha256 } from './secrets';
import { setPassword, userIdByEmail } from './service';

/**
 * "Mot de passe oublié". Asking never says whether the address has an account
 * (the answer is the same); for an active account, a link valid an hour is
 * e-mailed, its token drawn when the e-mail is written and kept only as a hash.
 * Using it sets the password, closes every session, and spends the link.
 * The same link opens an account the team created for someone: its e-mail
 * says why the account exists, and it serves for days, not an hour.
 */
export const resetValidityMinutes = 60;
export const accountOpeningValidityDays = 14;
/** Beyond this many requests in an hour, new ones are dropped silently: a mailbox is not to be flooded. */
const resetsPerHourMax = 3;

type ResetRow = {
  id: string;
  user_id: string;
  token_sha256: string | null;
  expires_at: Date;
  emailed_at: Date | null;
  used_at: Date | null;
  purpose: 'reset' | 'account-opening';
  note: string | null;
};

const enqueueEmail = (trx: Transaction, resetId: string) =>
  enqueue(trx, {
    jobName: 'password-reset.email',
    payload: { resetId },
    dedupeKey: `password-reset-email:${resetId}`,
  });

export async function requestPasswordReset(trx: Transaction, email: string): Promise<void> {
  const userId = await userIdByEmail(trx, email);
  if (!userId) return;
  const active: { disabled_at: Date | null } | undefined = await trx('users').where('id', userId).first('disabled_at');
  if (!active || active.disabled_at) return;
  const recent = await trx<ResetRow>('password_resets')
    .where('user_id', userId)
    .where('requested_at', '>', trx.raw("now() - interval '1 hour'"))
    .count<{ count: string }[]>('* as count');
  if (Number(recent[0]?.count ?? 0) >= resetsPerHourMax) return;
  const [row] = await trx<ResetRow>('password_resets')
    .insert({ user_id: userId, expires_at: trx.raw(`now() + interval '${resetValidityMinutes} minutes'`) })
    .returning('id');
  await enqueueEmail(trx, row!.id);
}

/** For someone whose account the team created: an e-mail saying why (`note`), with a link to choose a password. */
export async function openAccount(trx: Transaction, userId: string, note: string): Promise<void> {
  const [row] = await trx<ResetRow>('password_resets')
    .insert({
      user_id: userId,
      purpose: 'account-opening',
      note,
      expires_at: trx.raw(`now() + interval '${accountOpeningValidityDays} days'`),
    })
    .returning('id');
  await enqueueEmail(trx, row!.id);
}

/** The job: writes the e-mail once, with a freshly drawn link. */
export async function sendPasswordResetEmail(app: AppContext, resetId: string): Promise<{ sent: boolean }> {
  const reset = await app
    .db<ResetRow>('password_resets')
    .join('users', 'users.id', 'password_resets.user_id')
    .where('password_resets.id', resetId)
    .first<(ResetRow & { email: string; display_name: string }) | undefined>(
      'password_resets.*',
      'users.email',
      'users.display_name',
    );
  if (!reset || reset.emailed_at || reset.used_at) return { sent: false };
  const token = newSecret('pwr_');
  const link = `${app.config.publicUrl}/mot-de-passe/nouveau?jeton=${token}`;
  await deliver(
    app,
    {
      from: app.config.mailFrom,
      to: reset.email,
      ...(reset.purpose === 'account-opening'
        ? {
            subject: identityMessages.openingMailSubject,
            text: identityMessages.openingMailText(
              reset.display_name,
              reset.note!,
              link,
              accountOpeningValidityDays,
              reset.email,
            ),
          }
        : {
            subject: identityMessages.resetMailSubject,
            text: identityMessages.resetMailText(reset.display_name, link, resetValidityMinutes),
          }),
    },
    `password-reset-${resetId}.eml`,
  );
  await app
    .db<ResetRow>('password_resets')
    .where('id', resetId)
    .update({ token_sha256: sha256(token).toString('hex'), emailed_at: app.db.fn.now() });
  return { sent: true };
}

/** Whether the link still serves (its page asks for the new password only then). */
export type ResetPurpose = ResetRow['purpose'];

/** What an unused, unexpired link is for — a forgotten password, or an account the team opened — if it is one. */
export async function openResetPurpose(db: Database, token: string): Promise<ResetPurpose | null> {
  return (await openReset(db, token))?.purpose ?? null;
}

export async function resetPassword(trx: Transaction, token: string, password: string): Promise<ResetPurpose> {
  const reset = await openReset(trx, token, true);
  if (!reset) throw new RuleViolationError('identity/reset-invalid', identityMessages.resetUnusable);
  await setPassword(trx, reset.user_id, password);
  await trx<ResetRow>('password_resets').where('id', reset.id).update({ used_at: trx.fn.now() });
  return reset.purpose;
}

async function openReset(db: Database | Transaction, token: string, lock = false): Promise<ResetRow | undefined> {
  const query = db<ResetRow>('password_resets')
    .where('token_sha256', sha256(token).toString('hex'))
    .whereNull('used_at')
    .where('expires_at', '>', db.fn.now());
  return lock ? query.forUpdate().first() : query.first();
}
