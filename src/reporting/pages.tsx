import { NotFoundError } from '../errors';
import { unitFundOf, UnitFundLayout, unitFundSectionPath } from '../fpci/team-pages';
import { valuationStepBody } from '../portfolio/schema';
import { portfolioMessages, portfolioPageMessages } from '../portfolio/messages';
import { investmentPath } from '../portfolio/pages';
import { getValuation, listValuations, takeValuationStep, valuationsDueAt } from '../portfolio/valuations';
import { shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, ErrorSummary } from '../web/forms';
import {
  asAnswer,
  definePage,
  formsOf,
  idOf,
  nothingTyped,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
} from '../web/pages';
import { lineNames } from './capital-account';
import { ClassNavs } from './components';
import { reportingMessages, reportingPageMessages as words } from './messages';
import { closeQuarter } from './quarter-close';
import { quarterCloses, quarterView, takeReportStep } from './quarters';
import { shownIrr, shownMultiple } from './statement-document';
import { assetsStatementsAnswer, halfYearParams, quarterAnswer, quarterParams, reportStepBody } from './schema';
import { assetsStatements, produceAssetsStatement } from './assets-statement';

/**
 * The fund team's quarters — the quarters closed with their report's step,
 * and a quarter's page: its valuations (approved here by a second person),
 * what stands in the way of its close, the capital accounts and NAV per unit,
 * the report's steps and the statements — and the investor's statements.
 */
const quarterPath = (fundId: string, quarterEnd: string) => `${unitFundSectionPath(fundId, 'quarters')}/${quarterEnd}`;

async function quartersPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken } = context;
  const fund = await unitFundOf(context);
  const { next, closes } = await quarterCloses(app.db, fund.id, principal);
  return {
    page: (
      <UnitFundLayout
        title={words.quartersTitle(fund.name)}
        fund={fund}
        section="quarters"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>
          <a href={quarterPath(fund.id, next)}>{words.nextQuarter(shownDate(next))}</a>
        </p>
        {closes.length === 0 ? (
          <p>{words.noQuarterClosed}</p>
        ) : (
          <Table headers={Object.values(words.quartersColumns)}>
            {closes.map((close) => (
              <tr key={close.quarterEnd}>
                <td>
                  <a href={quarterPath(fund.id, close.quarterEnd)}>{shownDate(close.quarterEnd)}</a>
                </td>
                <td class="amount">{shownAmount(close.netAssets)}</td>
              </tr>
            ))}
          </Table>
        )}
      </UnitFundLayout>
    ),
  };
}

type Quarter = ReturnType<typeof quarterAnswer.parse>;

function Valuations(props: {
  due: Awaited<ReturnType<typeof valuationsDueAt>>;
  proposed: Awaited<ReturnType<typeof listValuations>>['valuations'];
  fundId: string;
  csrfToken: string;
}) {
  if (props.due.length === 0) return <p>{words.nothingToValue}</p>;
  const live = new Map(props.proposed.filter((one) => one.state !== 'rejected').map((one) => [one.investmentId, one]));
  return (
    <Table headers={Object.values(words.valuationColumns)}>
      {props.due.map((investment) => {
        const valuation = live.get(investment.id);
        return (
          <tr key={investment.id}>
            <td>
              <a href={investmentPath(props.fundId, investment.id)}>{investment.name}</a>
            </td>
            <td>{valuation ? words.valuationStates[valuation.state] : words.valuationMissing}</td>
            <td class="amount">{valuation ? shownAmount(valuation.value) : ''}</td>
            <td>{valuation ? portfolioPageMessages.techniques[valuation.technique] : ''}</td>
            <td>
              {valuation?.state === 'proposed' && valuation.proposedByYou && words.valuationForOthers}
              {valuation?.state === 'proposed' && !valuation.proposedByYou && (
                <ActionForm
                  action={`/tresorerie/${props.fundId}/valorisations/${valuation.id}/etapes`}
                  csrfToken={props.csrfToken}
                  button={words.approveValuation}
                >
                  <input type="hidden" name="event" value="APPROVE" />
                </ActionForm>
              )}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

function CapitalAccounts(props: { quarter: Quarter }) {
  const { quarter } = props;
  return (
    <>
      <h2>{words.fundTitle}</h2>
      <Table headers={[words.line, words.amount]}>
        <tr>
          <td>{reportingMessages.lines.beginning}</td>
          <td class="amount">{shownAmount(quarter.fund.beginning)}</td>
        </tr>
        {lineNames.map((name) => (
          <tr key={name}>
            <td>{reportingMessages.lines[name]}</td>
            <td class="amount">{shownAmount(quarter.fund.lines[name])}</td>
          </tr>
        ))}
        <tr>
          <td>{reportingMessages.lines.ending}</td>
          <td class="amount">{shownAmount(quarter.fund.ending)}</td>
        </tr>
      </Table>
      <ClassNavs classes={quarter.classes} />
      <h2>{words.positionsTitle}</h2>
      <Table headers={Object.values(words.positionColumns)}>
        {quarter.positions.map((position) => (
          <tr key={`${position.investorId}-${position.classCode}`}>
            <td>{position.investorName}</td>
            <td>{position.classCode}</td>
            <td class="amount">{shownAmount(position.beginning)}</td>
            <td class="amount">{shownAmount(position.lines.contributions)}</td>
            <td class="amount">{shownAmount(position.lines.distributions)}</td>
            <td class="amount">{shownAmount(position.ending)}</td>
            <td class="amount">{shownAmount(position.unfundedEnding)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function PerformanceTable(props: { quarter: Quarter }) {
  const { performance } = props.quarter;
  if (!performance) return null;
  const rows = [
    { key: 'fund', name: words.fundNet, ...performance.fund },
    ...performance.investors.map((one) => ({ key: one.investorId, name: one.investorName, ...one })),
  ];
  return (
    <section aria-labelledby="performance">
      <h2 id="performance">{words.performanceTitle}</h2>
      <p>{words.grossLine(shownIrr(performance.gross.irr), shownMultiple(performance.gross.moic))}</p>
      <Table headers={Object.values(words.performanceColumns)}>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>{row.name}</td>
            <td class="amount">{shownAmount(row.paidIn)}</td>
            <td class="amount">{shownAmount(row.distributed)}</td>
            <td class="amount">{shownAmount(row.nav)}</td>
            <td class="amount">{shownMultiple(row.dpi)}</td>
            <td class="amount">{shownMultiple(row.tvpi)}</td>
            <td class="amount">{shownIrr(row.irr)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

const reportSteps: Record<string, string> = { draft: 'REVIEW', reviewed: 'APPROVE', approved: 'PUBLISH' };

function Report(props: { quarter: Quarter; action: string; csrfToken: string; typed: Typed }) {
  const { quarter } = props;
  if (!quarter.closed) return null;
  const step = quarter.report ? reportSteps[quarter.report.state] : undefined;
  return (
    <section aria-labelledby="rapport">
      <h2 id="rapport">{words.reportTitle}</h2>
      <p>{words.reportState(words.reportStates[quarter.report?.state ?? 'draft']!)}</p>
      <ErrorSummary errors={props.typed.form === 'step' ? props.typed.errors : []} />
      {step && quarter.report?.youTookAStep && <p>{words.reportStepForOthers(words.reportButtons[step]!)}</p>}
      {step && !quarter.report?.youTookAStep && (
        <ActionForm action={`${props.action}/etapes`} csrfToken={props.csrfToken} button={words.reportButtons[step]!}>
          <input type="hidden" name="event" value={step} />
        </ActionForm>
      )}
      {quarter.statements.some((one) => one.documentId) && (
        <ul>
          {quarter.statements
            .filter((one) => one.documentId)
            .map((one) => (
              <li key={one.investorId}>
                <a href={`/api/documents/${one.documentId}`}>{words.statementOf(one.investorName)}</a>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

async function quarterPage(context: PageContext<'signed-in'>, key: QuarterKey, typed: Typed) {
  const { app, principal, csrfToken } = context;
  const { fund, quarterEnd } = key;
  const quarter = asAnswer(quarterAnswer, await quarterView(app.db, fund.id, quarterEnd, principal));
  const due = await valuationsDueAt(app.db, fund.id, quarterEnd);
  const { valuations } = await listValuations(app.db, fund.id, { measuredOn: quarterEnd }, principal);
  const action = quarterPath(fund.id, quarterEnd);
  return {
    page: (
      <UnitFundLayout
        title={words.quarterTitle(shownDate(quarterEnd))}
        fund={fund}
        section="quarters"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>{quarter.closed ? words.closedLead : words.openLead}</p>
        <h2>{words.valuationsTitle}</h2>
        <ErrorSummary errors={typed.form === 'valuation' ? typed.errors : []} />
        <Valuations due={due} proposed={valuations} fundId={fund.id} csrfToken={csrfToken} />
        {!quarter.closed && (
          <section aria-labelledby="cloture">
            <h2 id="cloture">{words.closeTitle}</h2>
            {quarter.problems.length > 0 && (
              <ul>
                {quarter.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            )}
            <ErrorSummary errors={typed.form === 'close' ? typed.errors : []} />
            <ActionForm action={`${action}/cloture`} csrfToken={csrfToken} button={words.closeButton}>
              <></>
            </ActionForm>
          </section>
        )}
        <Report quarter={quarter} action={action} csrfToken={csrfToken} typed={typed} />
        <CapitalAccounts quarter={quarter} />
        <PerformanceTable quarter={quarter} />
      </UnitFundLayout>
    ),
    status: typed.status ?? (typed.errors.length > 0 ? 422 : 200),
  };
}

type QuarterKey = { fund: Awaited<ReturnType<typeof unitFundOf>>; quarterEnd: string };

async function quarterOf(context: PageContext<'signed-in'>): Promise<QuarterKey> {
  const fund = await unitFundOf(context);
  const checked = quarterParams.safeParse({ fundId: fund.id, quarterEnd: context.request.params.quarterEnd });
  if (!checked.success) throw new NotFoundError(reportingMessages.quarterEnd);
  return { fund, quarterEnd: checked.data.quarterEnd };
}

const onTheQuarter = formsOf({
  keyOf: quarterOf,
  url: (key) => quarterPath(key.fund.id, key.quarterEnd),
  page: quarterPage,
});

/** A valuation acted on from its quarter's page, which it comes back to. */
const onTheValuation = formsOf({
  keyOf: async (context: PageContext<'signed-in'>) => {
    const fund = await unitFundOf(context);
    const valuationId = idOf(context.request.params.valuationId, portfolioMessages.valuationMissing);
    const valuation = await getValuation(context.app.db, fund.id, valuationId, context.principal);
    return { fund, quarterEnd: valuation.measuredOn, valuationId };
  },
  url: (key) => quarterPath(key.fund.id, key.quarterEnd),
  page: quarterPage,
});

async function assetsPage(
  context: PageContext<'signed-in'>,
  fund: Awaited<ReturnType<typeof unitFundOf>>,
  typed: Typed,
) {
  const { app, principal, csrfToken } = context;
  const { statements } = asAnswer(assetsStatementsAnswer, await assetsStatements(app.db, fund.id, principal));
  const api = `/api/funds/${fund.id}/assets-statements`;
  return {
    page: (
      <UnitFundLayout
        title={words.assetsTitle(fund.name)}
        fund={fund}
        section="assets"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>{words.assetsLead}</p>
        <ErrorSummary errors={typed.errors} />
        {statements.length === 0 ? (
          <p>{words.noHalfYear}</p>
        ) : (
          <Table headers={Object.values(words.assetsColumns)}>
            {statements.map((one) => (
              <tr key={one.halfYearEnd}>
                <td>{shownDate(one.halfYearEnd)}</td>
                <td>
                  {shownDate(one.dueOn)}
                  {one.overdue && <strong class="overdue">{` — ${words.overdue}`}</strong>}
                </td>
                <td>
                  {one.documentId ? (
                    <a href={`/api/documents/${one.documentId}`}>{words.producedPdf}</a>
                  ) : (
                    <ActionForm
                      action={`${unitFundSectionPath(fund.id, 'assets')}/${one.halfYearEnd}`}
                      csrfToken={csrfToken}
                      button={words.produce}
                    />
                  )}
                </td>
                <td>
                  <a href={`${api}/${one.halfYearEnd}/file?format=csv`}>{words.csv}</a>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </UnitFundLayout>
    ),
    status: typed.status ?? (typed.errors.length > 0 ? 422 : 200),
  };
}

const onTheAssets = formsOf({
  keyOf: unitFundOf,
  url: (fund) => unitFundSectionPath(fund.id, 'assets'),
  page: assetsPage,
});

export const reportingPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/composition-actif',
    access: 'signed-in',
    handler: async (context) => assetsPage(context, await unitFundOf(context), nothingTyped),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/composition-actif/:halfYearEnd',
    access: 'signed-in',
    handler: onTheAssets('produce', async ({ app, principal, request }, fund) => {
      const { halfYearEnd } = parsed(halfYearParams, { fundId: fund.id, halfYearEnd: request.params.halfYearEnd });
      await produceAssetsStatement(app.db, fund.id, halfYearEnd, principal);
    }),
  }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/trimestres', access: 'signed-in', handler: quartersPage }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/trimestres/:quarterEnd',
    access: 'signed-in',
    handler: async (context) => quarterPage(context, await quarterOf(context), nothingTyped),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/trimestres/:quarterEnd/cloture',
    access: 'signed-in',
    handler: onTheQuarter('close', async ({ app, principal }, key) => {
      await app.db.transaction((trx) => closeQuarter(trx, key.fund.id, key.quarterEnd, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/trimestres/:quarterEnd/etapes',
    access: 'signed-in',
    handler: onTheQuarter('step', async ({ app, form, principal }, key) => {
      const step = parsed(reportStepBody, { event: form.event });
      await app.db.transaction((trx) => takeReportStep(trx, key.fund.id, key.quarterEnd, step.event, principal));
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/valorisations/:valuationId/etapes',
    access: 'signed-in',
    handler: onTheValuation('valuation', async ({ app, form, principal }, key) => {
      const step = parsed(valuationStepBody, { event: form.event, ...(form.reason ? { reason: form.reason } : {}) });
      await app.db.transaction((trx) => takeValuationStep(trx, key.fund.id, key.valuationId, step, principal));
    }),
  }),
];
