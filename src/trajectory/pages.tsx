import { NotFoundError } from '../errors';
import { isAdmin, scopesHeld } from '../identity/roles';
import { listFunds } from '../ledger/queries';
import { organisationParams } from '../organisations/schema';
import { portfolioWords } from '../portfolio/messages';
import { ScheduleTable } from '../portfolio/schedule-table';
import { euros, formatFrench } from '../money';
import { apiAmountMinor, shownAmount, shownDate, Table } from '../web/components';
import { Layout } from '../web/layout';
import { asAnswer, definePage, type AnyPage, type PageContext } from '../web/pages';
import { trajectoryMessages as words } from './messages';
import { trajectoryAnswer, type Trajectory } from './schema';
import { trajectoryOf } from './service';
import { timelineOf } from './timeline';

/**
 * An organisation's trajectory for its own people: one history across its
 * files and the investments made in it, then each investment with what it
 * owes and when. Whom its API answers, and nobody else (a 404).
 */
function Investments(props: { investments: Trajectory['investments'] }) {
  if (props.investments.length === 0) return null;
  return (
    <section aria-labelledby="investissements">
      <h2 id="investissements">{words.investmentsTitle}</h2>
      {props.investments.map((investment) => {
        const paidBackMinor = investment.returns.reduce((total, one) => total + apiAmountMinor(one.amount), 0n);
        return (
          <article key={investment.id}>
            <h3>{words.investment(investment.name, portfolioWords.states[investment.state] ?? investment.state)}</h3>
            <dl>
              <dt>{words.investmentFacts.instrument}</dt>
              <dd>{portfolioWords.instruments[investment.instrument] ?? investment.instrument}</dd>
              <dt>{words.investmentFacts.approved}</dt>
              <dd>{shownAmount(investment.approvedAmount)}</dd>
              <dt>{words.investmentFacts.drawn}</dt>
              <dd>{shownAmount(investment.drawn)}</dd>
              <dt>{words.investmentFacts.paidBack}</dt>
              <dd>{formatFrench(euros(paidBackMinor))}</dd>
            </dl>
            {investment.schedule && (
              <>
                <h4>{words.scheduleTitle}</h4>
                <ScheduleTable schedule={investment.schedule} />
              </>
            )}
          </article>
        );
      })}
    </section>
  );
}

async function trajectoryPage({ app, principal, csrfToken, request }: PageContext<'signed-in'>) {
  const params = organisationParams.safeParse(request.params);
  if (!params.success) throw new NotFoundError();
  const { organisationId } = params.data;
  if (!isAdmin(principal) && !scopesHeld(principal, ['applicant'], 'organisation').includes(organisationId))
    throw new NotFoundError();
  const trajectory = asAnswer(trajectoryAnswer, await trajectoryOf(app.db, organisationId, principal));
  const funds = new Map((await listFunds(app.db)).map((fund) => [fund.id, fund.name]));
  const moments = timelineOf(trajectory);
  const title = words.title(trajectory.organisation.name);
  return {
    page: (
      <Layout title={title} viewer={principal} csrfToken={csrfToken}>
        <h1>{title}</h1>
        <p>{words.lead}</p>
        <section aria-labelledby="histoire">
          <h2 id="histoire">{words.historyTitle}</h2>
          {moments.length === 0 ? (
            <p>{words.nothingYet}</p>
          ) : (
            <Table headers={Object.values(words.historyColumns)}>
              {moments.map((moment, index) => (
                <tr key={index}>
                  <td>{shownDate(moment.at)}</td>
                  <td>{funds.get(moment.fundId) ?? moment.fundId}</td>
                  <td>{moment.fileId ? <a href={`/dossiers/${moment.fileId}`}>{moment.what}</a> : moment.what}</td>
                  <td class="amount">{moment.amount === null ? '' : shownAmount(moment.amount)}</td>
                </tr>
              ))}
            </Table>
          )}
        </section>
        <Investments investments={trajectory.investments} />
      </Layout>
    ),
  };
}

export const trajectoryPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/structures/:organisationId/trajectoire',
    access: 'signed-in',
    handler: trajectoryPage,
  }),
];
