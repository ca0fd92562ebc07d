import { Fragment } from 'preact';
import { fpciTeamPageMessages } from '../fpci/messages';
import { unitFundOf, UnitFundLayout } from '../fpci/team-pages';
import { shownAmount, shownDate, Table } from '../web/components';
import { asAnswer, definePage, idOf, type AnyPage, type PageContext } from '../web/pages';
import { investmentFile } from './investment-file';
import { listInvestments } from './investments';
import { portfolioMessages, portfolioPageMessages as words, portfolioWords } from './messages';
import { investmentAnswer, investmentsAnswer } from './schema';

/**
 * The fund team's pages of its portfolio: the investments with their step, and
 * an investment's file — its terms, drawdowns with their transfers, schedule
 * and history. They show what the API's routes give.
 */
const listPath = (fundId: string) => `/tresorerie/${fundId}/investissements`;

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
      <Table headers={Object.values(words.scheduleColumns)}>
        {schedule.map((line) => (
          <tr key={line.number}>
            <td>{words.numbered(line.number)}</td>
            <td>{shownDate(line.dueOn)}</td>
            <td class="amount">{shownAmount(line.outstanding)}</td>
            <td class="amount">{shownAmount(line.interest)}</td>
            <td class="amount">{shownAmount(line.principal)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

async function investmentPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const investmentId = idOf(request.params.investmentId, portfolioMessages.investmentMissing);
  const file = asAnswer(investmentAnswer, await investmentFile(app.db, fund.id, investmentId, principal));
  const amountOrNot = (value: string | null) => (value === null ? words.notYet : shownAmount(value));
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
        <h2>{words.drawdownsTitle}</h2>
        {file.drawdowns.length === 0 ? (
          <p>{words.noDrawdown}</p>
        ) : (
          <Table headers={Object.values(words.drawdownsColumns)}>
            {file.drawdowns.map((drawdown) => (
              <tr key={drawdown.number}>
                <td>{words.numbered(drawdown.number)}</td>
                <td>{shownDate(drawdown.requestedOn)}</td>
                <td class="amount">{shownAmount(drawdown.amount)}</td>
                <td>
                  {drawdown.payment ? fpciTeamPageMessages.paymentStatuses[drawdown.payment.status] : words.notYet}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <Schedule file={file} />
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
  };
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
    handler: investmentPage,
  }),
];
