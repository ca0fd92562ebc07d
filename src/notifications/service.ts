import { mailContactOf, type EmailChoice } from '../identity/service';
import type { AppContext } from '../context';
import type { Database, Transaction } from '../db/database';
import { assert, NotFoundError } from '../errors';
import { enqueue } from '../jobs/outbox';
import { deliver } from './mail';
import { notificationsMessages } from './messages';

/**
 * Telling people what happened to them: one row per person in the in-app inbox,
 * written in the transaction of the change, and an e-mail queued through the
 * outbox — sent by SMTP when configured, otherwise written as an .eml file in
 * the local mail outbox so that a newcomer can read what would have been sent.
 */
/** `important`: a decision, or something asked of the person — what reaches people who chose "important only" by e-mail. */
export type Notice = {
  subject: { type: string; id: string };
  title: string;
  body: string;
  link?: string;
  important?: boolean;
};

export async function notify(trx: Transaction, userIds: readonly string[], notice: Notice): Promise<void> {
  const recipients = [...new Set(userIds)];
  if (recipients.length === 0) return;
  const rows: { id: string }[] = await trx('notifications')
    .insert(
      recipients.map((userId) => ({
        user_id: userId,
        subject_type: notice.subject.type,
        subject_id: notice.subject.id,
        title: notice.title,
        body: notice.body,
        link: notice.link ?? null,
        important: notice.important ?? true,
      })),
    )
    .returning('id');
  for (const row of rows)
    await enqueue(trx, {
      jobName: 'notification.email',
      payload: { notificationId: row.id },
      dedupeKey: `notification-email:${row.id}`,
    });
}

export type InboxItem = {
  id: string;
  subjectType: string;
  subjectId: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
};

export async function inbox(
  db: Database,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
): Promise<InboxItem[]> {
  const query = db('notifications')
    .where('user_id', userId)
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(options.limit);
  if (options.unreadOnly) query.whereNull('read_at');
  const rows = await query;
  return rows.map((row) => ({
    id: row.id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.created_at,
    readAt: row.read_at,
  }));
}

export async function emailChoice(db: Database, userId: string): Promise<EmailChoice> {
  const contact = await mailContactOf(db, userId);
  assert(contact, `the account ${userId} of a signed-in person`);
  return contact.emailChoice;
}

export async function markRead(db: Database, userId: string, notificationId: string): Promise<void> {
  const updated = await db('notifications')
    .where({ id: notificationId, user_id: userId })
    .update({ read_at: db.raw('coalesce(read_at, now())') });
  if (updated === 0) throw new NotFoundError(notificationsMessages.notificationMissing);
}

/** The job: at most one e-mail per notification, even when the job runs twice. */
export async function sendNotificationEmail(
  app: AppContext,
  notificationId: string,
): Promise<{ sent: boolean; to?: string }> {
  const row = await app.db('notifications').where('id', notificationId).first();
  if (!row || row.emailed_at) return { sent: false };
  const contact = await mailContactOf(app.db, row.user_id);
  if (!contact) return { sent: false };
  // The person chose: every notice by e-mail, only the important ones, or none (the inbox keeps them all).
  if (contact.emailChoice === 'none' || (contact.emailChoice === 'important' && !row.important)) return { sent: false };
  const message = {
    from: app.config.mailFrom,
    to: { name: contact.name, address: contact.email },
    subject: `[milliard] ${row.title}`,
    text: `Bonjour ${contact.name},\n\n${row.body}\n${row.link ? `\n${app.config.publicUrl}${row.link}\n` : ''}\n— opération Milliard\n`,
    headers: { 'X-Milliard-Notification': notificationId },
  };
  await deliver(app, message, `${notificationId}.eml`);
  await app.db('notifications').where('id', notificationId).update({ emailed_at: app.db.fn.now() });
  return { sent: true, to: contact.email };
}
