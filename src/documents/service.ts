import { createHash } from 'node:crypto';
import type { Database, Transaction } from '../db/database';
import { NotFoundError } from '../errors';
import { enqueue, type OutboxMessage } from '../jobs/outbox';
import { renderPdf, type DocumentDefinition } from './pdf';
import { documentsMessages } from './messages';

/**
 * Generated documents: asked for inside the business transaction (through the
 * outbox), rendered by a queued job, stored once with their SHA-256. The
 * document key makes rendering idempotent: a job run twice stores one document.
 */
export type Subject = { type: string; id: string };

export type DocumentKind = {
  kind: string;
  /** Reads what the document shows, as it stands when the job runs. */
  build: (
    db: Database,
    subjectId: string,
    createdAt: Date,
  ) => Promise<{ fileName: string; definition: DocumentDefinition & { info: { title: string } } }>;
};

export type StoredDocument = {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sha256: string;
  byteSize: number;
  createdAt: Date;
};

export type RenderRequest = { kind: string; subjectType: string; subjectId: string; documentKey: string };

export async function requestDocument(
  trx: Transaction,
  kind: string,
  subject: Subject,
  documentKey: string,
): Promise<void> {
  await enqueue(trx, documentRequest(kind, subject, documentKey));
}

/** The outbox message asking for a document, for a caller that queues many at once. */
export function documentRequest(kind: string, subject: Subject, documentKey: string): OutboxMessage {
  const payload: RenderRequest = { kind, subjectType: subject.type, subjectId: subject.id, documentKey };
  return { jobName: 'document.render', payload, dedupeKey: `document:${documentKey}` };
}

export const sha256Hex = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

export async function renderDocument(
  db: Database,
  kinds: Record<string, DocumentKind>,
  request: RenderRequest,
): Promise<{ id: string; sha256: string }> {
  const existing = await db('documents').where('document_key', request.documentKey).first('id', 'sha256');
  if (existing) return existing;
  const kind = kinds[request.kind];
  if (!kind) throw new Error(`Unknown document kind ${request.kind}`);
  const createdAt = new Date();
  const { fileName, definition } = await kind.build(db, request.subjectId, createdAt);
  const content = await renderPdf(definition, createdAt);
  const row = {
    kind: request.kind,
    subject_type: request.subjectType,
    subject_id: request.subjectId,
    document_key: request.documentKey,
    file_name: fileName,
    content_type: 'application/pdf',
    content,
    sha256: sha256Hex(content),
    created_at: createdAt,
  };
  // Two workers racing on one key: the first insert wins, the other reads it.
  await db('documents').insert(row).onConflict('document_key').ignore();
  return db('documents').where('document_key', request.documentKey).first('id', 'sha256');
}

type DocumentRow = {
  id: string;
  kind: string;
  file_name: string;
  content_type: string;
  sha256: string;
  byte_size: number;
  created_at: Date;
};

const toStoredDocument = (row: DocumentRow): StoredDocument => ({
  id: row.id,
  kind: row.kind,
  fileName: row.file_name,
  contentType: row.content_type,
  sha256: row.sha256,
  byteSize: Number(row.byte_size),
  createdAt: row.created_at,
});

const metadata = (db: Database | Transaction) =>
  db('documents').select(
    'id',
    'kind',
    'file_name',
    'content_type',
    'sha256',
    'created_at',
    db.raw('octet_length(content) as byte_size'),
  );

export async function listDocuments(db: Database | Transaction, subject: Subject): Promise<StoredDocument[]> {
  const rows: DocumentRow[] = await metadata(db)
    .where({ subject_type: subject.type, subject_id: subject.id })
    .orderBy('created_at');
  return rows.map(toStoredDocument);
}

/** The latest document of a kind for a subject, if rendered yet. */
export async function latestDocument(
  db: Database | Transaction,
  subject: Subject,
  kind: string,
): Promise<StoredDocument | undefined> {
  const row: DocumentRow | undefined = await metadata(db)
    .where({ subject_type: subject.type, subject_id: subject.id, kind })
    .orderBy('created_at', 'desc')
    .first();
  return row && toStoredDocument(row);
}

/** The documents stored under these keys (a module's own naming, such as `tax-receipt:<id>`), by key. */
export async function documentIdsByKey(
  db: Database | Transaction,
  keys: readonly string[],
): Promise<Map<string, string>> {
  const rows = await db<{ id: string; document_key: string }>('documents')
    .whereIn('document_key', keys)
    .select('id', 'document_key');
  return new Map(rows.map((row) => [row.document_key, row.id]));
}

/** A document and the subject it belongs to, for the caller to check who may read it. */
export async function readDocument(
  db: Database,
  documentId: string,
): Promise<{ subject: Subject; fileName: string; contentType: string; content: Buffer; sha256: string }> {
  const row = await db('documents').where('id', documentId).first();
  if (!row) throw new NotFoundError(documentsMessages.documentMissing);
  return {
    subject: { type: row.subject_type, id: row.subject_id },
    fileName: row.file_name,
    contentType: row.content_type,
    content: row.content,
    sha256: row.sha256,
  };
}
