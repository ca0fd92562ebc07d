import { z } from 'zod';
import type { Database } from '../db/database';
import { NotFoundError } from '../errors';
import { defineRoute, type AnyRoute } from '../http/route';
import type { Principal } from '../identity/roles';
import { readDocument } from './service';
import { documentsMessages } from './messages';

/** Who may read a document is who may see what it is about: each module says it for its subjects (src/document-kinds.ts). */
export type DocumentReaders = Record<string, (db: Database, subjectId: string, principal: Principal) => Promise<void>>;

export const documentRoutes = (readersBySubject: DocumentReaders): AnyRoute[] => [
  defineRoute({
    method: 'get',
    path: '/api/documents/{documentId}',
    summary: 'Télécharge un document généré (convention, procès-verbal…), avec son empreinte SHA-256',
    tag: 'documents',
    access: 'signed-in',
    params: z.strictObject({ documentId: z.uuid() }),
    response: { status: 200, description: 'Le PDF', contentType: 'application/pdf' },
    handler: async ({ app, params, principal }) => {
      const document = await readDocument(app.db, params.documentId);
      const mayRead = readersBySubject[document.subject.type];
      if (!mayRead) throw new NotFoundError(documentsMessages.documentMissing);
      await mayRead(app.db, document.subject.id, principal).catch(() => {
        throw new NotFoundError(documentsMessages.documentMissing);
      });
      return {
        headers: { 'X-Content-SHA256': document.sha256 },
        file: { fileName: document.fileName, contentType: document.contentType, content: document.content },
      };
    },
  }),
];
