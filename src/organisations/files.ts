import type { Database, Transaction } from '../db/database';
import { sha256Hex } from '../documents/service';
import { NotFoundError, UnsupportedMediaTypeError } from '../errors';
import { organisationsMessages } from './messages';

/**
 * Documents an organisation gives once and every later file reuses: statutes,
 * accounts, budget. Limited in size and type; the type announced must match
 * the file's first bytes, so a renamed executable is not stored as a PDF.
 */
export const fileKinds = ['statutes', 'accounts', 'budget', 'other'] as const;
export const fileSizeMaxBytes = 10 * 1024 * 1024;

const zipContainer = [0x50, 0x4b, 0x03, 0x04];
const signatures: Record<string, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/jpeg': [0xff, 0xd8, 0xff],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': zipContainer,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': zipContainer,
  'application/vnd.oasis.opendocument.spreadsheet': zipContainer,
  'application/vnd.oasis.opendocument.text': zipContainer,
};
export const acceptedFileTypes = Object.keys(signatures);

export type OrganisationFile = {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  sha256: string;
  byteSize: number;
  uploadedAt: Date;
};

const listColumns = (db: Database | Transaction) => [
  'id',
  'kind',
  'file_name as fileName',
  'content_type as contentType',
  'sha256',
  db.raw('octet_length(content)::int as "byteSize"'),
  'uploaded_at as uploadedAt',
];

export async function storeFile(
  trx: Transaction,
  organisationId: string,
  file: { kind: (typeof fileKinds)[number]; fileName: string; contentType: string; content: Buffer },
  userId: string,
): Promise<{ file: OrganisationFile; created: boolean }> {
  const signature = signatures[file.contentType]!;
  if (!signature.every((byte, index) => file.content[index] === byte))
    throw new UnsupportedMediaTypeError(organisationsMessages.contentNotOfType(file.contentType));
  const sha256 = sha256Hex(file.content);
  // The same file sent twice (a retried upload) is stored once.
  const inserted = await trx('organisation_files')
    .insert({
      organisation_id: organisationId,
      kind: file.kind,
      file_name: file.fileName,
      content_type: file.contentType,
      content: file.content,
      sha256,
      uploaded_by: userId,
    })
    .onConflict(['organisation_id', 'sha256'])
    .ignore()
    .returning('id');
  const stored = await trx('organisation_files')
    .where({ organisation_id: organisationId, sha256 })
    .first(listColumns(trx));
  return { file: stored, created: inserted.length > 0 };
}

export async function listFiles(db: Database, organisationId: string): Promise<OrganisationFile[]> {
  return db('organisation_files')
    .where('organisation_id', organisationId)
    .orderBy([{ column: 'kind' }, { column: 'uploaded_at', order: 'desc' }])
    .select(listColumns(db));
}

export async function readFile(db: Database, organisationId: string, fileId: string) {
  const row = await db('organisation_files')
    .where({ organisation_id: organisationId, id: fileId })
    .first('file_name', 'content_type', 'content', 'sha256');
  if (!row) throw new NotFoundError(organisationsMessages.fileMissing);
  return row as { file_name: string; content_type: string; content: Buffer; sha256: string };
}
