import type { AppContext } from '../context';
import { readDocument, renderDocument } from '../documents/service';
import { deliver } from '../notifications/mail';
import { endowmentMessages } from './messages';
import { receiptDocumentKey, taxReceiptDocument } from './receipts';

/** The job: renders the receipt if need be and e-mails it once, to a donor who agreed to e-mail. */
export async function emailReceipt(app: AppContext, receiptId: string): Promise<{ sent: boolean }> {
  const receipt = await app
    .db('tax_receipts')
    .join('donors', 'donors.id', 'tax_receipts.donor_id')
    .where('tax_receipts.id', receiptId)
    .first('tax_receipts.*', 'donors.email', 'donors.consent_email');
  if (!receipt || receipt.emailed_at || receipt.cancelled_at || !receipt.email || !receipt.consent_email)
    return { sent: false };
  const document = await renderDocument(
    app.db,
    { [taxReceiptDocument.kind]: taxReceiptDocument },
    {
      kind: 'tax-receipt',
      subjectType: 'tax-receipt',
      subjectId: receiptId,
      documentKey: receiptDocumentKey(receiptId),
    },
  );
  const stored = await readDocument(app.db, document.id);
  await deliver(
    app,
    {
      from: app.config.mailFrom,
      to: receipt.email,
      subject: endowmentMessages.receiptMailSubject(receipt.reference),
      text: endowmentMessages.receiptMailText(receipt.reference, `${app.config.publicUrl}/mes-dons`),
      attachments: [{ filename: stored.fileName, content: stored.content, contentType: 'application/pdf' }],
      headers: { 'X-Milliard-Receipt': receipt.reference },
    },
    `receipt-${receipt.reference}.eml`,
  );
  await app.db('tax_receipts').where('id', receiptId).update({ emailed_at: app.db.fn.now() });
  return { sent: true };
}
