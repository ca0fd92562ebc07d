import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors';
import { poolChoices } from '../endowment/grants';
import { listFunds } from '../ledger/queries';
import { isAdmin, scopesHeld, type Principal } from '../identity/roles';
import { listApplications } from '../pathway/service';
import { sendBackTargets } from '../../workflows/application.machine';
import { parisWallClock, parisWallClockToInstant } from '../time';
import { Pagination, shownAmount, shownDateTime, Table } from '../web/components';
import { AmountField, ActionForm, ErrorSummary, Field, Select, TextArea, type FormError } from '../web/forms';
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
import { committeesNamed, getCommittee } from './committees';
import { committeesPageMessages as words, committeesMessages } from './messages';
import { closeBody, committeeAnswer, declarationBody, newSessionBody, sessionAnswer, voteBody } from './schema';
import { applicationsAnswer } from '../pathway/schema';
import { closeSessionAs, getSession, openSession, outcomeLabels } from './sessions';
import { castVote, declareInterests } from './votes';

/**
 * The committees' pages: the committees I sit on, the files waiting at mine
 * (the chair opens a vote on each), a vote as a member sees it — declare,
 * vote and change it while open, who voted (not how), the result and the
 * minutes after. The same services and seats as the API; others get 404.
 */
const waitingPageSize = 20;
const sessionsShownMax = 20;
const defaultVotingDays = 7;

const committeesOfPrincipal = (principal: Principal) =>
  isAdmin(principal) ? ('all' as const) : scopesHeld(principal, ['committee_member'], 'committee');

async function committeesPage({ app, principal, csrfToken }: PageContext<'signed-in'>) {
  const committees = await committeesNamed(app.db, committeesOfPrincipal(principal));
  const waiting = await Promise.all(
    committees.map(
      async (committee) =>
        (
          await listApplications(
            app.db,
            { committeeId: committee.id, state: 'committee', page: 1, pageSize: 1 },
            principal,
          )
        ).total,
    ),
  );
  return {
    page: (
      <Layout title={words.committeesTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.committeesTitle}</h1>
        <p>{words.committeesLead}</p>
        {committees.length === 0 ? (
          <p>{words.noCommittee}</p>
        ) : (
          <ul>
            {committees.map((committee, index) => (
              <li key={committee.id}>
                <a href={`/comites/${committee.id}`}>{committee.name}</a> — {words.waitingCount(waiting[index] ?? 0)}
              </li>
            ))}
          </ul>
        )}
      </Layout>
    ),
  };
}

type Typed = { applicationId: string; values: Record<string, string>; errors: FormError[] };

async function committeePage(context: PageContext<'signed-in'>, typed?: Typed) {
  const { app, principal, csrfToken, request } = context;
  const committeeId = String(request.params.committeeId);
  const mine = committeesOfPrincipal(principal);
  if (mine !== 'all' && !mine.includes(committeeId)) throw new NotFoundError(committeesMessages.committeeMissing);
  const committee = asAnswer(committeeAnswer, await getCommittee(app.db, committeeId, sessionsShownMax));
  const waiting = asAnswer(
    applicationsAnswer,
    await listApplications(
      app.db,
      { committeeId, state: 'committee', page: pageNumber(request.query.page), pageSize: waitingPageSize },
      principal,
    ),
  );
  const chairs =
    isAdmin(principal) || committee.members.some((member) => member.userId === principal.userId && member.chair);
  const openVotes = new Map(
    committee.sessions.filter((session) => !session.closedAt).map((session) => [session.applicationId, session]),
  );
  const pools = chairs ? await poolChoices(app.db, committee.fundId) : [];
  // Our other vehicles, where a redirected project continues in a file of its own.
  const otherFunds = chairs ? (await listFunds(app.db)).filter((fund) => fund.id !== committee.fundId) : [];
  return {
    page: (
      <Layout title={committee.name} viewer={principal} csrfToken={csrfToken}>
        <p>
          <a href="/comites">{words.committeesTitle}</a>
        </p>
        <h1>{committee.name}</h1>
        <section aria-labelledby="en-attente">
          <h2 id="en-attente">{words.waitingTitle}</h2>
          {waiting.files.length === 0 && <p>{words.noWaiting}</p>}
          {waiting.files.map((file) => {
            const open = openVotes.get(file.id);
            return (
              <article key={file.id}>
                <h3>
                  <a href={`/dossiers/${file.id}`}>{file.organisation.name}</a>
                </h3>
                <p>
                  {words.columns.asked} :{' '}
                  {file.amountAsked
                    ? `${shownAmount(file.amountAsked.from)} – ${shownAmount(file.amountAsked.to)}`
                    : '—'}
                </p>
                {open ? (
                  <p>
                    <a href={`/votes/${open.id}`}>{words.seeVote(open.reference)}</a> ({words.voteOpen})
                  </p>
                ) : chairs ? (
                  <OpenVoteForm
                    committeeId={committeeId}
                    applicationId={file.id}
                    organisation={file.organisation.name}
                    pools={pools}
                    otherFunds={otherFunds}
                    csrfToken={csrfToken}
                    typed={typed?.applicationId === file.id ? typed : undefined}
                  />
                ) : (
                  <p>
                    <small>{words.onlyChairOpensHint}</small>
                  </p>
                )}
              </article>
            );
          })}
          <Pagination
            path={`/comites/${committeeId}`}
            query={{}}
            page={waiting.page}
            pageSize={waiting.pageSize}
            total={waiting.total}
          />
        </section>
        <section aria-labelledby="votes">
          <h2 id="votes">{words.sessionsTitle}</h2>
          {committee.sessions.length === 0 ? (
            <p>{words.noSessions}</p>
          ) : (
            <Table
              headers={[words.columns.reference, words.columns.motion, words.columns.deadline, words.columns.outcome]}
            >
              {committee.sessions.map((session) => (
                <tr key={session.id}>
                  <td>
                    <a href={`/votes/${session.id}`}>{session.reference}</a>
                  </td>
                  <td>{words.decisions[session.motion]}</td>
                  <td>{shownDateTime(session.deadline)}</td>
                  <td>{session.outcome ? outcomeLabels[session.outcome] : words.voteOpen}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        <section aria-labelledby="membres">
          <h2 id="membres">{words.membersTitle}</h2>
          <ul>
            {committee.members.map((member) => (
              <li key={member.userId}>
                {member.name}
                {member.chair && ` (${words.chair})`}
              </li>
            ))}
          </ul>
        </section>
      </Layout>
    ),
    status: typed ? 422 : 200,
  };
}

function OpenVoteForm(props: {
  committeeId: string;
  applicationId: string;
  organisation: string;
  pools: { id: string; name: string }[];
  otherFunds: { id: string; name: string }[];
  csrfToken: string;
  typed?: Typed | undefined;
}) {
  const values = props.typed?.values ?? {};
  const errors = props.typed?.errors ?? [];
  const inAWeek = parisWallClock(new Date(Date.now() + defaultVotingDays * 24 * 3600 * 1000));
  return (
    <details open={errors.length > 0}>
      <summary>{words.openVoteTitle(props.organisation)}</summary>
      <ErrorSummary errors={errors} />
      <ActionForm action={`/comites/${props.committeeId}/votes`} csrfToken={props.csrfToken} button={words.openVote}>
        <input type="hidden" name="applicationId" value={props.applicationId} />
        <Select
          name="decision"
          label={words.decisionLabel}
          value={values.decision}
          options={Object.entries(words.decisions).map(([value, label]) => ({ value, label }))}
          errors={errors}
        />
        <div class="grid">
          <AmountField name="amount" label={words.amountLabel} value={values.amount} errors={errors} />
          <Select
            name="poolId"
            label={words.poolLabel}
            value={values.poolId}
            options={[
              { value: '', label: words.noPool },
              ...props.pools.map((pool) => ({ value: pool.id, label: pool.name })),
            ]}
            errors={errors}
          />
        </div>
        <TextArea name="feedback" label={words.feedbackLabel} value={values.feedback} errors={errors} />
        <RedirectAndSendBackFields otherFunds={props.otherFunds} values={values} errors={errors} />
        <TextArea name="rework" label={words.reworkLabel} value={values.rework} errors={errors} />
        <Field
          name="deadline"
          label={words.deadlineLabel}
          type="datetime-local"
          value={values.deadline ?? inAWeek}
          required
          errors={errors}
        />
      </ActionForm>
    </details>
  );
}

/** Where a redirection sends the project (one of our funds, or another funder), or to which step a send-back returns. */
function RedirectAndSendBackFields(props: {
  otherFunds: { id: string; name: string }[];
  values: Record<string, string>;
  errors: FormError[];
}) {
  const { values, errors } = props;
  return (
    <>
      <div class="grid">
        <Select
          name="fundId"
          label={words.redirectToFundLabel}
          value={values.fundId}
          options={[
            { value: '', label: words.noFund },
            ...props.otherFunds.map((fund) => ({ value: fund.id, label: fund.name })),
          ]}
          errors={errors}
        />
        <Field name="to" label={words.redirectToLabel} value={values.to} errors={errors} />
      </div>
      <Select
        name="sendBackTo"
        label={words.sendBackToLabel}
        value={values.sendBackTo}
        options={sendBackTargets.map((target) => ({ value: target, label: words.sendBackTargets[target] ?? target }))}
        errors={errors}
      />
    </>
  );
}

/** The motion a chair's form proposes, as the API's: only the fields of the decision chosen are read. */
function motionFrom(form: Record<string, string>) {
  switch (form.decision) {
    case 'approve':
      return {
        decision: 'approve',
        amount: frenchAmountFields(form, ['amount']).amount ?? '',
        ...(form.poolId ? { poolId: form.poolId } : {}),
      };
    case 'decline':
      return { decision: 'decline', feedback: form.feedback };
    case 'redirect':
      return {
        decision: 'redirect',
        ...(form.fundId ? { fundId: form.fundId } : {}),
        ...(form.to ? { to: form.to } : {}),
        feedback: form.feedback,
      };
    default:
      return { decision: 'send-back', to: form.sendBackTo, rework: form.rework };
  }
}

type SessionView = z.infer<typeof sessionAnswer>;

async function sessionPage(
  context: PageContext<'signed-in'>,
  sessionId: string,
  typed?: { form: string; values: Record<string, string>; errors: FormError[] },
) {
  const { app, principal, csrfToken } = context;
  const session = asAnswer(sessionAnswer, await getSession(app.db, sessionId, principal));
  return {
    page: <SessionPage session={session} principal={principal} csrfToken={csrfToken} typed={typed} />,
    status: typed ? 422 : 200,
  };
}

function SessionPage(props: {
  session: SessionView;
  principal: Principal;
  csrfToken: string;
  typed?: { form: string; values: Record<string, string>; errors: FormError[] } | undefined;
}) {
  const { session, principal, csrfToken } = props;
  const open = session.closedAt === null;
  const me = session.members.find((member) => member.userId === principal.userId);
  const chairs = session.yourRelations.includes('chair') || session.yourRelations.includes('admin');
  const errorsOf = (form: string) => (props.typed?.form === form ? props.typed.errors : []);
  const valuesOf = (form: string) => (props.typed?.form === form ? props.typed.values : {});
  const url = `/votes/${session.id}`;
  const minutes = session.documents.find((document) => document.kind === 'committee-minutes');
  return (
    <Layout title={words.sessionTitle(session.reference)} viewer={principal} csrfToken={csrfToken}>
      <p>
        <a href={`/comites/${session.committeeId}`}>{words.committeesTitle}</a>
      </p>
      <h1>{words.sessionTitle(session.reference)}</h1>
      <p>
        <strong>{words.state[open ? 'open' : 'closed']}</strong> — {words.deadline(shownDateTime(session.deadline))}
      </p>
      <dl>
        <dt>{words.motion}</dt>
        <dd>{session.motion.text}</dd>
        <dt>{words.file}</dt>
        <dd>
          <a href={`/dossiers/${session.applicationId}`}>{words.openFile}</a>
        </dd>
      </dl>
      {!open && session.outcome && (
        <section aria-labelledby="resultat">
          <h2 id="resultat">{words.resultTitle}</h2>
          <p>
            <strong>{outcomeLabels[session.outcome]}</strong>
          </p>
          {session.tally && <p>{words.counts(session.tally.counts)}</p>}
          {session.tally?.explanation && <p>{session.tally.explanation}</p>}
          {session.outcomeReason && <p>{session.outcomeReason}</p>}
          {minutes ? (
            <p>
              <a href={`/api/documents/${minutes.id}`} download={minutes.fileName}>
                {words.minutes}
              </a>
            </p>
          ) : (
            <p>{words.minutesComing}</p>
          )}
        </section>
      )}
      {open && me && !me.declared && (
        <section aria-labelledby="declaration">
          <h2 id="declaration">{words.declarationTitle}</h2>
          <p>{words.declarationLead}</p>
          <ErrorSummary errors={errorsOf('declaration')} />
          <ActionForm action={`${url}/declaration`} csrfToken={csrfToken} button={words.declare}>
            <fieldset>
              <legend>{words.declarationTitle}</legend>
              <label>
                <input
                  type="radio"
                  name="conflicted"
                  value="non"
                  checked={valuesOf('declaration').conflicted === 'non'}
                />
                {words.noConflictChoice}
              </label>
              <label>
                <input
                  type="radio"
                  name="conflicted"
                  value="oui"
                  checked={valuesOf('declaration').conflicted === 'oui'}
                />
                {words.conflictChoice}
              </label>
            </fieldset>
            <TextArea
              name="details"
              label={words.conflictDetails}
              value={valuesOf('declaration').details}
              errors={errorsOf('declaration')}
            />
          </ActionForm>
        </section>
      )}
      {open && me?.declared && !me.recused && (
        <section aria-labelledby="mon-vote">
          <h2 id="mon-vote">{words.voteTitle}</h2>
          {me.choice && <p>{words.yourVote(words.choices[me.choice] ?? me.choice)}</p>}
          <ErrorSummary errors={errorsOf('vote')} />
          <ActionForm
            action={`${url}/vote`}
            csrfToken={csrfToken}
            button={me.choice ? words.changeVote : words.castVote}
          >
            <fieldset>
              <legend>{words.choiceLabel}</legend>
              {Object.entries(words.choices).map(([value, label]) => (
                <label key={value}>
                  <input
                    type="radio"
                    name="choice"
                    value={value}
                    checked={(valuesOf('vote').choice ?? me.choice) === value}
                  />
                  {label}
                </label>
              ))}
            </fieldset>
            <Field
              name="comment"
              label={words.commentLabel}
              value={valuesOf('vote').comment ?? me.comment ?? ''}
              errors={errorsOf('vote')}
            />
          </ActionForm>
        </section>
      )}
      <section aria-labelledby="sieges">
        <h2 id="sieges">{words.seatsTitle}</h2>
        {open && <p>{words.seatsLead}</p>}
        <Table
          headers={[
            words.seatColumns.member,
            words.seatColumns.declared,
            words.seatColumns.voted,
            words.seatColumns.choice,
          ]}
        >
          {session.members.map((member) => (
            <tr key={member.userId}>
              <td>
                {member.name}
                {member.chair && ` (${words.chair})`}
              </td>
              <td>{member.recused ? words.recused : member.declared ? words.noConflict : words.notDeclared}</td>
              <td>{member.voted ? words.yes : words.no}</td>
              <td>{member.choice ? words.choices[member.choice] : member.voted ? words.hidden : '—'}</td>
            </tr>
          ))}
        </Table>
      </section>
      {open && chairs && (
        <section aria-labelledby="cloture">
          <h2 id="cloture">{words.closeTitle}</h2>
          <p>{words.closeLead}</p>
          <ErrorSummary errors={errorsOf('close')} />
          <ActionForm action={`${url}/cloture`} csrfToken={csrfToken} button={words.close} secondary>
            <Field
              name="reason"
              label={words.closeReason}
              value={valuesOf('close').reason}
              errors={errorsOf('close')}
            />
          </ActionForm>
        </section>
      )}
    </Layout>
  );
}

const sessionIdOf = (candidate: unknown): string => idOf(candidate, committeesMessages.sessionMissing);

/** The vote page's forms: back to the vote when done, or the vote again with the refusal on its form. */
const onTheVote = formsOf({
  keyOf: (context) => sessionIdOf(context.request.params.sessionId),
  url: (sessionId) => `/votes/${sessionId}`,
  page: sessionPage,
});

const optionalText = (text: string | undefined) => (text?.trim() ? text.trim() : undefined);

export const committeePages: AnyPage[] = [
  definePage({ method: 'get', path: '/comites', access: 'signed-in', handler: committeesPage }),
  definePage({
    method: 'get',
    path: '/comites/:committeeId',
    access: 'signed-in',
    handler: (context) => committeePage(context),
  }),
  definePage({
    method: 'post',
    path: '/comites/:committeeId/votes',
    access: 'signed-in',
    handler: async (context) => {
      const { app, principal, form, request } = context;
      const committeeId = String(request.params.committeeId);
      const mine = committeesOfPrincipal(principal);
      if (mine !== 'all' && !mine.includes(committeeId)) throw new NotFoundError(committeesMessages.committeeMissing);
      const outcome = await attempt(async () => {
        const deadline = parisWallClockToInstant(form.deadline ?? '');
        if (!deadline) throw new ValidationError([{ path: ['deadline'], message: words.deadlineUnreadable }]);
        const body = parsed(newSessionBody, {
          applicationId: form.applicationId,
          motion: motionFrom(form),
          deadline: deadline.toISOString(),
        });
        return app.db.transaction((trx) => openSession(trx, committeeId, body, principal));
      });
      if (outcome.done) return { redirect: `/votes/${outcome.value}` };
      return committeePage(context, { applicationId: form.applicationId ?? '', values: form, errors: outcome.errors });
    },
  }),
  definePage({
    method: 'get',
    path: '/votes/:sessionId',
    access: 'signed-in',
    handler: (context) => sessionPage(context, sessionIdOf(context.request.params.sessionId)),
  }),
  definePage({
    method: 'post',
    path: '/votes/:sessionId/declaration',
    access: 'signed-in',
    handler: onTheVote('declaration', async ({ app, form, principal }, sessionId) => {
      if (form.conflicted !== 'oui' && form.conflicted !== 'non')
        throw new ValidationError([{ path: ['conflicted'], message: words.choiceMissing }]);
      const declaration = parsed(declarationBody, {
        conflicted: form.conflicted === 'oui',
        details: optionalText(form.details),
      });
      await app.db.transaction((trx) => declareInterests(trx, sessionId, declaration, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/votes/:sessionId/vote',
    access: 'signed-in',
    handler: onTheVote('vote', async ({ app, form, principal }, sessionId) => {
      if (!((form.choice ?? '') in words.choices))
        throw new ValidationError([{ path: ['choice'], message: words.choiceMissing }]);
      const ballot = parsed(voteBody, { choice: form.choice, comment: optionalText(form.comment) });
      await app.db.transaction((trx) => castVote(trx, sessionId, ballot, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/votes/:sessionId/cloture',
    access: 'signed-in',
    handler: onTheVote('close', async ({ app, form, principal }, sessionId) => {
      const { reason } = parsed(closeBody, { reason: optionalText(form.reason) });
      await app.db.transaction((trx) => closeSessionAs(trx, sessionId, principal, reason));
    }),
  }),
];
