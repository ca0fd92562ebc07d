import request from 'supertest';
import { runStatementUpload, requestStatementUpload, statementUploadOf } from '../../src/treasury/statement-uploads';
import { camtStatement } from '../support/camt';
import { createTestApi, personas, type TestApi } from '../support/http';

/**
 * A statement sent from the pages is read by a job: sent twice while it waits,
 * one upload; read, its statements imported and their proposals asked for in
 * the same transaction; read again (a retried job), nothing twice; the same
 * file sent again later, said already imported; a file the format refuses ends
 * refused with its reason, once; another fund's upload is not found.
 */
let api: TestApi;
let userId: string;
let iban: string;
beforeAll(async () => {
  api = await createTestApi();
  userId = String((await api.app.db('users').where('email', personas.treasurer).first('id')).id);
  iban = String((await api.app.db('treasury_accounts').where('fund_id', 'dotation').first('iban')).iban);
});
afterAll(() => api.drop());

const camt = { kind: 'camt053' } as const;
const proposalRuns = async (statementIds: string[]) =>
  Number((await api.app.db('match_proposal_runs').whereIn('statement_id', statementIds).count('* as n').first())!.n);

it('reads an uploaded statement once, as a job whose outcome its page reads', async () => {
  const file = {
    content: Buffer.from(camtStatement('001.08', { statementId: 'RELEVE-JOB-1', iban, ourEndToEndId: 'E2E-JOB-1' })),
    fileName: 'releve-novembre.xml',
  };
  const upload = await requestStatementUpload(api.app.db, 'dotation', file, camt, userId);
  expect((await requestStatementUpload(api.app.db, 'dotation', file, camt, userId)).id).toBe(upload.id);
  expect(await statementUploadOf(api.app.db, 'dotation', upload.id)).toMatchObject({
    state: 'queued',
    fileName: 'releve-novembre.xml',
    statements: [],
  });

  expect(await runStatementUpload(api.app.db, upload.id)).toEqual({ state: 'done' });
  const read = await statementUploadOf(api.app.db, 'dotation', upload.id);
  expect(read).toMatchObject({ state: 'done', linesRead: 6, alreadyImported: false, otherAccounts: [], failure: null });
  expect(read.statements.map((statement) => statement.bankStatementId)).toEqual(['RELEVE-JOB-1']);
  const statementIds = read.statements.map((statement) => statement.id);
  expect(await proposalRuns(statementIds)).toBe(1);

  // A retried job finds the work done; the same file sent again is said already imported.
  await runStatementUpload(api.app.db, upload.id);
  const again = await requestStatementUpload(api.app.db, 'dotation', file, camt, userId);
  expect(again.id).not.toBe(upload.id);
  await runStatementUpload(api.app.db, again.id);
  expect(await statementUploadOf(api.app.db, 'dotation', again.id)).toMatchObject({
    state: 'done',
    alreadyImported: true,
    statements: read.statements,
  });
  expect(await api.app.db('bank_statements').where('bank_statement_id', 'RELEVE-JOB-1').pluck('id')).toEqual(
    statementIds,
  );
  expect(await proposalRuns(statementIds)).toBe(1);

  await expect(statementUploadOf(api.app.db, 'garantie', upload.id)).rejects.toMatchObject({ status: 404 });
});

it('ends a file the bank format refuses with its reason, said once', async () => {
  const notCamt = { content: Buffer.from('<Document><Rien/></Document>'), fileName: 'pas-un-releve.xml' };
  const refused = await requestStatementUpload(api.app.db, 'dotation', notCamt, camt, userId);
  expect(await runStatementUpload(api.app.db, refused.id)).toEqual({ state: 'refused' });
  const view = await statementUploadOf(api.app.db, 'dotation', refused.id);
  expect(view).toMatchObject({ state: 'refused', statements: [] });
  expect(view.failure).toMatch(/camt\.053/);
  expect(view.failure).not.toMatch(/body/);
  // Its page says so, with the way back to send another file; it no longer reloads itself.
  const page = await request(api.http)
    .get(`/tresorerie/dotation/releves-importes/${refused.id}`)
    .set('Cookie', api.cookies.treasurer)
    .expect(200);
  expect(page.text).toContain('Le relevé n’a pas été importé');
  expect(page.text).toContain('Importer un autre relevé');
  expect(page.text).not.toContain('http-equiv="refresh"');

  const otherAccount = {
    content: Buffer.from(
      camtStatement('001.02', {
        statementId: 'RELEVE-AUTRE',
        iban: 'FR7630004000031234567890143',
        ourEndToEndId: 'E2E-X',
      }),
    ),
    fileName: 'autre-compte.xml',
  };
  const foreign = await requestStatementUpload(api.app.db, 'dotation', otherAccount, camt, userId);
  await runStatementUpload(api.app.db, foreign.id);
  expect((await statementUploadOf(api.app.db, 'dotation', foreign.id)).failure).toContain(
    'FR7630004000031234567890143',
  );
  // A refusal is final: run again, it stays as it was and nothing is imported.
  expect(await runStatementUpload(api.app.db, foreign.id)).toEqual({ state: 'refused' });
  expect(await api.app.db('bank_statements').where('bank_statement_id', 'RELEVE-AUTRE')).toEqual([]);
});
