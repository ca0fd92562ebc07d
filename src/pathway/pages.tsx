import { listFunds } from '../ledger/queries';
import { z } from 'zod';
import { pageSizeMax } from '../db/pagination';
import { NotFoundError, ValidationError } from '../errors';
import { isAdmin, type Principal } from '../identity/roles';
import type { Database } from '../db/database';
import { barChartSpec, Chart, chartSvg } from '../web/charts';
import { namesOf } from '../identity/service';
import { listOrganisations, organisationNames } from '../organisations/service';
import { committeesOfFund } from '../committees/membership';
import { committeesNamed } from '../committees/committees';
import { proposalSteps, type ProposalStep } from '../../workflows/application.machine';
import { Pagination, shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field, Select, TextArea, type FormError } from '../web/forms';
import { Layout } from '../web/layout';
import {
  asAnswer,
  attempt,
  definePage,
  formsOf,
  parsed,
  frenchAmountFields,
  pageNumber,
  type AnyPage,
  type PageContext,
  idOf,
} from '../web/pages';
import { FilePage, type Typed } from './file-page';
import { pathwayPageMessages as words, pathwayMessages } from './messages';
import { stateLabels } from './notices';
import { reviewReport, submitReport } from './reports';
import {
  applicationAnswer,
  applicationsAnswer,
  exchangeBody,
  firstContactBody,
  reportBody,
  reportStepBody,
  transitionBody,
} from './schema';
import {
  filesPerState,
  applicationSeenBy,
  listApplications,
  logExchange,
  openApplication,
  proposalStep,
  takeStep,
} from './service';
import { StepPage, stepAnswers } from './step-page';
import { todayInParis } from '../time';

/**
 * The pathway's pages: the files a person may see, a file with what they may do
 * on it, the proposal's steps as forms. The same services as `/api/applications`,
 * the same relations checked (a file one may not see answers 404).
 */
const filesPageSize = 20;

/** The files the team sees at each step, drawn, for those who follow many (an applicant follows their own). */
async function pathwayFunnel(db: Database, principal: Principal) {
  const team =
    isAdmin(principal) || principal.grants.some((grant) => ['referent', 'committee_member'].includes(grant.role));
  if (!team) return undefined;
  const counts = await filesPerState(db, principal);
  const points = Object.entries(stateLabels).map(([state, label]) => ({
    label,
    value: counts.get(state) ?? 0,
    shown: words.filesCount(counts.get(state) ?? 0),
  }));
  return { points, svg: await chartSvg(barChartSpec(points, words.funnelTitle)) };
}

function FilesPage(props: {
  principal: Principal;
  csrfToken: string;
  state: string | undefined;
  list: z.infer<typeof applicationsAnswer>;
  funnel: Awaited<ReturnType<typeof pathwayFunnel>>;
}) {
  const referent = props.principal.grants.some((grant) => grant.role === 'referent');
  return (
    <Layout title={words.filesTitle} viewer={props.principal} csrfToken={props.csrfToken}>
      <h1>{words.filesTitle}</h1>
      <p>{words.filesLead}</p>
      {referent && (
        <p>
          <a href="/dossiers/nouveau" class="call-to-action">
            {words.openFile}
          </a>
        </p>
      )}
      {props.funnel && (
        <Chart
          svg={props.funnel.svg}
          caption={words.funnelTitle}
          headers={words.funnelColumns}
          points={props.funnel.points}
        />
      )}
      <form method="get" action="/dossiers" class="filters">
        <Select
          name="etape"
          label={words.stateFilter}
          value={props.state ?? ''}
          options={[
            { value: '', label: words.anyState },
            ...Object.entries(stateLabels).map(([value, label]) => ({ value, label })),
          ]}
          errors={[]}
        />
        <button type="submit" class="secondary">
          {words.filter}
        </button>
      </form>
      {props.list.files.length === 0 ? (
        <p>{words.noFiles}</p>
      ) : (
        <Table
          headers={[
            words.columns.organisation,
            words.columns.state,
            words.columns.asked,
            words.columns.approved,
            words.columns.opened,
          ]}
        >
          {props.list.files.map((file) => (
            <tr key={file.id}>
              <td>
                <a href={`/dossiers/${file.id}`}>{file.organisation.name}</a>
              </td>
              <td>{file.stateLabel}</td>
              <td class="amount">
                {file.amountAsked
                  ? words.range(shownAmount(file.amountAsked.from), shownAmount(file.amountAsked.to))
                  : words.none}
              </td>
              <td class="amount">{shownAmount(file.approvedAmount)}</td>
              <td>{shownDate(file.openedAt)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination
        path="/dossiers"
        query={{ etape: props.state }}
        page={props.list.page}
        pageSize={props.list.pageSize}
        total={props.list.total}
      />
    </Layout>
  );
}

function NewFilePage(props: {
  principal: Principal;
  csrfToken: string;
  organisations: { id: string; name: string }[];
  values: Record<string, string>;
  errors: FormError[];
}) {
  const { values, errors } = props;
  return (
    <Layout title={words.newFileTitle} viewer={props.principal} csrfToken={props.csrfToken}>
      <h1>{words.newFileTitle}</h1>
      <p>{words.newFileLead}</p>
      <ErrorSummary errors={errors} />
      <ActionForm action="/dossiers/nouveau" csrfToken={props.csrfToken} button={words.openFile}>
        <Select
          name="organisationId"
          label={words.organisationLabel}
          value={values.organisationId}
          options={props.organisations.map((organisation) => ({ value: organisation.id, label: organisation.name }))}
          required
          errors={errors}
        />
        <TextArea name="message" label={words.messageLabel} value={values.message} required errors={errors} />
        <Field
          name="contactName"
          label={words.contactNameLabel}
          value={values.contactName}
          autocomplete="off"
          required
          errors={errors}
        />
        <Field
          name="contactEmail"
          label={words.contactEmailLabel}
          type="email"
          value={values.contactEmail}
          autocomplete="off"
          required
          errors={errors}
        />
        <Field
          name="contactPhone"
          label={words.contactPhoneLabel}
          value={values.contactPhone}
          autocomplete="off"
          errors={errors}
        />
      </ActionForm>
    </Layout>
  );
}

const applicationIdOf = (candidate: unknown): string => idOf(candidate, pathwayMessages.fileMissing);
const stepOf = (candidate: unknown): ProposalStep => {
  if (!proposalSteps.includes(candidate as ProposalStep)) throw new NotFoundError(pathwayMessages.fileMissing);
  return candidate as ProposalStep;
};

async function filePage(context: PageContext<'signed-in'>, applicationId: string, typed?: Typed) {
  const { app, principal, csrfToken } = context;
  const seen = await applicationSeenBy(app.db, applicationId, principal);
  const file = asAnswer(applicationAnswer, seen.file);
  const actorIds = [...file.earlierFiles.flatMap((earlier) => earlier.history), ...file.history]
    .map((row) => row.actorId)
    .filter((id): id is string => id !== null);
  const [organisations, funds, names, committees, committee] = await Promise.all([
    organisationNames(app.db, [file.organisationId]),
    listFunds(app.db, [file.fundId]),
    namesOf(app.db, [...new Set(actorIds)]),
    file.allowedEvents.includes('SEND_TO_COMMITTEE') ? committeesOfFund(app.db, file.fundId) : [],
    file.context.committeeId ? committeesNamed(app.db, [file.context.committeeId]) : [],
  ]);
  return {
    page: (
      <FilePage
        viewer={principal}
        csrfToken={csrfToken}
        file={file}
        organisationName={organisations.get(file.organisationId) ?? file.organisationId}
        fundName={funds[0]?.name ?? file.fundId}
        relations={seen.relations}
        names={names}
        committees={committees}
        committeeName={committee[0]?.name}
        typed={typed}
      />
    ),
    status: typed ? 422 : 200,
  };
}

/** The step a form asks for, with what it carries, as the API's transition body. */
function transitionFrom(form: Record<string, string>, principal: Principal) {
  const { event } = form;
  const reason = form.reason?.trim() || undefined;
  switch (event) {
    case 'ASSIGN_REFERENT':
      return parsed(transitionBody, { event, referentId: principal.userId, reason });
    case 'SUBMIT_PRE_PROPOSAL': {
      const amounts = frenchAmountFields(form, ['amountFrom', 'amountTo']);
      return parsed(transitionBody, { event, need: form.need, project: form.project, ...amounts, reason });
    }
    case 'GIVE_OPINION':
      return parsed(transitionBody, { event, opinion: form.opinion, reason });
    case 'SEND_TO_COMMITTEE':
      return parsed(transitionBody, { event, committeeId: form.committeeId || undefined, reason });
    case 'ACCEPT_AGREEMENT':
    case 'COUNTERSIGN':
      if (form.read !== 'oui') throw new ValidationError([{ path: ['read'], message: words.agreementNotRead }]);
      return parsed(transitionBody, { event, documentSha256: form.documentSha256, reason });
    default:
      return parsed(transitionBody, { event, reason });
  }
}

/** The file page's forms: back to the file when done, or the file again with the refusal on its form. */
const fileForms = formsOf({
  keyOf: (context) => applicationIdOf(context.request.params.applicationId),
  url: (applicationId) => `/dossiers/${applicationId}`,
  page: filePage,
});
const onTheFile = (
  context: PageContext<'signed-in'>,
  form: string,
  work: (applicationId: string) => Promise<unknown>,
) => fileForms(form, (_context, applicationId) => work(applicationId))(context);

export const pathwayPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/dossiers',
    access: 'signed-in',
    handler: async ({ app, principal, csrfToken, request }) => {
      const state =
        typeof request.query.etape === 'string' && request.query.etape in stateLabels ? request.query.etape : undefined;
      const list = asAnswer(
        applicationsAnswer,
        await listApplications(
          app.db,
          { state, page: pageNumber(request.query.page), pageSize: filesPageSize },
          principal,
        ),
      );
      const funnel = await pathwayFunnel(app.db, principal);
      return {
        page: <FilesPage principal={principal} csrfToken={csrfToken} state={state} list={list} funnel={funnel} />,
      };
    },
  }),
  definePage({
    method: 'get',
    path: '/dossiers/nouveau',
    access: 'signed-in',
    handler: async (context) => newFilePage(context, {}, []),
  }),
  definePage({
    method: 'post',
    path: '/dossiers/nouveau',
    access: 'signed-in',
    handler: async (context) => {
      const { app, principal, form } = context;
      const outcome = await attempt(async () => {
        const body = parsed(firstContactBody, {
          organisationId: form.organisationId,
          message: form.message,
          contactName: form.contactName,
          contactEmail: form.contactEmail,
          contactPhone: form.contactPhone?.trim() || undefined,
        });
        return app.db.transaction((trx) => openApplication(trx, body, principal));
      });
      if (outcome.done) return { redirect: `/dossiers/${outcome.value}` };
      return { ...(await newFilePage(context, form, outcome.errors)), status: outcome.status };
    },
  }),
  definePage({
    method: 'get',
    path: '/dossiers/:applicationId',
    access: 'signed-in',
    handler: async (context) => filePage(context, applicationIdOf(context.request.params.applicationId)),
  }),
  definePage({
    method: 'post',
    path: '/dossiers/:applicationId/etape',
    access: 'signed-in',
    handler: async (context) =>
      onTheFile(context, context.form.event ?? '', (applicationId) =>
        context.app.db.transaction((trx) =>
          takeStep(trx, applicationId, transitionFrom(context.form, context.principal), context.principal),
        ),
      ),
  }),
  definePage({
    method: 'post',
    path: '/dossiers/:applicationId/echanges',
    access: 'signed-in',
    handler: async (context) =>
      onTheFile(context, 'exchange', async (applicationId) => {
        const { form } = context;
        const exchange = parsed(exchangeBody, {
          kind: form.kind,
          occurredOn: form.occurredOn || todayInParis(),
          summary: form.summary,
          internal: form.internal === 'oui',
        });
        await context.app.db.transaction((trx) => logExchange(trx, applicationId, exchange, context.principal));
      }),
  }),
  definePage({
    method: 'post',
    path: '/dossiers/:applicationId/comptes-rendus',
    access: 'signed-in',
    handler: async (context) =>
      onTheFile(context, 'report', async (applicationId) => {
        const { spent } = frenchAmountFields(context.form, ['spent']);
        const report = parsed(reportBody, { summary: context.form.summary, spent });
        await context.app.db.transaction((trx) => submitReport(trx, applicationId, report, context.principal));
      }),
  }),
  definePage({
    method: 'post',
    path: '/comptes-rendus/:reportId/etape',
    access: 'signed-in',
    handler: async (context) => {
      const { app, principal, form, request } = context;
      const reportId = idOf(request.params.reportId, pathwayMessages.reportMissing);
      const report = await app
        .db('grant_reports')
        .where('id', reportId)
        .first<{ application_id: string } | undefined>('application_id');
      if (!report) throw new NotFoundError(pathwayMessages.reportMissing);
      context.request.params.applicationId = report.application_id;
      return onTheFile(context, `report-${reportId}`, async () => {
        const step = parsed(reportStepBody, {
          event: form.event,
          ...(form.feedback?.trim() && { feedback: form.feedback }),
          ...(form.summary?.trim() && { summary: form.summary }),
        });
        await app.db.transaction((trx) => reviewReport(trx, reportId, step, principal));
      });
    },
  }),
  definePage({
    method: 'get',
    path: '/dossiers/:applicationId/proposition/:step',
    access: 'signed-in',
    handler: async ({ app, principal, csrfToken, request }) => {
      const applicationId = applicationIdOf(request.params.applicationId);
      const view = await proposalStep(app.db, applicationId, stepOf(request.params.step), principal);
      return {
        page: (
          <StepPage viewer={principal} csrfToken={csrfToken} applicationId={applicationId} view={view} errors={[]} />
        ),
      };
    },
  }),
  definePage({
    method: 'post',
    path: '/dossiers/:applicationId/proposition/:step',
    access: 'signed-in',
    handler: async ({ app, principal, csrfToken, request, form }) => {
      const applicationId = applicationIdOf(request.params.applicationId);
      const step = stepOf(request.params.step);
      const outcome = await attempt(() =>
        app.db.transaction((trx) =>
          takeStep(trx, applicationId, { event: 'COMPLETE_STEP', step, answers: stepAnswers(step, form) }, principal),
        ),
      );
      if (outcome.done) return { redirect: `/dossiers/${applicationId}` };
      const view = await proposalStep(app.db, applicationId, step, principal);
      return {
        page: (
          <StepPage
            viewer={principal}
            csrfToken={csrfToken}
            applicationId={applicationId}
            view={view}
            errors={outcome.errors}
            typed={form}
          />
        ),
        status: outcome.status,
      };
    },
  }),
];

async function newFilePage(context: PageContext<'signed-in'>, values: Record<string, string>, errors: FormError[]) {
  const { app, principal, csrfToken } = context;
  // Opening a file is a referent's act, as in the API: anyone else is told the page is not theirs.
  if (!isAdmin(principal) && !principal.grants.some((grant) => grant.role === 'referent')) throw new NotFoundError();
  const { organisations } = await listOrganisations(app.db, { page: 1, pageSize: pageSizeMax });
  return {
    page: (
      <NewFilePage
        principal={principal}
        csrfToken={csrfToken}
        organisations={organisations}
        values={values}
        errors={errors}
      />
    ),
  };
}
