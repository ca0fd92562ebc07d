import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors';
import { namesOf } from '../identity/service';
import { bankAccountCode } from '../ledger/charts/common';
import { accountBalance, getFund, hasAccount, listFunds, monthEndBalances } from '../ledger/queries';
import type { Database } from '../db/database';
import { Chart, chartSvg, lineChartSpec } from '../web/charts';
import { endowmentPageMessages as endowmentWords } from '../endowment/messages';
import { sectionPath, type Section } from '../endowment/page-frame';
import { booksSectionPath } from '../ledger/pages';
import { ledgerPageMessages as booksWords } from '../ledger/messages';
import { euros, toApiAmount } from '../money';
import { shownMonth, todayInParis } from '../time';
import { apiAmountMinor, JobProgress, shownAmount, shownDate, shownDateTime, Table } from '../web/components';
import { AmountField, ActionForm, Checkbox, ErrorSummary, Field, TextArea } from '../web/forms';
import { ActionButton, Layout } from '../web/layout';
import {
  asAnswer,
  attempt,
  definePage,
  formsOf,
  frenchAmountFields,
  nothingTyped,
  parsed,
  typedFor,
  type Typed,
  type AnyPage,
  type PageContext,
  idOf,
} from '../web/pages';
import { fundsTreasuredBy, treasuredFund } from './access';
import { statementSizeMaxBytes } from './camt053';
import {
  createBatch,
  getDisbursement,
  markBatchSent,
  requestDisbursement,
  takeDisbursementStep,
} from './disbursements';
import { listBatches, listDisbursements } from './lists';
import { decideMatch, listMatches, matchByHand } from './bank-matches';
import { latestProposalRun, requestMatchProposals, type ProposalRun } from './proposal-runs';
import { listDisbursementRequests } from './requests';
import { listStatements, statementView, type StatementSource } from './statements';
import { requestStatementUpload } from './statement-uploads';
import { uploadPath } from './upload-pages';
import { disbursementRequestsAnswer } from '../endowment/schema';
import {
  batchesAnswer,
  disbursementAnswer,
  disbursementRequestBody,
  disbursementStepBody,
  disbursementsAnswer,
  manualMatchBody,
  matchDecisionBody,
  matchesAnswer,
  newBatchBody,
  statementAnswer,
  statementsAnswer,
} from './schema';
import { treasuryMessages, treasuryPageMessages as words } from './messages';
import { unitFundSectionPath, unitFundSections } from '../fpci/team-pages';
import { fpciTeamPageMessages as unitFundWords } from '../fpci/messages';

/**
 * The treasurer's pages: a dashboard per fund (the bank balance, tranches to
 * pay, payments to approve and to batch, batches and their SEPA files,
 * statements), a payment with its four eyes, and the reconciliation workspace.
 * The same services as the treasury's API, for the treasurers of the fund.
 */
const listedMax = 20;
const linesShownMax = 200;

async function dashboard(context: PageContext<'signed-in'>, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const fundId = treasuredFund(principal, request.params.fundId);
  const fund = await getFund(app.db, fundId).catch(() => {
    throw new NotFoundError();
  });
  const page = { page: 1, pageSize: listedMax };
  const [payables, toApprove, toBatch, batches, statements, booksMinor] = await Promise.all([
    listDisbursementRequests(app.db, fundId, { ...page, status: 'requested' }).then((answer) =>
      asAnswer(disbursementRequestsAnswer, answer),
    ),
    listDisbursements(app.db, fundId, { ...page, state: 'requested' }).then((answer) =>
      asAnswer(disbursementsAnswer, answer),
    ),
    listDisbursements(app.db, fundId, { ...page, state: 'approved', pageSize: 100 }).then((answer) =>
      asAnswer(disbursementsAnswer, answer),
    ),
    listBatches(app.db, { ...page, fundId }).then((answer) => asAnswer(batchesAnswer, answer)),
    listStatements(app.db, fundId).then((answer) => asAnswer(statementsAnswer, answer)),
    accountBalance(app.db, fundId, bankAccountCode).catch(() => null),
  ]);
  const months = await bankBalanceChart(app.db, fundId);
  const latest = statements[0];
  const batchForm = typedFor(typed, 'batch');
  const uploadForm = typedFor(typed, 'statement');
  const url = `/tresorerie/${fundId}`;
  return {
    page: (
      <Layout title={words.dashboardTitle(fund.name)} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.dashboardTitle(fund.name)}</h1>
        <ErrorSummary errors={typed.form === 'payment' ? typed.errors : []} />
        <FundSections fundId={fundId} endowment={fund.kind === 'endowment'} unitFund={fund.kind === 'fpci'} />
        <BankBalance booksMinor={booksMinor} latest={latest} months={months} />
        <section aria-labelledby="a-payer">
          <h2 id="a-payer">{words.payablesTitle}</h2>
          {payables.requests.length === 0 ? (
            <p>{words.noPayables}</p>
          ) : (
            <Table headers={[...Object.values(words.requestsColumns), '']}>
              {payables.requests.map((item) => (
                <tr key={item.id}>
                  <td>{item.payee}</td>
                  <td>{item.label}</td>
                  <td class="amount">{shownAmount(item.amount)}</td>
                  <td>{shownDate(item.createdAt)}</td>
                  <td>
                    <form method="post" action={`${url}/paiements`} class="inline">
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <input type="hidden" name="requestId" value={item.id} />
                      <button type="submit" aria-label={`${words.requestPayment} — ${item.label}`}>
                        {words.requestPayment}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        <section aria-labelledby="a-approuver">
          <h2 id="a-approuver">{words.toApproveTitle}</h2>
          {toApprove.disbursements.length === 0 ? (
            <p>{words.noneToApprove}</p>
          ) : (
            <Table headers={[...Object.values(words.paymentsColumns).slice(0, 4)]}>
              {toApprove.disbursements.map((payment) => (
                <tr key={payment.id}>
                  <td>
                    <a href={`/paiements/${payment.id}`}>{payment.creditor}</a>
                  </td>
                  <td class="amount">{shownAmount(payment.amount)}</td>
                  <td>{words.approvalsOf(payment.approvals, payment.approvalsNeeded)}</td>
                  <td>
                    <code>{payment.endToEndId}</code>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        <section aria-labelledby="a-mettre-en-lot">
          <h2 id="a-mettre-en-lot">{words.toBatchTitle}</h2>
          {toBatch.disbursements.length === 0 ? (
            <p>{words.noneToBatch}</p>
          ) : (
            <>
              <ErrorSummary errors={batchForm.errors} />
              <ActionForm action={`${url}/lots`} csrfToken={csrfToken} button={words.createBatch}>
                {toBatch.disbursements.map((payment) => (
                  <Checkbox
                    key={payment.id}
                    name={`paiement-${payment.id}`}
                    label={`${words.inBatch(payment.creditor)} — ${shownAmount(payment.amount)}`}
                    checked={typed.form === 'batch' ? batchForm.values[`paiement-${payment.id}`] === 'oui' : true}
                    errors={[]}
                  />
                ))}
                <Field
                  name="executionDate"
                  label={words.executionDate}
                  type="date"
                  value={batchForm.values.executionDate ?? todayInParis()}
                  required
                  errors={batchForm.errors}
                />
              </ActionForm>
            </>
          )}
        </section>
        <section aria-labelledby="lots">
          <h2 id="lots">{words.batchesTitle}</h2>
          {batches.batches.length === 0 ? (
            <p>{words.noBatches}</p>
          ) : (
            <Table headers={Object.values(words.batchesColumns)}>
              {batches.batches.map((batch) => (
                <tr key={batch.id}>
                  <td>
                    <code>{batch.messageId}</code>
                  </td>
                  <td>{shownDate(batch.executionDate)}</td>
                  <td>{batch.payments}</td>
                  <td class="amount">{shownAmount(batch.total)}</td>
                  <td>{words.batchStates[batch.state]}</td>
                  <td>
                    <a href={`/api/payment-batches/${batch.id}/pain001`} download>
                      {words.downloadPain}
                    </a>
                    {batch.state === 'prepared' && (
                      <ActionButton action={`/lots/${batch.id}/envoye`} csrfToken={csrfToken} label={words.markSent} />
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        <section aria-labelledby="releves">
          <h2 id="releves">{words.statementsTitle}</h2>
          {statements.length > 0 && (
            <Table headers={Object.values(words.statementsColumns)}>
              {statements.slice(0, listedMax).map((statement) => (
                <tr key={statement.id}>
                  <td>
                    <a href={`${url}/releves/${statement.id}`} aria-label={words.reconcile(statement.bankStatementId)}>
                      {statement.bankStatementId}
                    </a>
                  </td>
                  <td>{words.period(shownDate(statement.openingDate), shownDate(statement.closingDate))}</td>
                  <td class="amount">{shownAmount(statement.closing)}</td>
                  <td>{statement.unmatchedLines}</td>
                </tr>
              ))}
            </Table>
          )}
          <details open={uploadForm.errors.length > 0}>
            <summary>{words.uploadTitle}</summary>
            <p>{words.uploadLead}</p>
            <ErrorSummary errors={uploadForm.errors} />
            <ActionForm action={`${url}/releves`} csrfToken={csrfToken} button={words.upload} multipart>
              <Field
                name="releve"
                label={words.statementFile}
                type="file"
                accept=".xml,.csv,application/xml,text/xml,text/csv"
                required
                errors={uploadForm.errors}
              />
              <div class="grid">
                <Field
                  name="statementId"
                  label={words.csvStatementId}
                  value={uploadForm.values.statementId}
                  errors={uploadForm.errors}
                />
                <AmountField
                  name="opening"
                  label={words.csvOpening}
                  value={uploadForm.values.opening}
                  errors={uploadForm.errors}
                />
                <Field
                  name="openingDate"
                  label={words.csvOpeningDate}
                  type="date"
                  value={uploadForm.values.openingDate}
                  errors={uploadForm.errors}
                />
              </div>
            </ActionForm>
          </details>
        </section>
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

const chartMonths = 12;

/** The bank account's balance at each month's end over the year, drawn, and the same numbers. */
async function bankBalanceChart(db: Database, fundId: string) {
  const hasBank = await hasAccount(db, fundId, bankAccountCode);
  if (!hasBank) return undefined;
  const balances = await monthEndBalances(db, fundId, bankAccountCode, { months: chartMonths, today: todayInParis() });
  const points = balances.map(({ month, balanceMinor }) => ({
    label: shownMonth(month),
    value: Number(balanceMinor) / 100,
    shown: shownAmount(toApiAmount(euros(balanceMinor))),
  }));
  return { points, svg: await chartSvg(lineChartSpec(points, words.bankOverMonths)) };
}

function BankBalance(props: {
  booksMinor: bigint | null;
  latest: { closingDate: string; closing: string } | undefined;
  months: Awaited<ReturnType<typeof bankBalanceChart>>;
}) {
  return (
    <section aria-labelledby="solde">
      <h2 id="solde">{words.balancesTitle}</h2>
      <dl class="summary">
        <dt>{words.booksBalance}</dt>
        <dd>{props.booksMinor === null ? '—' : shownAmount(toApiAmount(euros(props.booksMinor)))}</dd>
        <dt>{props.latest ? words.lastStatement(shownDate(props.latest.closingDate)) : words.noStatementYet}</dt>
        <dd>{props.latest ? shownAmount(props.latest.closing) : '—'}</dd>
      </dl>
      {props.months && (
        <Chart
          svg={props.months.svg}
          caption={words.bankOverMonths}
          headers={words.monthColumns}
          points={props.months.points}
        />
      )}
    </section>
  );
}

/** The fund's other pages: its books, and for an endowment fund its donors, gifts, imports, receipts and pools. */
function FundSections(props: { fundId: string; endowment: boolean; unitFund: boolean }) {
  return (
    <nav aria-label={words.fundSections} class="sections">
      <ul>
        <li>
          <a href={booksSectionPath(props.fundId, 'balance')}>{booksWords.sectionsTitle}</a>
        </li>
        {props.endowment &&
          (Object.keys(endowmentWords.sections) as Section[]).map((section) => (
            <li key={section}>
              <a href={sectionPath(props.fundId, section)}>{endowmentWords.sections[section]}</a>
            </li>
          ))}
        {props.unitFund &&
          unitFundSections.map((section) => (
            <li key={section}>
              <a href={unitFundSectionPath(props.fundId, section)}>{unitFundWords.sections[section]}</a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

/** The dashboard's forms: back to it when done, or the dashboard again with the refusal on its form. */
const onTheDashboard = formsOf({
  keyOf: (context) => treasuredFund(context.principal, context.request.params.fundId),
  url: (fundId) => `/tresorerie/${fundId}`,
  page: (context, _fundId, typed) => dashboard(context, typed),
});

async function paymentPage(context: PageContext<'signed-in'>, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const id = idOf(request.params.disbursementId, treasuryMessages.disbursementMissing);
  const payment = asAnswer(disbursementAnswer, await getDisbursement(app.db, id, principal));
  const fundId = (await app.db('disbursements').where('id', payment.id).first<{ fund_id: string }>('fund_id')).fund_id;
  const requestedBy = payment.history[0]?.actorId ?? null;
  const names = await namesOf(app.db, [
    ...new Set(payment.history.map((row) => row.actorId).filter((actor): actor is string => actor !== null)),
  ]);
  const own = requestedBy === principal.userId;
  const approved = payment.approvals.includes(principal.userId);
  const url = `/paiements/${payment.id}`;
  return {
    page: (
      <Layout title={words.paymentTitle(payment.creditor.name)} viewer={principal} csrfToken={csrfToken}>
        <p>
          <a href={`/tresorerie/${fundId}`}>{words.backToDashboard}</a>
        </p>
        <h1>{words.paymentTitle(payment.creditor.name)}</h1>
        <dl class="summary">
          <dt>{words.paymentFacts.amount}</dt>
          <dd>{shownAmount(payment.amount)}</dd>
          <dt>{words.paymentFacts.iban}</dt>
          <dd>
            <code>{payment.creditor.iban}</code>
          </dd>
          <dt>{words.paymentFacts.remittance}</dt>
          <dd>{payment.remittance}</dd>
          <dt>{words.paymentFacts.reference}</dt>
          <dd>
            <code>{payment.endToEndId}</code>
          </dd>
          <dt>{words.paymentFacts.state}</dt>
          <dd class="state">{words.states[payment.state] ?? payment.state}</dd>
          <dt>{words.paymentFacts.approvals}</dt>
          <dd>{words.approvalsOf(payment.approvals.length, payment.approvalsNeeded)}</dd>
          <dt>{words.paymentFacts.requestedBy}</dt>
          <dd>{(requestedBy && names.get(requestedBy)) ?? '—'}</dd>
        </dl>
        {payment.state === 'requested' && (
          <section aria-labelledby="approbation">
            <h2 id="approbation">{words.approve}</h2>
            <ErrorSummary errors={typed.errors} />
            {own ? (
              <p class="four-eyes">{words.ownRequest}</p>
            ) : approved ? (
              <p class="four-eyes">{words.alreadyApproved}</p>
            ) : (
              <ActionForm action={`${url}/etape`} csrfToken={csrfToken} button={words.approve}>
                <input type="hidden" name="event" value="APPROVE" />
              </ActionForm>
            )}
            <details open={typed.form === 'REJECT'}>
              <summary>{words.reject}</summary>
              <ActionForm action={`${url}/etape`} csrfToken={csrfToken} button={words.reject} secondary>
                <input type="hidden" name="event" value="REJECT" />
                <TextArea
                  name="reason"
                  label={words.rejectReason}
                  value={typed.values.reason}
                  required
                  errors={typed.errors}
                />
              </ActionForm>
            </details>
          </section>
        )}
        <section aria-labelledby="historique">
          <h2 id="historique">{words.historyTitle}</h2>
          <Table headers={Object.values(words.historyColumns)}>
            {payment.history.map((row) => (
              <tr key={row.id}>
                <td>{shownDateTime(row.occurredAt)}</td>
                <td>{words.states[row.toState] ?? row.toState}</td>
                <td>{(row.actorId && names.get(row.actorId)) ?? '—'}</td>
                <td>{row.reason ?? ''}</td>
              </tr>
            ))}
          </Table>
        </section>
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

async function workspace(context: PageContext<'signed-in'>, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const fundId = treasuredFund(principal, request.params.fundId);
  const statementId = idOf(request.params.statementId, treasuryMessages.statementMissing);
  const view = asAnswer(statementAnswer, await statementView(app.db, fundId, statementId));
  const matches = asAnswer(matchesAnswer, await listMatches(app.db, fundId, statementId));
  const run = await latestProposalRun(app.db, statementId);
  const proposing = run?.state === 'queued' || run?.state === 'running';
  const url = `/tresorerie/${fundId}/releves/${view.id}`;
  const { explanation } = view;
  const reconciled = view.closing.difference === '0.00' && view.unmatchedLines.length === 0;
  // Open lines first: what is left to do; at most a few hundred on the page.
  const lines = [...view.lines.filter((line) => !line.matched), ...view.lines.filter((line) => line.matched)].slice(
    0,
    linesShownMax,
  );
  const handForm = typedFor(typed, 'by-hand');
  return {
    page: (
      <Layout
        title={words.workspaceTitle(view.bankStatementId)}
        viewer={principal}
        csrfToken={csrfToken}
        refreshSeconds={proposing ? 2 : undefined}
      >
        <p>
          <a href={`/tresorerie/${fundId}`}>{words.backToDashboard}</a>
        </p>
        <h1>{words.workspaceTitle(view.bankStatementId)}</h1>
        {view.doesNotAddUpBy && <p class="warning">{words.doesNotAddUp(shownAmount(view.doesNotAddUpBy))}</p>}
        <section aria-labelledby="face-aux-livres">
          <h2 id="face-aux-livres">{words.faceToBooks}</h2>
          <Table headers={Object.values(words.balanceColumns)}>
            {[
              [words.openingRow(shownDate(view.opening.date)), view.opening] as const,
              [words.closingRow(shownDate(view.closing.date)), view.closing] as const,
            ].map(([label, balance]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td class="amount">{shownAmount(balance.bank)}</td>
                <td class="amount">{shownAmount(balance.books)}</td>
                <td class="amount">{shownAmount(balance.difference)}</td>
              </tr>
            ))}
          </Table>
          {reconciled ? (
            <p class="reconciled">
              <strong>{words.reconciled}</strong>
            </p>
          ) : (
            <>
              <h3>{words.explanationTitle}</h3>
              <dl class="summary explanation">
                <dt>{words.openingGap}</dt>
                <dd>{shownAmount(explanation.openingGap)}</dd>
                <dt>{words.bankNotInBooks}</dt>
                <dd>{shownAmount(explanation.bankNotInBooks.total)}</dd>
                <dt>{words.booksNotInBank}</dt>
                <dd>{shownAmount(explanation.booksNotInBank.total)}</dd>
                <dt>{words.unexplained}</dt>
                <dd>{shownAmount(explanation.unexplained)}</dd>
              </dl>
            </>
          )}
        </section>
        {view.overdueTransfers.length > 0 && (
          <section aria-labelledby="en-retard">
            <h2 id="en-retard">{words.overdueTitle}</h2>
            <ul>
              {view.overdueTransfers.map((transfer) => (
                <li key={transfer.disbursementId}>
                  <a href={`/paiements/${transfer.disbursementId}`}>{transfer.creditor}</a> —{' '}
                  {shownAmount(transfer.amount)} ({shownDate(transfer.executionDate)})
                </li>
              ))}
            </ul>
          </section>
        )}
        <section aria-labelledby="rapprochements">
          <h2 id="rapprochements">{words.proposalsTitle}</h2>
          <ErrorSummary errors={typed.form === 'decision' ? typed.errors : []} />
          {run && <ProposalProgress run={run} />}
          {view.unmatchedLines.length > 0 && !proposing && (
            <ActionButton action={`${url}/propositions`} csrfToken={csrfToken} label={words.propose} />
          )}
          {matches.length === 0 && <p>{words.noMatches}</p>}
          <ul class="matches">
            {matches.map((match) => {
              const totalMinor = match.lines.reduce((sum, line) => sum + apiAmountMinor(line.amount), 0n);
              return (
                <li key={match.id}>
                  <article>
                    <p>
                      <strong>{words.matchStatus[match.status]}</strong> — {match.reason}{' '}
                      <small>
                        ({words.confidence(String(Math.round(Number(match.confidence) * 100)))} ·{' '}
                        {words.matchLines(match.lines.length, shownAmount(toApiAmount(euros(totalMinor))))})
                      </small>
                    </p>
                    {match.status === 'proposed' && (
                      <div class="grid">
                        <MatchDecision
                          url={`/rapprochements/${match.id}`}
                          decision="confirm"
                          label={words.confirm}
                          csrfToken={csrfToken}
                        />
                        <MatchDecision
                          url={`/rapprochements/${match.id}`}
                          decision="reject"
                          label={words.rejectMatch}
                          csrfToken={csrfToken}
                          secondary
                        />
                      </div>
                    )}
                    {match.status === 'confirmed' && (
                      <details>
                        <summary>{words.undo}</summary>
                        <ActionForm
                          action={`/rapprochements/${match.id}`}
                          csrfToken={csrfToken}
                          button={words.undo}
                          secondary
                        >
                          <input type="hidden" name="decision" value="undo" />
                          <Field name={`reason-${match.id}`} label={words.undoReason} errors={[]} />
                        </ActionForm>
                      </details>
                    )}
                  </article>
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="lignes">
          <h2 id="lignes">{words.linesTitle}</h2>
          <p>{words.linesShown(lines.length, view.lines.length)}</p>
          <ErrorSummary errors={handForm.errors} />
          <form method="post" action={`${url}/a-la-main`} novalidate>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <Table headers={Object.values(words.linesColumns)}>
              {lines.map((line) => (
                <tr key={line.id}>
                  <td>
                    {!line.matched && (
                      <input
                        type="checkbox"
                        name={`ligne-${line.id}`}
                        value="oui"
                        checked={handForm.values[`ligne-${line.id}`] === 'oui'}
                        aria-label={words.pickLine(line.entry, shownAmount(line.amount))}
                      />
                    )}
                  </td>
                  <td>{shownDate(line.bookingDate)}</td>
                  <td class="amount">{shownAmount(line.amount)}</td>
                  <td>{line.counterparty.name ?? ''}</td>
                  <td>{line.remittance ?? line.endToEndId ?? ''}</td>
                  <td>{line.matched ? words.matched : words.open}</td>
                </tr>
              ))}
            </Table>
            {view.unmatchedLines.length > 0 && (
              <fieldset>
                <legend>{words.byHandTitle}</legend>
                <p>{words.byHandLead}</p>
                <div class="grid">
                  <Field
                    name="accountCode"
                    label={words.accountCode}
                    value={handForm.values.accountCode}
                    required
                    errors={handForm.errors}
                  />
                  <Field
                    name="reason"
                    label={words.byHandReason}
                    value={handForm.values.reason}
                    required
                    errors={handForm.errors}
                  />
                </div>
                <button type="submit">{words.byHand}</button>
              </fieldset>
            )}
          </form>
        </section>
      </Layout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

/** Proposals being made (the page reloads itself), or what the last run made. */
function ProposalProgress(props: { run: ProposalRun }) {
  const { run } = props;
  if (run.state === 'done') return <p role="status">{words.proposed(run.proposed ?? 0)}</p>;
  if (run.state === 'failed') return <p role="alert">{words.proposalFailed(run.failure ?? '')}</p>;
  return (
    <JobProgress
      state={words.proposalStates[run.state] ?? run.state}
      done={words.openLinesRead(run.openLines)}
      processed={0}
      total={null}
      working
    />
  );
}

function MatchDecision(props: {
  url: string;
  decision: string;
  label: string;
  csrfToken: string;
  secondary?: boolean;
}) {
  return (
    <ActionForm action={props.url} csrfToken={props.csrfToken} button={props.label} secondary={props.secondary}>
      <input type="hidden" name="decision" value={props.decision} />
    </ActionForm>
  );
}

const checkedIds = (form: Record<string, string>, prefix: string) =>
  Object.entries(form)
    .filter(([name, value]) => name.startsWith(prefix) && value === 'oui')
    .map(([name]) => name.slice(prefix.length));

export const treasuryPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie',
    access: 'signed-in',
    handler: async ({ app, principal, csrfToken }) => {
      const held = fundsTreasuredBy(principal);
      // Someone who keeps no treasury finds no treasury here, as in the API.
      if (held !== 'all' && held.length === 0) throw new NotFoundError();
      const funds = await listFunds(app.db, held === 'all' ? undefined : held);
      if (funds.length === 1) return { redirect: `/tresorerie/${funds[0]!.id}` };
      return {
        page: (
          <Layout title={words.treasuryTitle} viewer={principal} csrfToken={csrfToken}>
            <h1>{words.treasuryTitle}</h1>
            <p>{words.chooseFund}</p>
            <ul>
              {funds.map((fund) => (
                <li key={fund.id}>
                  <a href={`/tresorerie/${fund.id}`}>{fund.name}</a>
                </li>
              ))}
            </ul>
          </Layout>
        ),
      };
    },
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId',
    access: 'signed-in',
    handler: (context) => dashboard(context),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/paiements',
    access: 'signed-in',
    handler: onTheDashboard('payment', async ({ app, form, principal }, fundId) => {
      const body = parsed(disbursementRequestBody, { requestId: form.requestId });
      const id = await app.db.transaction((trx) => requestDisbursement(trx, fundId, body, principal));
      return `/paiements/${id}`;
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/lots',
    access: 'signed-in',
    handler: onTheDashboard('batch', async ({ app, form, principal }, fundId) => {
      const disbursementIds = checkedIds(form, 'paiement-');
      if (disbursementIds.length === 0)
        throw new ValidationError([{ path: ['executionDate'], message: words.noPaymentChosen }]);
      const body = parsed(newBatchBody, { disbursementIds, executionDate: form.executionDate });
      await app.db.transaction((trx) => createBatch(trx, fundId, body, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/lots/:batchId/envoye',
    access: 'signed-in',
    handler: async ({ app, principal, request }) => {
      const batchId = z.uuid().safeParse(request.params.batchId);
      const batch = batchId.success
        ? await app.db('payment_batches').where('id', batchId.data).first<{ fund_id: string } | undefined>('fund_id')
        : undefined;
      if (!batch) throw new NotFoundError(treasuryMessages.batchMissing);
      const fundId = treasuredFund(principal, batch.fund_id);
      await app.db.transaction((trx) => markBatchSent(trx, batchId.data!, principal));
      return { redirect: `/tresorerie/${fundId}` };
    },
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/releves',
    access: 'signed-in',
    upload: { field: 'releve', maxBytes: statementSizeMaxBytes },
    handler: onTheDashboard('statement', async ({ app, form, file, principal }, fundId) => {
      if (!file || file.content.length === 0) throw new ValidationError([{ path: ['releve'], message: words.noFile }]);
      const csv = /\.csv$/i.test(file.fileName) || file.contentType === 'text/csv';
      let source: StatementSource = { kind: 'camt053' };
      if (csv) {
        const { opening } = frenchAmountFields(form, ['opening']);
        if (!form.statementId?.trim() || !opening || !form.openingDate)
          throw new ValidationError([{ path: ['statementId'], message: words.csvNeedsBalances }]);
        source = {
          kind: 'csv',
          statementId: form.statementId.trim(),
          openingMinor: apiAmountMinor(opening),
          openingDate: form.openingDate,
        };
      }
      const upload = await requestStatementUpload(app.db, fundId, file, source, principal.userId);
      return uploadPath(fundId, upload.id);
    }),
  }),
  definePage({
    method: 'get',
    path: '/paiements/:disbursementId',
    access: 'signed-in',
    handler: (context) => paymentPage(context),
  }),
  definePage({
    method: 'post',
    path: '/paiements/:disbursementId/etape',
    access: 'signed-in',
    handler: async (context) => {
      const { app, form, principal, request } = context;
      const outcome = await attempt(async () => {
        const step = parsed(disbursementStepBody, {
          event: form.event,
          ...(form.reason?.trim() && { reason: form.reason }),
        });
        const id = idOf(request.params.disbursementId, treasuryMessages.disbursementMissing);
        await app.db.transaction((trx) => takeDisbursementStep(trx, id, step, principal));
      });
      if (outcome.done) return { redirect: `/paiements/${String(request.params.disbursementId)}` };
      return paymentPage(context, {
        form: form.event ?? '',
        values: form,
        errors: outcome.errors,
        status: outcome.status,
      });
    },
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/releves/:statementId',
    access: 'signed-in',
    handler: (context) => workspace(context),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/releves/:statementId/propositions',
    access: 'signed-in',
    handler: async (context) => {
      const fundId = treasuredFund(context.principal, context.request.params.fundId);
      const statementId = idOf(context.request.params.statementId, treasuryMessages.statementMissing);
      await requestMatchProposals(context.app.db, fundId, statementId, context.principal.userId);
      // No fragment: the page reloads itself while the proposals are made, and a reload to a fragment does not reload.
      return { redirect: `/tresorerie/${fundId}/releves/${statementId}` };
    },
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/releves/:statementId/a-la-main',
    access: 'signed-in',
    handler: async (context) => {
      const { app, form, principal, request } = context;
      const fundId = treasuredFund(principal, request.params.fundId);
      const outcome = await attempt(async () => {
        const lineIds = checkedIds(form, 'ligne-');
        if (lineIds.length === 0) throw new ValidationError([{ path: ['accountCode'], message: words.noLineChosen }]);
        const body = parsed(manualMatchBody, {
          lineIds,
          items: [{ type: 'account', accountCode: form.accountCode?.trim() }],
          reason: form.reason,
        });
        await app.db.transaction((trx) => matchByHand(trx, fundId, body, principal));
      });
      if (outcome.done) return { redirect: `/tresorerie/${fundId}/releves/${String(request.params.statementId)}` };
      return workspace(context, { form: 'by-hand', values: form, errors: outcome.errors });
    },
  }),
  definePage({
    method: 'post',
    path: '/rapprochements/:matchId',
    access: 'signed-in',
    handler: async (context) => {
      const { app, form, principal, request } = context;
      const matchId = z.uuid().safeParse(request.params.matchId);
      const match = matchId.success
        ? await app
            .db('bank_matches')
            .where('id', matchId.data)
            .first<{ fund_id: string; statement_id: string } | undefined>('fund_id', 'statement_id')
        : undefined;
      if (!match) throw new NotFoundError();
      const fundId = treasuredFund(principal, match.fund_id);
      context.request.params.fundId = fundId;
      context.request.params.statementId = match.statement_id;
      const reason = form[`reason-${matchId.data}`]?.trim() || undefined;
      const outcome = await attempt(async () => {
        const decision = parsed(matchDecisionBody, { decision: form.decision, ...(reason && { reason }) });
        await app.db.transaction((trx) => decideMatch(trx, matchId.data!, decision, principal));
      });
      if (outcome.done) return { redirect: `/tresorerie/${fundId}/releves/${match.statement_id}#rapprochements` };
      return workspace(context, { form: 'decision', values: form, errors: outcome.errors });
    },
  }),
];
