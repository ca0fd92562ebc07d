import { committeeMinutesDocument } from './committees/minutes';
import { taxReceiptDocument } from './endowment/receipts';
import { grantAgreementDocument } from './pathway/agreement';
import type { DocumentKind } from './documents/service';
import type { DocumentReaders } from './documents/routes';
import { assertSessionVisible } from './committees/sessions';
import { assertApplicationVisible } from './pathway/access';
import { assertReceiptVisible } from './endowment/receipts';
import {
  assertDistributionNoticeVisible,
  assertNoticeVisible,
  capitalCallNoticeDocument,
  distributionNoticeDocument,
} from './fpci/notices';
import { assertAssetsStatementVisible, assetsStatementDocument } from './reporting/assets-statement';
import { assertStatementVisible, quarterlyStatementDocument } from './reporting/statement-document';

/** Every kind of generated document; later modules add receipts, statements, proofs. */
export const documentKinds: Record<string, DocumentKind> = Object.fromEntries(
  [
    grantAgreementDocument,
    committeeMinutesDocument,
    taxReceiptDocument,
    capitalCallNoticeDocument,
    distributionNoticeDocument,
    quarterlyStatementDocument,
    assetsStatementDocument,
  ].map((kind) => [kind.kind, kind]),
);

/** Who may read a document of each subject: whoever may see the subject itself. */
export const documentReaders: DocumentReaders = {
  application: assertApplicationVisible,
  'vote-session': assertSessionVisible,
  'tax-receipt': assertReceiptVisible,
  'capital-call-notice': assertNoticeVisible,
  'distribution-notice': assertDistributionNoticeVisible,
  'quarterly-statement': assertStatementVisible,
  'assets-statement': assertAssetsStatementVisible,
};
