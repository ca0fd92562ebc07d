import type { ComponentChildren } from 'preact';
import { proposalSteps } from '../../workflows/application.machine';
import { shownAmount, shownDate, shownDateTime, Table } from '../web/components';
import { AmountField, ActionForm, Checkbox, ErrorSummary, Select, TextArea, Field, type FormError } from '../web/forms';
import { Layout, type Viewer } from '../web/layout';
import { pathwayPageMessages as words } from './messages';
import { eventLabels, stateLabels, stepLabels } from './notices';
import type { z } from 'zod';
import type { applicationAnswer } from './schema';

export type FileView = z.infer<typeof applicationAnswer>;

/** What a form sent back with a refusal: which form, what was typed, what to correct. */
export type Typed = { form: string; values: Record<string, string>; errors: FormError[] };

export type FilePageProps = {
  viewer: Viewer;
  csrfToken: string;
  file: FileView;
  organisationName: string;
  fundName: string;
  relations: readonly string[];
  /** Names of the people in the history and the exchanges, by id. */
  names: Map<string, string>;
  committees: readonly string[];
  /** The committee the file went to, by its name. */
  committeeName?: string | undefined;
  typed?: Typed | undefined;
};

/** Events a person takes from this page (the committee's decisions come from its votes; steps have their own pages). */
const pageEvents = [
  'ASSIGN_REFERENT',
  'INVITE_PRE_PROPOSAL',
  'SUBMIT_PRE_PROPOSAL',
  'SUBMIT_PROPOSAL',
  'GIVE_OPINION',
  'SEND_TO_COMMITTEE',
  'ACCEPT_AGREEMENT',
  'COUNTERSIGN',
  'REOPEN',
  'CLOSE',
  'WITHDRAW',
] as const;
const secondRank = new Set(['WITHDRAW', 'CLOSE', 'REOPEN']);

/**
 * A file as the person looking at it may act on it: where it stands, what is
 * expected of them now (the forms of the steps they may take, nothing else),
 * what was decided and said, its documents, exchanges, reports and history.
 */
export function FilePage(props: FilePageProps) {
  const { file } = props;
  const url = `/dossiers/${file.id}`;
  const actions = pageEvents.filter(
    (event) =>
      file.allowedEvents.includes(event) && (event !== 'ASSIGN_REFERENT' || props.relations.includes('referent-pool')),
  );
  const stepsOpen = file.allowedEvents.includes('COMPLETE_STEP');
  const errorsOf = (form: string) => (props.typed?.form === form ? props.typed.errors : []);
  const typedOf = (form: string) => (props.typed?.form === form ? props.typed.values : {});
  const primary = actions.filter((event) => !secondRank.has(event));
  const others = actions.filter((event) => secondRank.has(event));
  const eventForm = (event: (typeof pageEvents)[number]) => (
    <EventForm key={event} event={event} url={url} props={props} errors={errorsOf(event)} values={typedOf(event)} />
  );
  return (
    <Layout title={words.fileTitle(props.organisationName)} viewer={props.viewer} csrfToken={props.csrfToken}>
      <p>
        <a href="/dossiers">{words.filesTitle}</a>
      </p>
      <h1>{words.fileTitle(props.organisationName)}</h1>
      <p class="state">
        <strong>{words.stateNow(stateLabels[file.state] ?? file.state)}</strong>
      </p>
      <Summary file={file} fundName={props.fundName} committeeName={props.committeeName} />
      <Decisions file={file} />
      <section aria-labelledby="attendu">
        <h2 id="attendu">{words.expectedTitle}</h2>
        {primary.length === 0 && !stepsOpen && <p>{words.nothingExpected(words.waitingFor[file.state] ?? '')}</p>}
        {stepsOpen && <ProposalSteps file={file} editable />}
        {primary.map(eventForm)}
      </section>
      {file.preProposal && (
        <section aria-labelledby="pre-proposition">
          <h2 id="pre-proposition">{words.preProposalTitle}</h2>
          <dl>
            <Item label={words.need}>{file.preProposal.need}</Item>
            <Item label={words.project}>{file.preProposal.project}</Item>
            <Item label={words.columns.asked}>
              {words.range(shownAmount(file.preProposal.amountFrom), shownAmount(file.preProposal.amountTo))}
            </Item>
          </dl>
        </section>
      )}
      {!stepsOpen && Object.keys(file.proposal).length > 0 && <ProposalSteps file={file} editable={false} />}
      <Grant file={file} />
      <Documents file={file} />
      <Reports props={props} errorsOf={errorsOf} typedOf={typedOf} />
      <Exchanges props={props} errors={errorsOf('exchange')} values={typedOf('exchange')} />
      <EarlierFiles file={file} names={props.names} />
      <section aria-labelledby="historique">
        <h2 id="historique">{words.historyTitle}</h2>
        <History rows={file.history} names={props.names} />
      </section>
      {others.length > 0 && (
        <section aria-labelledby="autres-actions">
          <h2 id="autres-actions">{words.otherActions}</h2>
          {others.map(eventForm)}
        </section>
      )}
    </Layout>
  );
}

function Item(props: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </>
  );
}

function Summary({
  file,
  fundName,
  committeeName,
}: {
  file: FileView;
  fundName: string;
  committeeName?: string | undefined;
}) {
  const { ticketMin, ticketMax } = file.context;
  return (
    <dl class="summary">
      <Item label={words.fund}>{fundName}</Item>
      {ticketMin && ticketMax && (
        <Item label={words.ticket}>{words.range(shownAmount(ticketMin), shownAmount(ticketMax))}</Item>
      )}
      {file.context.approvedAmount && (
        <Item label={words.columns.approved}>{shownAmount(file.context.approvedAmount)}</Item>
      )}
      {file.context.committeeId && <Item label={words.committee}>{committeeName ?? file.context.committeeId}</Item>}
    </dl>
  );
}

/** What was decided or asked on the file: the committee's feedback, a redirection, rework, the referent's opinion. */
function Decisions({ file }: { file: FileView }) {
  const { feedback, redirectedTo, rework, referentOpinion } = file.context;
  if (!feedback && !redirectedTo && !rework && !referentOpinion) return null;
  return (
    <section aria-labelledby="decisions">
      <h2 id="decisions">{words.feedbackTitle}</h2>
      {redirectedTo && <p>{words.redirectedTo(redirectedTo)}</p>}
      {file.context.redirectedToFileId && (
        <p>
          <a href={`/dossiers/${file.context.redirectedToFileId}`}>{words.openContinuedFile}</a>
        </p>
      )}
      {feedback && <blockquote>{feedback}</blockquote>}
      {rework && (
        <>
          <h3>{words.reworkTitle}</h3>
          <blockquote>{rework}</blockquote>
        </>
      )}
      {referentOpinion && (
        <>
          <h3>{words.opinionTitle}</h3>
          <blockquote>{referentOpinion}</blockquote>
        </>
      )}
    </section>
  );
}

function ProposalSteps(props: { file: FileView; editable: boolean }) {
  const done = new Set(props.file.context.completedSteps);
  return (
    <section aria-labelledby="proposition">
      <h3 id="proposition">{words.proposalTitle}</h3>
      <ul>
        {proposalSteps.map((step) => (
          <li key={step}>
            {props.editable ? (
              <a href={`/dossiers/${props.file.id}/proposition/${step}`}>
                {done.has(step) ? words.reviewStep(stepLabels[step]) : words.completeStep(stepLabels[step])}
              </a>
            ) : (
              stepLabels[step]
            )}{' '}
            — <span class={done.has(step) ? 'done' : 'to-do'}>{done.has(step) ? words.stepDone : words.stepToDo}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The form of one step of the pathway: what the step carries, then its button. */
function EventForm(props: {
  event: (typeof pageEvents)[number];
  url: string;
  props: FilePageProps;
  errors: FormError[];
  values: Record<string, string>;
}) {
  const { event, errors, values } = props;
  const agreement = props.props.file.documents.find((document) => document.kind === 'grant-agreement');
  const needsAgreement = event === 'ACCEPT_AGREEMENT' || event === 'COUNTERSIGN';
  if (needsAgreement && !agreement) return <p>{words.agreementComing}</p>;
  return (
    <article class="step-form">
      <ErrorSummary errors={errors} />
      <ActionForm
        action={`${props.url}/etape`}
        csrfToken={props.props.csrfToken}
        button={words.actions[event] ?? event}
        secondary={secondRank.has(event)}
      >
        <input type="hidden" name="event" value={event} />
        {event === 'SUBMIT_PRE_PROPOSAL' && (
          <>
            <TextArea name="need" label={words.need} value={values.need} required errors={errors} />
            <TextArea name="project" label={words.project} value={values.project} required errors={errors} />
            <div class="grid">
              <AmountField
                name="amountFrom"
                label={words.amountFrom}
                value={values.amountFrom}
                required
                errors={errors}
              />
              <AmountField name="amountTo" label={words.amountTo} value={values.amountTo} required errors={errors} />
            </div>
          </>
        )}
        {event === 'GIVE_OPINION' && (
          <TextArea name="opinion" label={words.opinionLabel} value={values.opinion} required errors={errors} />
        )}
        {event === 'SEND_TO_COMMITTEE' && props.props.committees.length > 1 && (
          <Select
            name="committeeId"
            label={words.committeeChoice}
            value={values.committeeId}
            options={props.props.committees.map((id) => ({ value: id, label: id }))}
            errors={errors}
          />
        )}
        {needsAgreement && agreement && (
          <>
            <p>
              <a href={`/api/documents/${agreement.id}`} download={agreement.fileName}>
                {words.download(words.documentKinds['grant-agreement']!)}
              </a>
            </p>
            <input type="hidden" name="documentSha256" value={agreement.sha256} />
            <Checkbox
              name="read"
              label={event === 'ACCEPT_AGREEMENT' ? words.agreementRead : words.countersignRead}
              checked={values.read === 'oui'}
              errors={errors}
            />
          </>
        )}
        {secondRank.has(event) || event === 'INVITE_PRE_PROPOSAL' ? (
          <Field name="reason" label={words.reasonLabel} value={values.reason} errors={errors} />
        ) : null}
      </ActionForm>
    </article>
  );
}

/** The grant and its tranches: how much, on what condition, whether it can be paid yet. */
function Grant({ file }: { file: FileView }) {
  if (!file.grant) return null;
  return (
    <section aria-labelledby="subvention">
      <h2 id="subvention">{words.grantTitle(shownAmount(file.grant.amount))}</h2>
      <Table
        headers={[
          words.trancheColumns.position,
          words.trancheColumns.amount,
          words.trancheColumns.condition,
          words.trancheColumns.status,
        ]}
      >
        {file.grant.tranches.map((tranche) => (
          <tr key={tranche.position}>
            <td>{tranche.position}</td>
            <td class="amount">{shownAmount(tranche.amount)}</td>
            <td>{words.trancheConditions[tranche.condition]}</td>
            <td>{words.trancheStatuses[tranche.status]}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

function Documents({ file }: { file: FileView }) {
  if (file.documents.length === 0) return null;
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{words.documentsTitle}</h2>
      <ul>
        {file.documents.map((document) => (
          <li key={document.id}>
            <a href={`/api/documents/${document.id}`} download={document.fileName}>
              {words.download(words.documentKinds[document.kind] ?? document.fileName)}
            </a>{' '}
            <small>({shownDate(document.createdAt)})</small>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Reports(props: {
  props: FilePageProps;
  errorsOf: (form: string) => FormError[];
  typedOf: (form: string) => Record<string, string>;
}) {
  const { file, relations, csrfToken } = props.props;
  const applicant = relations.includes('applicant');
  const referent = relations.includes('referent') || relations.includes('admin');
  if (file.state !== 'active' && file.reports.length === 0) return null;
  return (
    <section aria-labelledby="comptes-rendus">
      <h2 id="comptes-rendus">{words.reportsTitle}</h2>
      {file.reports.length === 0 && <p>{words.noReports}</p>}
      {file.reports.map((report) => (
        <article key={report.id}>
          <p>
            <strong>{words.reportStates[report.state] ?? report.state}</strong> — {words.spent} :{' '}
            {shownAmount(report.spent)}
          </p>
          <p>{report.summary}</p>
          {report.feedback && <blockquote>{report.feedback}</blockquote>}
          {referent && report.state === 'submitted' && (
            <>
              <ErrorSummary errors={props.errorsOf(`report-${report.id}`)} />
              <ActionForm
                action={`/comptes-rendus/${report.id}/etape`}
                csrfToken={csrfToken}
                button={words.acceptReport}
              >
                <input type="hidden" name="event" value="ACCEPT" />
              </ActionForm>
              <ActionForm
                action={`/comptes-rendus/${report.id}/etape`}
                csrfToken={csrfToken}
                button={words.requestChanges}
                secondary
              >
                <input type="hidden" name="event" value="REQUEST_CHANGES" />
                <TextArea
                  name="feedback"
                  label={words.feedback}
                  value={props.typedOf(`report-${report.id}`).feedback}
                  errors={props.errorsOf(`report-${report.id}`)}
                />
              </ActionForm>
            </>
          )}
          {applicant && report.state === 'changesRequested' && (
            <ActionForm
              action={`/comptes-rendus/${report.id}/etape`}
              csrfToken={csrfToken}
              button={words.resubmitReport}
            >
              <input type="hidden" name="event" value="RESUBMIT" />
              <TextArea
                name="summary"
                label={words.reportSummary}
                value={report.summary}
                errors={props.errorsOf(`report-${report.id}`)}
              />
            </ActionForm>
          )}
        </article>
      ))}
      {applicant && file.state === 'active' && (
        <details open={props.errorsOf('report').length > 0}>
          <summary>{words.sendReport}</summary>
          <ErrorSummary errors={props.errorsOf('report')} />
          <ActionForm action={`/dossiers/${file.id}/comptes-rendus`} csrfToken={csrfToken} button={words.sendReport}>
            <TextArea
              name="summary"
              label={words.reportSummary}
              value={props.typedOf('report').summary}
              required
              errors={props.errorsOf('report')}
            />
            <AmountField
              name="spent"
              label={words.spent}
              value={props.typedOf('report').spent}
              required
              errors={props.errorsOf('report')}
            />
          </ActionForm>
        </details>
      )}
    </section>
  );
}

function Exchanges(props: { props: FilePageProps; errors: FormError[]; values: Record<string, string> }) {
  const { file, relations, csrfToken } = props.props;
  const team = relations.some((relation) => ['admin', 'referent', 'committee-member'].includes(relation));
  const closed = ['closed', 'withdrawn', 'declined', 'redirected'].includes(file.state);
  return (
    <section aria-labelledby="echanges">
      <h2 id="echanges">{words.exchangesTitle}</h2>
      {file.exchanges.length === 0 ? (
        <p>{words.noExchanges}</p>
      ) : (
        <ul class="exchanges">
          {file.exchanges.map((exchange) => (
            <li key={exchange.id}>
              <strong>
                {words.exchangeKinds[exchange.kind]} — {shownDate(exchange.occurredOn)}
              </strong>{' '}
              <small>
                {exchange.author}
                {exchange.internal && ` · ${words.internal}`}
              </small>
              <p>{exchange.summary}</p>
            </li>
          ))}
        </ul>
      )}
      {!closed && (
        <details open={props.errors.length > 0}>
          <summary>{words.logExchange}</summary>
          <ErrorSummary errors={props.errors} />
          <ActionForm action={`/dossiers/${file.id}/echanges`} csrfToken={csrfToken} button={words.logExchange}>
            <div class="grid">
              <Select
                name="kind"
                label={words.exchangeKind}
                value={props.values.kind}
                options={Object.entries(words.exchangeKinds).map(([value, label]) => ({ value, label }))}
                errors={props.errors}
              />
              <Field
                name="occurredOn"
                label={words.occurredOn}
                type="date"
                value={props.values.occurredOn}
                required
                errors={props.errors}
              />
            </div>
            <TextArea
              name="summary"
              label={words.exchangeSummary}
              value={props.values.summary}
              required
              errors={props.errors}
            />
            {team && (
              <Checkbox
                name="internal"
                label={words.internalLabel}
                checked={props.values.internal === 'oui'}
                errors={props.errors}
              />
            )}
          </ActionForm>
        </details>
      )}
    </section>
  );
}

/** The files this one continues, in our other funds: what was done and decided there, and why. */
function EarlierFiles(props: { file: FileView; names: Map<string, string> }) {
  if (props.file.earlierFiles.length === 0) return null;
  return (
    <section aria-labelledby="parcours-anterieur">
      <h2 id="parcours-anterieur">{words.earlierFilesTitle}</h2>
      {props.file.earlierFiles.map((earlier) => (
        <details key={earlier.id}>
          <summary>{words.earlierFile(earlier.fundName, stateLabels[earlier.state] ?? earlier.state)}</summary>
          <p>
            <a href={`/dossiers/${earlier.id}`}>{words.openEarlierFile}</a>
          </p>
          <History rows={earlier.history} names={props.names} />
        </details>
      ))}
    </section>
  );
}

function History(props: { rows: FileView['history']; names: Map<string, string> }) {
  return (
    <Table
      headers={[
        words.historyColumns.at,
        words.historyColumns.step,
        words.historyColumns.by,
        words.historyColumns.reason,
      ]}
    >
      {props.rows.map((row) => (
        <tr key={row.id}>
          <td>{shownDateTime(row.occurredAt)}</td>
          <td>{eventLabels[row.event as keyof typeof eventLabels] ?? stateLabels[row.toState] ?? row.event}</td>
          <td>{(row.actorId && props.names.get(row.actorId)) ?? words.none}</td>
          <td>{row.reason ?? ''}</td>
        </tr>
      ))}
    </Table>
  );
}
