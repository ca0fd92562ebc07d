import type { AppContext } from '../context';
import { closeDueSessions } from '../committees/service';
import { documentKinds } from '../documents/kinds';
import { renderDocument, type RenderRequest } from '../documents/service';
import { emailReceipt } from '../endowment/receipt-mail';
import { runDonationImport } from '../endowment/import';
import { runLedgerHousekeeping } from '../ledger/housekeeping';
import { verifyBooks } from '../books';
import { sendNotificationEmail } from '../notifications/service';
import { sendInvitationEmail } from '../organisations/people';

/** Every queued job by name. Each may run more than once and does its work once. */
export const jobHandlers: Record<string, (app: AppContext, data: Record<string, unknown>) => Promise<unknown>> = {
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
  'donations.import': (app, data) => runDonationImport(app.db, String(data.importId)),
  'committees.close-due-sessions': async (app) => ({ closed: await closeDueSessions(app.db) }),
};
