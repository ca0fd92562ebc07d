import { committeeMinutesDocument } from '../committees/minutes';
import { taxReceiptDocument } from '../endowment/receipts';
import { grantAgreementDocument } from '../pathway/agreement';
import type { DocumentKind } from './service';

/** Every kind of generated document; later modules add receipts, statements, proofs. */
export const documentKinds: Record<string, DocumentKind> = Object.fromEntries(
  [grantAgreementDocument, committeeMinutesDocument, taxReceiptDocument].map((kind) => [kind.kind, kind]),
);
