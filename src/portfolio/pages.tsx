import { randomUUID } from 'node:crypto';
import { Fragment } from 'preact';
import { fpciTeamPageMessages } from '../fpci/messages';
import { unitFundOf, UnitFundLayout } from '../fpci/team-pages';
import { shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, AmountField, ErrorSummary, Field, Select, TextArea } from '../web/forms';
import {
  asAnswer,
  definePage,
  formsOf,
  frenchAmountFields,
  idOf,
  nothingTyped,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
} from '../web/pages';
import { investmentFile } from './investment-file';
import { listInvestments } from './investments';
import { ScheduleTable } from './schedule-table';
import { portfolioMessages, portfolioPageMessages as words, portfolioWords } from './messages';
import { requestDrawdown } from './drawdowns';
import { endInvestment, recordReceipt } from './returns';
import {
  drawdownBody,
  endBody,
  investmentAnswer,
  investmentsAnswer,
  receiptBody,
  receiptKinds,
  valuationBody,
  valuationsAnswer,
} from './schema';
import { listValuations, proposeValuation } from './valuations';

/**
 * The fund team's pages of its portfolio: the investments with their step, and
 * an investment's file — its terms, drawdowns with their transfers, schedule
 * and history. They show what the API's routes give.
 */
const listPath = (fundId: string) => `/tresorerie/${fundId}/investissements`;
/** An investment's file, for another module's page to link to. */
export const investmentPath = (fundId: string, investmentId: string) => `${listPath(fundId)}/${investmentId}`;

async function investmentsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken } = context;
  const fund = await unitFundOf(context);
  const { investments } = asAnswer(investmentsAnswer, await listInvestments(app.db, fund.id, principal));
  return {
    page: (
      <UnitFundLayout
        title={words.listTitle(fund.name)}
        fund={fund}
        section="investments"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {investments.length === 0 ? (
          <p>{words.noInvestment}</p>
        ) : (
          <Table headers={Object.values(words.listColumns)}>
            {investments.map((investment) => (
              <tr key={investment.id}>
                <td>
                  <a href={`${listPath(fund.id)}/${investment.id}`}>{investment.name}</a>
                </td>
                <td>{portfolioWords.instruments[investment.instrument]}</td>
                <td>{portfolioWords.states[investment.state] ?? investment.state}</td>
                <td class="amount">{shownAmount(investment.amountSought)}</td>
                <td class="amount">
                  {investment.approvedAmount ? shownAmount(investment.approvedAmount) : words.notYet}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </UnitFundLayout>
    ),
  };
}

type File = ReturnType<typeof investmentAnswer.parse>;

/** A term as people read it: amounts in euros, rates in per cent, conventions in words. */
function shownTerm(key: string, value: string | number): string {
  if (['pricePerShare', 'nominalPerShare', 'principal'].includes(key)) return shownAmount(String(value));
  if (['yearlyRate', 'remunerationCap', 'variableShare'].includes(key))
    return `${(Number(value) * 100).toLocaleString('fr-FR', { maximumFractionDigits: 4 })} %`;
  if (key === 'amortisation') return words.amortisations[String(value)] ?? String(value);
  return String(value);
}

function Terms(props: { file: File }) {
  const { terms } = props.file;
  if (!terms) return null;
  return (
    <section aria-labelledby="conditions">
      <h2 id="conditions">{words.termsTitle}</h2>
      <dl class="summary">
        {/* In the term sheet's order, not the storage's. */}
        {Object.keys(words.termLabels)
          .filter((key) => key in terms)
          .map((key) => [key, terms[key]!] as const)
          .map(([key, value]) => (
            <Fragment key={key}>
              <dt>{words.termLabels[key] ?? key}</dt>
              <dd>{shownTerm(key, value)}</dd>
            </Fragment>
          ))}
      </dl>
    </section>
  );
}

function Schedule(props: { file: File }) {
  const { schedule } = props.file;
  if (!schedule) return null;
  return (
    <section aria-labelledby="echeancier">
      <h2 id="echeancier">{words.scheduleTitle}</h2>
      <ScheduleTable schedule={schedule} />
    </section>
  );
}

type InvestmentKey = { fund: Awaited<ReturnType<typeof unitFundOf>>; investmentId: string };

async function investmentOf(context: PageContext<'signed-in'>): Promise<InvestmentKey> {
  const fund = await unitFundOf(context);
  return { fund, investmentId: idOf(context.request.params.investmentId, portfolioMessages.investmentMissing) };
}

/** The form proposing a valuation at a quarter end: one input and the calibration note (the API takes up to twenty inputs). */
function ValuationForm(props: { action: string; csrfToken: string; typed: Typed }) {
  const values = props.typed.form === 'valuation' ? props.typed.values : {};
  const errors = props.typed.form === 'valuation' ? props.typed.errors : [];
  const fields = words.valuationFields;
  return (
    <ActionForm action={props.action} csrfToken={props.csrfToken} button={words.proposeValuation}>
      <ErrorSummary errors={errors} />
      <Field
        name="measuredOn"
        type="date"
        label={fields.measuredOn}
        value={values.measuredOn}
        errors={errors}
        required
      />
      <Select
        name="technique"
        label={fields.technique}
        value={values.technique}
        options={Object.entries(words.techniques).map(([value, label]) => ({ value, label }))}
        errors={errors}
      />
      <AmountField name="value" label={fields.value} value={values.value} errors={errors} required />
      <Field name="inputName" label={fields.inputName} value={values.inputName} errors={errors} required />
      <Field name="inputValue" label={fields.inputValue} value={values.inputValue} errors={errors} required />
      <TextArea
        name="calibrationNote"
        label={fields.calibrationNote}
        value={values.calibrationNote}
        errors={errors}
        required
      />
    </ActionForm>
  );
}

/** The investment's valuations, the latest first, and — while something is held — the form proposing the next. */
function Valuations(props: {
  valuations: ReturnType<typeof valuationsAnswer.parse>['valuations'];
  held: boolean;
  action: string;
  csrfToken: string;
  typed: Typed;
}) {
  return (
    <section aria-labelledby="valorisations">
      <h2 id="valorisations">{words.valuationsTitle}</h2>
      {props.valuations.length === 0 ? (
        <p>{words.noValuation}</p>
      ) : (
        <Table headers={Object.values(words.valuationColumns)}>
          {props.valuations.map((one) => (
            <tr key={one.id}>
              <td>{shownDate(one.measuredOn)}</td>
              <td>{words.techniques[one.technique]}</td>
              <td class="amount">{shownAmount(one.value)}</td>
              <td>{portfolioMessages.valuationStates[one.state]}</td>
              <td>{one.proposedBy}</td>
              <td class="amount">{one.revaluation === null ? '' : shownAmount(one.revaluation)}</td>
            </tr>
          ))}
        </Table>
      )}
      {props.held && <ValuationForm action={props.action} csrfToken={props.csrfToken} typed={props.typed} />}
    </section>
  );
}

type FormProps = { file: File; action: string; csrfToken: string; typed: Typed };
const typedIn = (typed: Typed, form: string) =>
  typed.form === form ? { values: typed.values, errors: typed.errors } : { values: {}, errors: [] };

/** The drawdowns with their transfers, and — while disbursing — the form asking the next one of the treasury. */
function Drawdowns(props: FormProps) {
  const { file } = props;
  const { values, errors } = typedIn(props.typed, 'drawdown');
  return (
    <section aria-labelledby="tirages">
      <h2 id="tirages">{words.drawdownsTitle}</h2>
      {file.drawdowns.length === 0 ? (
        <p>{words.noDrawdown}</p>
      ) : (
        <Table headers={Object.values(words.drawdownsColumns)}>
          {file.drawdowns.map((drawdown) => (
            <tr key={drawdown.number}>
              <td>{words.numbered(drawdown.number)}</td>
              <td>{shownDate(drawdown.requestedOn)}</td>
              <td class="amount">{shownAmount(drawdown.amount)}</td>
              <td>{drawdown.payment ? fpciTeamPageMessages.paymentStatuses[drawdown.payment.status] : words.notYet}</td>
            </tr>
          ))}
        </Table>
      )}
      {file.state === 'disbursing' && (
        <ActionForm action={props.action} csrfToken={props.csrfToken} button={words.requestDrawdown}>
          <ErrorSummary errors={errors} />
          <input type="hidden" name="number" value={String(file.drawdowns.length + 1)} />
          <AmountField
            name="amount"
            label={words.drawdownAmount(file.drawdowns.length + 1)}
            value={values.amount}
            errors={errors}
            required
          />
        </ActionForm>
      )}
    </section>
  );
}

/** What came back (interest, dividends, repayments, a sale), and — while something is held — the form recording it. */
function Receipts(props: FormProps) {
  const { file } = props;
  const { values, errors } = typedIn(props.typed, 'receipt');
  const open = file.state === 'disbursing' || file.state === 'held';
  return (
    <section aria-labelledby="rentrees">
      <h2 id="rentrees">{words.receiptsTitle}</h2>
      {file.returns.length === 0 ? (
        <p>{words.noReceipt}</p>
      ) : (
        <Table headers={Object.values(words.receiptsColumns)}>
          {file.returns.map((one, index) => (
            <tr key={index}>
              <td>{shownDate(one.receivedOn)}</td>
              <td>{portfolioMessages.receiptLabels[one.kind]}</td>
              <td class="amount">{shownAmount(one.amount)}</td>
            </tr>
          ))}
        </Table>
      )}
      {open && (
        <ActionForm action={props.action} csrfToken={props.csrfToken} button={words.recordReceipt}>
          <ErrorSummary errors={errors} />
          {/* Sent twice (a double click, a retry), the same receipt is recorded once. */}
          <input type="hidden" name="idempotencyKey" value={values.idempotencyKey ?? randomUUID()} />
          <Select
            name="kind"
            label={words.receiptFields.kind}
            value={values.kind}
            options={receiptKinds.map((kind) => ({ value: kind, label: portfolioMessages.receiptLabels[kind]! }))}
            errors={errors}
          />
          <AmountField
            name="amount"
            label={words.receiptFields.amount}
            value={values.amount}
            errors={errors}
            required
          />
          <Field
            name="receivedOn"
            type="date"
            label={words.receiptFields.receivedOn}
            value={values.receivedOn}
            errors={errors}
            required
          />
        </ActionForm>
      )}
    </section>
  );
}

/** While held: its sale at a price, or its write-off with the reason — each posted, the investment ended. */
function Ending(props: FormProps) {
  if (props.file.state !== 'held') return null;
  const exit = typedIn(props.typed, 'exit');
  const writeOff = typedIn(props.typed, 'write-off');
  return (
    <section aria-labelledby="fin">
      <h2 id="fin">{words.endTitle}</h2>
      <ActionForm action={`${props.action}/cession`} csrfToken={props.csrfToken} button={words.recordExit}>
        <ErrorSummary errors={exit.errors} />
        <AmountField
          name="price"
          label={words.endFields.price}
          value={exit.values.price}
          errors={exit.errors}
          required
        />
        <Field
          name="soldOn"
          type="date"
          label={words.endFields.soldOn}
          value={exit.values.soldOn}
          errors={exit.errors}
          required
        />
      </ActionForm>
      <ActionForm action={`${props.action}/perte`} csrfToken={props.csrfToken} button={words.recordWriteOff}>
        <ErrorSummary errors={writeOff.errors} />
        <TextArea
          name="reason"
          label={words.endFields.reason}
          value={writeOff.values.reason}
          errors={writeOff.errors}
          required
        />
      </ActionForm>
    </section>
  );
}

async function investmentPage(context: PageContext<'signed-in'>, key: InvestmentKey, typed: Typed) {
  const { app, principal, csrfToken } = context;
  const { fund, investmentId } = key;
  const file = asAnswer(investmentAnswer, await investmentFile(app.db, fund.id, investmentId, principal));
  const { valuations } = asAnswer(valuationsAnswer, await listValuations(app.db, fund.id, { investmentId }, principal));
  const amountOrNot = (value: string | null) => (value === null ? words.notYet : shownAmount(value));
  const action = investmentPath(fund.id, investmentId);
  return {
    page: (
      <UnitFundLayout title={file.name} fund={fund} section="investments" viewer={principal} csrfToken={csrfToken}>
        <dl class="summary">
          <dt>{words.facts.file}</dt>
          <dd>
            <a href={`/dossiers/${file.applicationId}`}>{words.openFile}</a>
          </dd>
          <dt>{words.facts.instrument}</dt>
          <dd>{portfolioWords.instruments[file.instrument]}</dd>
          <dt>{words.facts.state}</dt>
          <dd>{portfolioWords.states[file.state] ?? file.state}</dd>
          <dt>{words.facts.sought}</dt>
          <dd class="amount">{shownAmount(file.amountSought)}</dd>
          <dt>{words.facts.approved}</dt>
          <dd class="amount">{amountOrNot(file.approvedAmount)}</dd>
          <dt>{words.facts.invested}</dt>
          <dd class="amount">{amountOrNot(file.invested)}</dd>
          <dt>{words.facts.drawn}</dt>
          <dd class="amount">{shownAmount(file.drawn)}</dd>
          <dt>{words.facts.termSheetSignedOn}</dt>
          <dd>{file.termSheetSignedOn ? shownDate(file.termSheetSignedOn) : words.notYet}</dd>
        </dl>
        <Terms file={file} />
        <Drawdowns file={file} action={`${action}/tirages`} csrfToken={csrfToken} typed={typed} />
        <Receipts file={file} action={`${action}/rentrees`} csrfToken={csrfToken} typed={typed} />
        <Ending file={file} action={action} csrfToken={csrfToken} typed={typed} />
        <Schedule file={file} />
        <Valuations
          valuations={valuations}
          held={file.state === 'disbursing' || file.state === 'held'}
          action={`${action}/valorisations`}
          csrfToken={csrfToken}
          typed={typed}
        />
        <h2>{words.historyTitle}</h2>
        <ol>
          {file.history.map((step) => (
            <li key={`${step.at}-${step.event}`}>
              {portfolioWords.states[step.toState] ?? step.toState}
              {step.reason ? ` — ${step.reason}` : ''}
            </li>
          ))}
        </ol>
      </UnitFundLayout>
    ),
    status: typed.status ?? (typed.errors.length > 0 ? 422 : 200),
  };
}

const onTheInvestment = formsOf({
  keyOf: investmentOf,
  url: (key) => investmentPath(key.fund.id, key.investmentId),
  page: investmentPage,
});

/** What the valuation form sends, in the API's shape: one input, amounts as people type them. */
function valuationFromForm(form: Record<string, string>) {
  const { value } = frenchAmountFields(form, ['value']);
  return parsed(valuationBody, {
    measuredOn: form.measuredOn,
    technique: form.technique,
    value,
    inputs: [{ name: form.inputName ?? '', value: form.inputValue ?? '' }],
    calibrationNote: form.calibrationNote,
  });
}

export const portfolioPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/investissements',
    access: 'signed-in',
    handler: investmentsPage,
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/investissements/:investmentId',
    access: 'signed-in',
    handler: async (context) => investmentPage(context, await investmentOf(context), nothingTyped),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/investissements/:investmentId/valorisations',
    access: 'signed-in',
    handler: onTheInvestment('valuation', async ({ app, form, principal }, key) => {
      const valuation = valuationFromForm(form);
      await app.db.transaction((trx) => proposeValuation(trx, key.fund.id, key.investmentId, valuation, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/investissements/:investmentId/tirages',
    access: 'signed-in',
    handler: onTheInvestment('drawdown', async ({ app, form, principal }, key) => {
      const drawdown = parsed(drawdownBody, { number: Number(form.number), ...frenchAmountFields(form, ['amount']) });
      await app.db.transaction((trx) => requestDrawdown(trx, key.fund.id, key.investmentId, drawdown, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/investissements/:investmentId/rentrees',
    access: 'signed-in',
    handler: onTheInvestment('receipt', async ({ app, form, principal }, key) => {
      const receipt = parsed(receiptBody, {
        kind: form.kind,
        receivedOn: form.receivedOn,
        ...frenchAmountFields(form, ['amount']),
      });
      const idempotencyKey = form.idempotencyKey || randomUUID();
      await app.db.transaction((trx) =>
        recordReceipt(trx, key.fund.id, key.investmentId, { ...receipt, idempotencyKey }, principal),
      );
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/investissements/:investmentId/cession',
    access: 'signed-in',
    handler: onTheInvestment('exit', async ({ app, form, principal }, key) => {
      const end = parsed(endBody, { how: 'exit', soldOn: form.soldOn, ...frenchAmountFields(form, ['price']) });
      await app.db.transaction((trx) => endInvestment(trx, key.fund.id, key.investmentId, end, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/investissements/:investmentId/perte',
    access: 'signed-in',
    handler: onTheInvestment('write-off', async ({ app, form, principal }, key) => {
      const end = parsed(endBody, { how: 'write-off', reason: form.reason });
      await app.db.transaction((trx) => endInvestment(trx, key.fund.id, key.investmentId, end, principal));
    }),
  }),
];
