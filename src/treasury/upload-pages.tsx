import { JobProgress } from '../web/components';
import { Layout } from '../web/layout';
import { definePage, idOf, type AnyPage, type PageContext } from '../web/pages';
import { treasuredFund } from './access';
import { treasuryMessages, treasuryPageMessages as words } from './messages';
import { statementUploadOf, type StatementUpload } from './statement-uploads';

/** A statement upload's page: it reloads itself while the job reads the file, then says what came of it. */
const refreshWhileReadingSeconds = 1;

export const uploadPath = (fundId: string, uploadId: string) => `/tresorerie/${fundId}/releves-importes/${uploadId}`;

async function uploadPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fundId = treasuredFund(principal, request.params.fundId);
  const upload = await statementUploadOf(app.db, fundId, idOf(request.params.uploadId, treasuryMessages.uploadMissing));
  const reading = upload.state !== 'done' && upload.state !== 'refused';
  const title = words.uploadPageTitle(upload.fileName);
  return {
    page: (
      <Layout
        title={title}
        viewer={principal}
        csrfToken={csrfToken}
        refreshSeconds={reading ? refreshWhileReadingSeconds : undefined}
      >
        <p>
          <a href={`/tresorerie/${fundId}`}>{words.backToDashboard}</a>
        </p>
        <h1>{title}</h1>
        {reading ? (
          <JobProgress
            state={words.uploadStates[upload.state] ?? upload.state}
            done={words.uploadReading}
            processed={0}
            total={null}
            working
          />
        ) : (
          <UploadOutcome upload={upload} fundId={fundId} />
        )}
      </Layout>
    ),
  };
}

function UploadOutcome(props: { upload: StatementUpload; fundId: string }) {
  const { upload, fundId } = props;
  if (upload.state === 'refused')
    return (
      <>
        <p role="alert">{words.uploadRefused(upload.failure ?? '')}</p>
        <p>
          <a href={`/tresorerie/${fundId}`}>{words.uploadAnother}</a>
        </p>
      </>
    );
  return (
    <>
      <p role="status">
        {upload.alreadyImported ? words.uploadAlreadyImported : words.uploadImported(upload.linesRead ?? 0)}
      </p>
      {upload.otherAccounts.length > 0 && (
        <p>
          {words.uploadOtherAccounts(
            upload.otherAccounts.map((other) => `${other.statementId} (${other.account})`).join(', '),
          )}
        </p>
      )}
      <ul>
        {upload.statements.map((statement) => (
          <li key={statement.id}>
            <a href={`/tresorerie/${fundId}/releves/${statement.id}`}>
              {words.openWorkspace(statement.bankStatementId)}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

export const statementUploadPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/releves-importes/:uploadId',
    access: 'signed-in',
    handler: uploadPage,
  }),
];
