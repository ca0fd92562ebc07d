import { closeDueSessions } from './committees/deadlines';
import { documentKinds } from './document-kinds';
import { renderDocument, type RenderRequest } from './documents/service';
import { emailReceipt } from './endowment/receipt-mail';
import { runDonationImport } from './endowment/import';
import { runAnnualReceipts } from './endowment/annual-receipts';
import { runMatchProposals } from './treasury/proposal-runs';
import { runStatementUpload } from './treasury/statement-uploads';
import { runLedgerHousekeeping } from './ledger/housekeeping';
import { verifyBooks } from './books';
import { sendNotificationEmail } from './notifications/service';
import { sendInvitationEmail } from './organisations/people';
import { sendPasswordResetEmail } from './identity/password-resets';
import type { JobHandlers, RecurringJob } from './jobs/queue';

/** Every queued job by name. Each may run more than once and does its work once. */
export const jobHandlers: JobHandlers = {
  /** The nightly independent check of the books; a problem is logged at error level for the on-call admin. */
  'ledger.verify': async (app) => {
    const verification = await verifyBooks(app.db);
    const log = verification.ok ? app.logger.info.bind(app.logger) : app.logger.error.bind(app.logger);
    log({ problems: verification.problems, funds: verification.funds.length }, 'ledger verification');
    return { ok: verification.ok, problems: verification.problems.length };
  },
  'ledger.housekeeping': async (app) => ({ funds: await runLedgerHousekeeping(app.db) }),
  'document.render': (app, data) => renderDocument(app.db, documentKinds, data as RenderRequest),
  'notification.email': (app, data) => sendNotificationEmail(app, String(data.notificationId)),
  'receipt.email': (app, data) => emailReceipt(app, String(data.receiptId)),
  'invitation.email': (app, data) => sendInvitationEmail(app, String(data.invitationId)),
  'password-reset.email': (app, data) => sendPasswordResetEmail(app, String(data.resetId)),
  'donations.import': (app, data) => runDonationImport(app.db, String(data.importId)),
  'receipts.annual': (app, data) => runAnnualReceipts(app.db, String(data.runId)),
  'statements.read': (app, data) => runStatementUpload(app.db, String(data.uploadId)),
  'reconcile.propose': (app, data) => runMatchProposals(app.db, String(data.runId)),
  'committees.close-due-sessions': async (app) => ({ closed: await closeDueSessions(app.db) }),
};

/** What runs on a schedule, by the queue's job schedulers (one of each, whatever the number of workers). */
export const recurringJobs: readonly RecurringJob[] = [
  {
    id: 'nightly-ledger-verification',
    repeat: { pattern: '0 3 * * *', tz: 'Europe/Paris' },
    name: 'ledger.verify',
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  },
  { id: 'vote-deadlines', repeat: { every: 60_000 }, name: 'committees.close-due-sessions' },
  // Numbers entries committed while their counter was busy and folds balance movements (src/ledger/housekeeping.ts).
  {
    id: 'ledger-housekeeping',
    repeat: { every: 5_000 },
    name: 'ledger.housekeeping',
    opts: { removeOnComplete: 100, removeOnFail: 1_000 },
  },
];
