import { UnavailableError } from '../errors';
import { shownDateTime, Table } from '../web/components';
import { ErrorSummary } from '../web/forms';
import { ActionButton, Layout } from '../web/layout';
import {
  assertAdmin,
  definePage,
  formsOf,
  nothingTyped,
  type AnyPage,
  type PageContext,
  type Typed,
} from '../web/pages';
import { failedJobs, retryFailedJob, type FailedJob } from './failed';
import { jobsPageMessages as words } from './messages';

/** The administrator's failed jobs: each with its error, sent again with one button. */
const failedShownMax = 100;
const failedPath = '/admin/taches';

async function failedJobsPage(context: PageContext<'signed-in'>, _key: string, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  assertAdmin(principal);
  // Redis out of reach is said on the page, not as an error page: the admin came here to see what is wrong.
  const jobs: FailedJob[] | undefined = await failedJobs(app, failedShownMax).catch((error: unknown) => {
    if (error instanceof UnavailableError) return undefined;
    throw error;
  });
  const retried = typeof request.query.retried === 'string' ? request.query.retried : undefined;
  return {
    page: (
      <Layout title={words.failedTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.failedTitle}</h1>
        <p>{words.failedLead}</p>
        {retried && <p role="status">{words.retried(retried)}</p>}
        <ErrorSummary errors={typed.errors} />
        {!jobs ? (
          <p role="alert">{words.queueUnreachable}</p>
        ) : jobs.length === 0 ? (
          <p>{words.noFailed}</p>
        ) : (
          <Table headers={Object.values(words.columns)}>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td>
                  <code>{job.name}</code>
                </td>
                <td>{job.error}</td>
                <td>{job.attemptsMade}</td>
                <td>{job.failedAt ? shownDateTime(job.failedAt) : '—'}</td>
                <td>
                  <ActionButton
                    action={`${failedPath}/${encodeURIComponent(job.id)}/relance`}
                    csrfToken={csrfToken}
                    label={words.retryNamed(job.name, job.id)}
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

export const jobPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: failedPath,
    access: 'signed-in',
    handler: (context) => failedJobsPage(context, ''),
  }),
  definePage({
    method: 'post',
    path: `${failedPath}/:jobId/relance`,
    access: 'signed-in',
    handler: formsOf<string>({
      keyOf: (context) => {
        assertAdmin(context.principal);
        return String(context.request.params.jobId ?? '').slice(0, 200);
      },
      url: () => failedPath,
      page: failedJobsPage,
    })('retry', async ({ app }, jobId) => {
      const job = await retryFailedJob(app, jobId);
      return `${failedPath}?retried=${encodeURIComponent(job.name)}`;
    }),
  }),
];
