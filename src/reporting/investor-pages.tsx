import { NotFoundError } from '../errors';
import { isAdmin } from '../identity/roles';
import { portfolioWords } from '../portfolio/messages';
import { Chart, chartSvg } from '../web/charts';
import { shownAmount, shownDate, Table } from '../web/components';
import { Layout } from '../web/layout';
import { asAnswer, definePage, type AnyPage, type PageContext } from '../web/pages';
import { ClassNavs } from './components';
import { reportingMessages, reportingPageMessages as words } from './messages';
import { publishedStatement, statementsOfContact } from './quarters';
import { statementAnswer, statementParams, statementsAnswer } from './schema';
import { navAndPaidInSpec, shownIrr, shownMultiple, statementLineNames, subtractedLines } from './statement-document';

/**
 * The investor's side of the quarterly report: the statements published for
 * the investors the person signs in for, and each statement as a page — the
 * capital account, the performance beside the fund's, the portfolio and the
 * chart of its NAV and paid-in — with its PDF.
 */
const statementPath = (investorId: string, quarterEnd: string) => `/investissement/releves/${investorId}/${quarterEnd}`;

function assertInvestorSpace(context: PageContext<'signed-in'>) {
  const { principal } = context;
  if (!isAdmin(principal) && !principal.grants.some((grant) => grant.role === 'investor')) throw new NotFoundError();
}

async function statementsPage(context: PageContext<'signed-in'>) {
  assertInvestorSpace(context);
  const { app, principal, csrfToken } = context;
  const { statements } = asAnswer(statementsAnswer, await statementsOfContact(app.db, principal));
  return {
    page: (
      <Layout title={words.statementsTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.statementsTitle}</h1>
        <p>{words.statementsLead}</p>
        {statements.length === 0 ? (
          <p>{words.noStatement}</p>
        ) : (
          <Table headers={Object.values(words.statementColumns)}>
            {statements.map((one) => (
              <tr key={one.documentId}>
                <td>
                  <a href={statementPath(one.investorId, one.quarterEnd)}>{shownDate(one.quarterEnd)}</a>
                </td>
                <td>{one.investorName}</td>
                <td>
                  <a href={`/api/documents/${one.documentId}`}>{words.download}</a>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Layout>
    ),
  };
}

type Statement = ReturnType<typeof statementAnswer.parse>;

function CapitalAccount(props: { statement: Statement }) {
  const { columns, commitment, unfundedEnding } = props.statement;
  const periods = [columns.quarter, columns.yearToDate, columns.sinceInception];
  const lines = reportingMessages.lines;
  const row = (label: string, shown: (column: Statement['columns']['quarter']) => string, strong = false) => (
    <tr key={label}>
      <th scope="row">{strong ? <strong>{label}</strong> : label}</th>
      {periods.map((column, index) => (
        <td key={index} class="amount">
          {strong ? <strong>{shown(column)}</strong> : shown(column)}
        </td>
      ))}
    </tr>
  );
  return (
    <section aria-labelledby="compte">
      <h2 id="compte">{words.capitalAccountTitle}</h2>
      <Table headers={Object.values(words.capitalAccountColumns)}>
        {row(lines.beginning!, (column) => shownAmount(column.beginning), true)}
        {statementLineNames.map((name) =>
          row(`${subtractedLines.includes(name) ? '−' : '+'} ${lines[name]!}`, (column) =>
            shownAmount(column.lines[name]),
          ),
        )}
        {row(lines.ending!, (column) => shownAmount(column.ending), true)}
        {row(words.commitment, () => shownAmount(commitment))}
        {row(words.unfundedBeginning, (column) => shownAmount(column.unfundedBeginning))}
        {row(words.unfundedEnding, () => shownAmount(unfundedEnding))}
      </Table>
    </section>
  );
}

function Performance(props: { statement: Statement }) {
  const { investor, fund } = props.statement.performance;
  const measures = reportingMessages.performance;
  const rows: [string, string, string][] = [
    [measures.paidIn, shownAmount(investor.paidIn), shownAmount(fund.paidIn)],
    [measures.distributed, shownAmount(investor.distributed), shownAmount(fund.distributed)],
    [measures.nav, shownAmount(investor.nav), shownAmount(fund.nav)],
    ['DPI', shownMultiple(investor.dpi), shownMultiple(fund.dpi)],
    ['RVPI', shownMultiple(investor.rvpi), shownMultiple(fund.rvpi)],
    ['TVPI', shownMultiple(investor.tvpi), shownMultiple(fund.tvpi)],
    [measures.irr, shownIrr(investor.irr), shownIrr(fund.irr)],
  ];
  return (
    <section aria-labelledby="performance">
      <h2 id="performance">{words.performanceTitle}</h2>
      <Table headers={Object.values(words.yoursAndFund)}>
        {rows.map(([label, yours, theFund]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td class="amount">{yours}</td>
            <td class="amount">{theFund}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

function Portfolio(props: { statement: Statement }) {
  const { gross } = props.statement;
  return (
    <section aria-labelledby="portefeuille">
      <h2 id="portefeuille">{words.portfolioTitle}</h2>
      <p>{words.grossLine(shownIrr(gross.irr), shownMultiple(gross.moic))}</p>
      {gross.investments.length > 0 && (
        <Table headers={Object.values(words.portfolioColumns)}>
          {gross.investments.map((one) => (
            <tr key={one.name}>
              <td>{one.name}</td>
              <td>{portfolioWords.instruments[one.instrument] ?? one.instrument}</td>
              <td class="amount">{shownAmount(one.cost)}</td>
              <td class="amount">{shownAmount(one.value)}</td>
              <td class="amount">{shownMultiple(one.moic)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

async function History(props: { statement: Statement }) {
  const { history } = props.statement;
  if (history.length < 2) return null;
  const svg = await chartSvg(
    navAndPaidInSpec(
      history.map((one) => ({
        quarterEnd: one.quarterEnd,
        navEuros: Number(one.nav),
        paidInEuros: Number(one.paidIn),
      })),
    ),
  );
  return (
    <Chart
      svg={svg}
      caption={reportingMessages.performance.chart}
      headers={Object.values(words.historyColumns)}
      points={history.map((one) => ({
        label: shownDate(one.quarterEnd),
        shown: [shownAmount(one.nav), shownAmount(one.paidIn)],
      }))}
    />
  );
}

async function statementPage(context: PageContext<'signed-in'>) {
  assertInvestorSpace(context);
  const { app, principal, csrfToken, request } = context;
  const params = statementParams.safeParse(request.params);
  if (!params.success) throw new NotFoundError(reportingMessages.statementMissing);
  const statement = asAnswer(
    statementAnswer,
    await publishedStatement(app.db, principal, params.data.investorId, params.data.quarterEnd),
  );
  const title = words.statementTitle(statement.investor.name, shownDate(statement.quarterEnd));
  return {
    page: (
      <Layout title={title} viewer={principal} csrfToken={csrfToken}>
        <p>
          <a href="/investissement/releves">{words.statementsTitle}</a>
        </p>
        <h1>{title}</h1>
        <p>{statement.fund.name}</p>
        <p>
          <a href={`/api/documents/${statement.documentId}`}>{words.download}</a>
        </p>
        <CapitalAccount statement={statement} />
        <ClassNavs classes={statement.classes} />
        <Performance statement={statement} />
        {await History({ statement })}
        <Portfolio statement={statement} />
      </Layout>
    ),
  };
}

export const investorReportingPages: AnyPage[] = [
  definePage({ method: 'get', path: '/investissement/releves', access: 'signed-in', handler: statementsPage }),
  definePage({
    method: 'get',
    path: '/investissement/releves/:investorId/:quarterEnd',
    access: 'signed-in',
    handler: statementPage,
  }),
];
