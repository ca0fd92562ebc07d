import { z } from 'zod';
import { todayInParis } from '../time';
import { JobProgress, Pagination, shownAmount, shownDate } from '../web/components';
import { ActionForm, ErrorSummary, Field, Select, TextArea, type FormError } from '../web/forms';
import {
  asAnswer,
  definePage,
  formsOf,
  nothingTyped,
  parsed,
  typedFor,
  type AnyPage,
  type PageContext,
  type Typed,
  idOf,
  filtersOf,
} from '../web/pages';
import { endowmentPageMessages as words } from './messages';
import { endowmentFundOf, EndowmentLayout, ReceiptsTable, sectionPath, type EndowmentFund } from './page-frame';
import { cancelAndReplace, listReceipts, receiptDetails } from './receipts';
import { annualReceiptRun, requestAnnualReceipts } from './annual-receipts';
import { cancellationBody, receiptsAnswer, receiptsQuery, registerQuery } from './schema';

/**
 * The fund's tax receipts: found by year, state, kind or number, each with its
 * PDF; one cancelled and replaced (its number stays in the register); the
 * year's annual receipts issued; the yearly register downloaded.
 */
const listedMax = 25;
const annualQuery = z.strictObject({ annualYear: registerQuery.shape.year });
const filterNames = ['year', 'state', 'kind', 'reference'] as const;

async function receiptsPage(context: PageContext<'signed-in'>, fund: EndowmentFund, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const { typed: filterTyped, filter, errors } = filtersOf(receiptsQuery, request.query, filterNames, listedMax);
  const receipts = asAnswer(receiptsAnswer, await listReceipts(app.db, { fundId: fund.id, ...filter }));
  const year = Number(todayInParis().slice(0, 4));
  return {
    page: (
      <EndowmentLayout
        title={words.receiptsTitle(fund.name)}
        fund={fund}
        section="receipts"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <ReceiptFilters fund={fund} typed={filterTyped} errors={errors} years={[year, year - 1, year - 2]} />
        <ReceiptsTable
          receipts={receipts.receipts}
          detailOf={(receipt) => `${sectionPath(fund, 'receipts')}/${receipt.id}`}
        />
        <Pagination
          path={sectionPath(fund, 'receipts')}
          query={filterTyped}
          page={filter.page}
          pageSize={listedMax}
          total={receipts.total}
        />
        <section aria-labelledby="annuels">
          <h2 id="annuels">{words.annualTitle}</h2>
          <p>{words.annualLead}</p>
          <ErrorSummary errors={typedFor(typed, 'annual').errors} />
          <ActionForm
            action={`${sectionPath(fund, 'receipts')}/annuels`}
            csrfToken={csrfToken}
            button={words.issueAnnual}
          >
            <Field
              name="annualYear"
              label={words.year}
              value={typed.values.annualYear ?? String(year - 1)}
              inputMode="numeric"
              required
              errors={typed.errors}
            />
          </ActionForm>
        </section>
        <section aria-labelledby="registre">
          <h2 id="registre">{words.registerTitle}</h2>
          <p>{words.registerLead}</p>
          <ul>
            {[year, year - 1].map((registerYear) => (
              <li key={registerYear}>
                <a href={`/api/funds/${fund.id}/tax-receipts/register?year=${registerYear}`} download>
                  {words.downloadRegister(registerYear)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : errors.length > 0 ? 422 : 200,
  };
}

function ReceiptFilters(props: {
  fund: EndowmentFund;
  typed: Record<string, unknown>;
  errors: FormError[];
  years: number[];
}) {
  const value = (name: string) => (typeof props.typed[name] === 'string' ? props.typed[name] : '');
  const choices = (all: string, labels: Record<string, string>) => [
    { value: '', label: all },
    ...Object.entries(labels).map(([option, label]) => ({ value: option, label })),
  ];
  return (
    <form method="get" action={sectionPath(props.fund, 'receipts')} class="filters">
      <ErrorSummary errors={props.errors} />
      <Select
        name="year"
        label={words.year}
        value={value('year')}
        options={choices(words.allYears, Object.fromEntries(props.years.map((year) => [String(year), String(year)])))}
        errors={props.errors}
      />
      <Select
        name="state"
        label={words.state}
        value={value('state')}
        options={choices(words.allStates, words.states)}
        errors={props.errors}
      />
      <Select
        name="kind"
        label={words.kind}
        value={value('kind')}
        options={choices(words.allKinds, words.kinds)}
        errors={props.errors}
      />
      <Field name="reference" label={words.reference} value={value('reference')} errors={props.errors} />
      <button type="submit">{words.filter}</button>
    </form>
  );
}

/** The year's annual receipts being issued: how far, then how many, and the way to them. */
async function annualRunPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await endowmentFundOf(context);
  const run = await annualReceiptRun(app.db, fund.id, idOf(request.params.runId));
  const working = run.state === 'queued' || run.state === 'running';
  return {
    page: (
      <EndowmentLayout
        title={words.annualRunTitle(run.year)}
        fund={fund}
        section="receipts"
        viewer={principal}
        csrfToken={csrfToken}
        refreshSeconds={working ? 2 : undefined}
      >
        <JobProgress
          state={words.runStates[run.state] ?? run.state}
          done={words.donorsOf(run.processedDonors, run.totalDonors)}
          processed={run.processedDonors}
          total={run.totalDonors}
          working={working}
        />
        {run.state === 'failed' && <p role="alert">{words.runFailed(run.failure ?? '')}</p>}
        {run.state === 'done' && (
          <>
            <p role="status">{words.annualIssued(run.issued)}</p>
            <p>
              <a href={`${sectionPath(fund, 'receipts')}?year=${run.year}&kind=annual`}>{words.seeAnnualReceipts}</a>
            </p>
          </>
        )}
      </EndowmentLayout>
    ),
  };
}

type ReceiptKey = { fund: EndowmentFund; receiptId: string };

async function receiptPage(context: PageContext<'signed-in'>, key: ReceiptKey, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken } = context;
  const receipt = await receiptDetails(app.db, key.fund.id, key.receiptId);
  const receiptPath = (id: string) => `${sectionPath(key.fund, 'receipts')}/${id}`;
  const facts = words.receiptFacts;
  return {
    page: (
      <EndowmentLayout
        title={words.receiptTitle(receipt.reference)}
        fund={key.fund}
        section="receipts"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <dl class="summary">
          <dt>{facts.donor}</dt>
          <dd>
            <a href={`${sectionPath(key.fund, 'donors')}/${receipt.donorId}`}>{receipt.donorName}</a>
          </dd>
          <dt>{facts.amount}</dt>
          <dd>{shownAmount(receipt.amount)}</dd>
          <dt>{facts.period}</dt>
          <dd>{words.period(shownDate(receipt.periodFrom), shownDate(receipt.periodTo))}</dd>
          <dt>{facts.issued}</dt>
          <dd>{shownDate(receipt.issuedAt)}</dd>
          <dt>{facts.state}</dt>
          <dd>{receipt.cancelledAt ? words.giftCancelled(receipt.cancelReason ?? '') : words.states.valid}</dd>
          {receipt.replaces && (
            <>
              <dt>{words.replaces}</dt>
              <dd>
                <a href={receiptPath(receipt.replaces.id)}>{receipt.replaces.reference}</a>
              </dd>
            </>
          )}
          {receipt.replacedBy && (
            <>
              <dt>{words.replacedBy}</dt>
              <dd>
                <a href={receiptPath(receipt.replacedBy.id)}>{receipt.replacedBy.reference}</a>
              </dd>
            </>
          )}
        </dl>
        <ReceiptsTable receipts={asAnswer(receiptsAnswer, { receipts: [receipt] }).receipts} />
        {!receipt.cancelledAt && (
          <CancelReceiptForm action={`${receiptPath(receipt.id)}/annulation`} csrfToken={csrfToken} typed={typed} />
        )}
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

const corrections = [
  ['lastName', words.correctedLastName],
  ['firstNames', words.correctedFirstNames],
  ['companyName', words.correctedCompanyName],
  ['addressLine', words.correctedAddress],
  ['postalCode', words.correctedPostalCode],
  ['city', words.correctedCity],
] as const;

function CancelReceiptForm(props: { action: string; csrfToken: string; typed: Typed }) {
  const { values, errors } = props.typed;
  return (
    <section aria-labelledby="annuler">
      <h2 id="annuler">{words.cancelReceiptTitle}</h2>
      <p>{words.cancelReceiptLead}</p>
      <ErrorSummary errors={errors} />
      <ActionForm action={props.action} csrfToken={props.csrfToken} button={words.cancelReceipt} secondary>
        <TextArea
          name="reason"
          label={words.cancelReceiptReason}
          value={values.reason}
          rows={2}
          required
          errors={errors}
        />
        {corrections.map(([name, label]) => (
          <Field key={name} name={name} label={label} value={values[name]} errors={errors} />
        ))}
      </ActionForm>
    </section>
  );
}

const receiptKeyOf = async (context: PageContext<'signed-in'>): Promise<ReceiptKey> => ({
  fund: await endowmentFundOf(context),
  receiptId: idOf(context.request.params.receiptId),
});

const onTheReceipts = formsOf({
  keyOf: endowmentFundOf,
  url: (fund) => sectionPath(fund, 'receipts'),
  page: receiptsPage,
});
const onTheReceipt = formsOf<ReceiptKey>({
  keyOf: receiptKeyOf,
  url: ({ fund, receiptId }) => `${sectionPath(fund, 'receipts')}/${receiptId}`,
  page: receiptPage,
});

export const receiptPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/recus',
    access: 'signed-in',
    handler: async (context) => receiptsPage(context, await endowmentFundOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/recus/annuels',
    access: 'signed-in',
    handler: onTheReceipts('annual', async ({ app, form, principal }, fund) => {
      // Its own name: the list's filter above is `year` too, and each field's id is its name.
      const { annualYear: year } = parsed(annualQuery, { annualYear: form.annualYear });
      const run = await requestAnnualReceipts(app.db, fund.id, year, principal.userId);
      return `${sectionPath(fund, 'receipts')}/annuels/${run.id}`;
    }),
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/recus/annuels/:runId',
    access: 'signed-in',
    handler: annualRunPage,
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/recus/:receiptId',
    access: 'signed-in',
    handler: async (context) => receiptPage(context, await receiptKeyOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/recus/:receiptId/annulation',
    access: 'signed-in',
    handler: onTheReceipt('cancel', async ({ app, form }, { fund, receiptId }) => {
      const typedCorrections: Record<string, string> = Object.fromEntries(
        corrections.flatMap(([name]): [string, string][] => (form[name]?.trim() ? [[name, form[name].trim()]] : [])),
      );
      const body = parsed(cancellationBody, {
        reason: form.reason ?? '',
        donor: Object.keys(typedCorrections).length > 0 ? typedCorrections : undefined,
      });
      const replacementId = await app.db.transaction((trx) =>
        cancelAndReplace(trx, fund.id, receiptId, body.reason, body.donor as Record<string, string> | undefined),
      );
      return `${sectionPath(fund, 'receipts')}/${replacementId}`;
    }),
  }),
];
