import { Fragment, type ComponentChildren } from 'preact';
import { NotFoundError } from '../errors';
import type { Principal } from '../identity/roles';
import { findFund } from '../ledger/queries';
import { treasuredFund } from '../treasury/access';
import { Pagination, shownAmount, shownDate, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field } from '../web/forms';
import { Layout } from '../web/layout';
import {
  asAnswer,
  definePage,
  formsOf,
  idOf,
  nothingTyped,
  pageNumber,
  parsed,
  type AnyPage,
  type PageContext,
  type Typed,
} from '../web/pages';
import { getCall, takeCallStep } from './calls';
import { getClosing } from './closings';
import { getDistribution, takeDistributionStep } from './distributions';
import { listInvestors } from './investors';
import { fpciMessages, fpciPageMessages as investorWords, fpciTeamPageMessages as words } from './messages';
import { latePayers, listCalls, listClosings, listDistributions } from './registers';
import {
  callAnswer,
  callsAnswer,
  callStepBody,
  closingAnswer,
  closingsAnswer,
  distributionAnswer,
  distributionsAnswer,
  distributionStepBody,
  investorsAnswer,
  latePayersAnswer,
} from './schema';

/**
 * The fund team's pages of a unit fund (its treasurers, admins): its investors,
 * closings, capital calls (each with its investors' lines and the steps left:
 * approve by a second person, issue), distributions (approve, book, each
 * investor's transfer) and late payers. They show what the API's routes give.
 */
type UnitFund = { id: string; name: string };
const listedMax = 25;

export async function unitFundOf(context: PageContext<'signed-in'>): Promise<UnitFund> {
  const fundId = treasuredFund(context.principal, context.request.params.fundId);
  const fund = await findFund(context.app.db, fundId);
  if (!fund || fund.kind !== 'fpci') throw new NotFoundError();
  return { id: fund.id, name: fund.name };
}

const sectionPaths = {
  investors: 'porteurs',
  closings: 'closings',
  calls: 'appels',
  distributions: 'distributions',
  late: 'retards',
  investments: 'investissements',
  quarters: 'trimestres',
  assets: 'composition-actif',
} as const;
type Section = keyof typeof sectionPaths;
export const unitFundSections = Object.keys(sectionPaths) as Section[];
export const unitFundSectionPath = (fundId: string, section: Section) =>
  `/tresorerie/${fundId}/${sectionPaths[section]}`;

export function UnitFundLayout(props: {
  title: string;
  fund: UnitFund;
  section: Section;
  viewer: Principal;
  csrfToken: string;
  children: ComponentChildren;
}) {
  return (
    <Layout title={props.title} viewer={props.viewer} csrfToken={props.csrfToken}>
      <nav aria-label={words.sectionsTitle} class="sections">
        <ul>
          <li>
            <a href={`/tresorerie/${props.fund.id}`}>{props.fund.name}</a>
          </li>
          {unitFundSections.map((section) => (
            <li key={section}>
              <a
                href={unitFundSectionPath(props.fund.id, section)}
                aria-current={section === props.section ? 'page' : undefined}
              >
                {words.sections[section]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

const stateOf = (state: string) => words.states[state] ?? state;

/** The steps a two-person decision has left in this state (the service refuses the drafter's approval, saying why). */
function StepForms(props: { action: string; state: string; done: 'ISSUE' | 'BOOK'; csrfToken: string; typed: Typed }) {
  const steps =
    props.state === 'draft' ? ['APPROVE', 'CANCEL'] : props.state === 'approved' ? [props.done, 'CANCEL'] : [];
  if (steps.length === 0) return null;
  return (
    <section aria-labelledby="a-faire">
      <h2 id="a-faire">{words.stepsTitle}</h2>
      <ErrorSummary errors={props.typed.errors} />
      {steps.map((event) => (
        <ActionForm
          key={event}
          action={props.action}
          csrfToken={props.csrfToken}
          button={words.steps[event]!}
          secondary={event === 'CANCEL'}
        >
          <input type="hidden" name="event" value={event} />
        </ActionForm>
      ))}
    </section>
  );
}

async function investorsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const search = typeof request.query.search === 'string' ? request.query.search.trim() : '';
  const page = pageNumber(request.query.page);
  const found = asAnswer(
    investorsAnswer,
    await listInvestors(app.db, fund.id, {
      search: search.length >= 2 ? search : undefined,
      page,
      pageSize: listedMax,
    }),
  );
  const path = unitFundSectionPath(fund.id, 'investors');
  return {
    page: (
      <UnitFundLayout
        title={words.investorsTitle(fund.name)}
        fund={fund}
        section="investors"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <form method="get" action={path} role="search" class="filters">
          <Field name="search" label={words.investorSearch} value={search} errors={[]} />
          <button type="submit">{words.search}</button>
        </form>
        {found.investors.length === 0 ? (
          <p>{words.noInvestor}</p>
        ) : (
          <Table headers={Object.values(words.investorsColumns)}>
            {found.investors.map((investor) => (
              <tr key={investor.id}>
                <td>{investor.name}</td>
                <td>{words.kinds[investor.kind]}</td>
                <td>
                  {words.kycStatuses[investor.kyc.status]}
                  {investor.kyc.expiresOn && ` ${words.kycUntil(shownDate(investor.kyc.expiresOn))}`}
                </td>
                <td>
                  {investor.eligibility ? words.eligibilityRoutes[investor.eligibility.route] : words.noEligibility}
                </td>
                <td class="amount">{shownAmount(investor.commitment)}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination path={path} query={{ search }} page={found.page} pageSize={found.pageSize} total={found.total} />
      </UnitFundLayout>
    ),
  };
}

async function closingsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const page = pageNumber(request.query.page);
  const found = asAnswer(closingsAnswer, await listClosings(app.db, fund.id, { page, pageSize: listedMax }, principal));
  return {
    page: (
      <UnitFundLayout
        title={words.closingsTitle(fund.name)}
        fund={fund}
        section="closings"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {found.closings.length === 0 ? (
          <p>{words.noClosing}</p>
        ) : (
          <Table headers={Object.values(words.closingsColumns)}>
            {found.closings.map((closing) => (
              <tr key={closing.id}>
                <td>
                  <a href={`${unitFundSectionPath(fund.id, 'closings')}/${closing.id}`}>
                    {words.numbered(closing.number)}
                  </a>
                </td>
                <td>{words.closingStates[closing.state] ?? closing.state}</td>
                <td>{shownDate(closing.openedOn)}</td>
                <td>{closing.closedOn ? shownDate(closing.closedOn) : words.notYet}</td>
                <td class="amount">{closing.subscriptions}</td>
                <td class="amount">{shownAmount(closing.commitment)}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          path={unitFundSectionPath(fund.id, 'closings')}
          query={{}}
          page={found.page}
          pageSize={found.pageSize}
          total={found.total}
        />
      </UnitFundLayout>
    ),
  };
}

/** A closing: its subscriptions with what each later subscriber owes at once, and the equalisation interest shared. */
async function closingPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const closingId = idOf(request.params.closingId, fpciMessages.closingMissing);
  const closing = asAnswer(closingAnswer, await getClosing(app.db, fund.id, closingId, principal));
  const { equalisation } = closing;
  return {
    page: (
      <UnitFundLayout
        title={words.closingTitle(closing.number)}
        fund={fund}
        section="closings"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <dl class="summary">
          <dt>{words.closingFacts.state}</dt>
          <dd>{words.closingStates[closing.state] ?? closing.state}</dd>
          <dt>{words.closingFacts.openedOn}</dt>
          <dd>{shownDate(closing.openedOn)}</dd>
          <dt>{words.closingFacts.closedOn}</dt>
          <dd>{closing.closedOn ? shownDate(closing.closedOn) : words.notYet}</dd>
          {(['commitment', 'catchUp', 'equalisationInterest', 'premium'] as const).map((total) => (
            <Fragment key={total}>
              <dt>{words.closingFacts[total]}</dt>
              <dd class="amount">{shownAmount(closing.totals[total])}</dd>
            </Fragment>
          ))}
        </dl>
        <Table headers={Object.values(words.subscriptionsColumns)}>
          {closing.subscriptions.map((one) => (
            <tr key={one.id}>
              <td>{one.investor}</td>
              <td>{investorWords.unitsOfClass(one.units, one.classCode)}</td>
              <td class="amount">{shownAmount(one.commitment)}</td>
              <td class="amount">{shownAmount(one.catchUp)}</td>
              <td class="amount">{shownAmount(one.equalisationInterest)}</td>
              <td class="amount">{shownAmount(one.premium)}</td>
              <td>{one.paymentReference ? <code>{one.paymentReference}</code> : words.notYet}</td>
            </tr>
          ))}
        </Table>
        {equalisation.shares.length > 0 && (
          <section aria-labelledby="egalisation">
            <h2 id="egalisation">{words.equalisationTitle}</h2>
            <p>{words.equalisationLead(shownAmount(equalisation.interest), shownAmount(equalisation.collected))}</p>
            <Table headers={Object.values(words.equalisationColumns)}>
              {equalisation.shares.map((share) => (
                <tr key={share.investorId}>
                  <td>{share.investor}</td>
                  <td class="amount">{shownAmount(share.amount)}</td>
                  <td>{share.payment ? words.paymentStatuses[share.payment.status] : words.awaitingSubscribers}</td>
                </tr>
              ))}
            </Table>
          </section>
        )}
      </UnitFundLayout>
    ),
  };
}

async function callsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const page = pageNumber(request.query.page);
  const found = asAnswer(callsAnswer, await listCalls(app.db, fund.id, { page, pageSize: listedMax }, principal));
  const path = unitFundSectionPath(fund.id, 'calls');
  return {
    page: (
      <UnitFundLayout
        title={words.callsTitle(fund.name)}
        fund={fund}
        section="calls"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {found.calls.length === 0 ? (
          <p>{words.noCall}</p>
        ) : (
          <Table headers={Object.values(words.callsColumns)}>
            {found.calls.map((call) => (
              <tr key={call.id}>
                <td>
                  <a href={`${path}/${call.id}`}>{words.numbered(call.number)}</a>
                </td>
                <td>{stateOf(call.state)}</td>
                <td>{shownDate(call.dueOn)}</td>
                <td>{call.issuedOn ? shownDate(call.issuedOn) : words.notYet}</td>
                <td class="amount">{shownAmount(call.due)}</td>
                <td class="amount">{shownAmount(call.paid)}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination path={path} query={{}} page={found.page} pageSize={found.pageSize} total={found.total} />
      </UnitFundLayout>
    ),
  };
}

const callOf = async (context: PageContext<'signed-in'>) => ({
  fund: await unitFundOf(context),
  callId: idOf(context.request.params.callId, fpciMessages.callMissing),
});

async function callPage(context: PageContext<'signed-in'>, key: Awaited<ReturnType<typeof callOf>>, typed: Typed) {
  const { app, principal, csrfToken } = context;
  const { fund } = key;
  const call = asAnswer(callAnswer, await getCall(app.db, fund.id, key.callId, principal));
  return {
    page: (
      <UnitFundLayout
        title={words.callTitle(call.number)}
        fund={fund}
        section="calls"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <dl class="summary">
          <dt>{words.callFacts.state}</dt>
          <dd>{stateOf(call.state)}</dd>
          <dt>{words.callFacts.dueOn}</dt>
          <dd>{shownDate(call.dueOn)}</dd>
          <dt>{words.callFacts.issuedOn}</dt>
          <dd>{call.issuedOn ? shownDate(call.issuedOn) : words.notYet}</dd>
          <dt>{words.callFacts.due}</dt>
          <dd class="amount">{shownAmount(call.totals.due)}</dd>
          <dt>{words.callFacts.paid}</dt>
          <dd class="amount">{shownAmount(call.totals.paid)}</dd>
          <dt>{words.callFacts.outstanding}</dt>
          <dd class="amount">{shownAmount(call.totals.outstanding)}</dd>
        </dl>
        <StepForms
          action={`${unitFundSectionPath(fund.id, 'calls')}/${call.id}/etapes`}
          state={call.state}
          done="ISSUE"
          csrfToken={csrfToken}
          typed={typed}
        />
        <Table headers={Object.values(words.callInvestorsColumns)}>
          {call.investors.map((line) => (
            <tr key={line.investorId}>
              <td>{line.investor}</td>
              <td class="amount">{shownAmount(line.due)}</td>
              <td class="amount">{shownAmount(line.paid)}</td>
              <td class="amount">{shownAmount(line.outstanding)}</td>
              <td>{investorWords.callStatuses[line.status]}</td>
              <td>
                <code>{line.paymentReference}</code>
              </td>
              <td class="amount">{shownAmount(line.lateInterest)}</td>
            </tr>
          ))}
        </Table>
      </UnitFundLayout>
    ),
    status: typed.status ?? (typed.errors.length > 0 ? 422 : 200),
  };
}

async function distributionsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await unitFundOf(context);
  const page = pageNumber(request.query.page);
  const found = asAnswer(
    distributionsAnswer,
    await listDistributions(app.db, fund.id, { page, pageSize: listedMax }, principal),
  );
  const path = unitFundSectionPath(fund.id, 'distributions');
  return {
    page: (
      <UnitFundLayout
        title={words.distributionsTitle(fund.name)}
        fund={fund}
        section="distributions"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {found.distributions.length === 0 ? (
          <p>{words.noDistribution}</p>
        ) : (
          <Table headers={Object.values(words.distributionsColumns)}>
            {found.distributions.map((distribution) => (
              <tr key={distribution.id}>
                <td>
                  <a href={`${path}/${distribution.id}`}>{words.numbered(distribution.number)}</a>
                </td>
                <td>{stateOf(distribution.state)}</td>
                <td>{distribution.classCodes.join(', ')}</td>
                <td class="amount">{shownAmount(distribution.amount)}</td>
                <td>{distribution.bookedOn ? shownDate(distribution.bookedOn) : words.notYet}</td>
                <td>{distribution.auditorReportAwaited ? words.reportAwaited : words.reportNone}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination path={path} query={{}} page={found.page} pageSize={found.pageSize} total={found.total} />
      </UnitFundLayout>
    ),
  };
}

const distributionOf = async (context: PageContext<'signed-in'>) => ({
  fund: await unitFundOf(context),
  distributionId: idOf(context.request.params.distributionId, fpciMessages.distributionMissing),
});

async function distributionPage(
  context: PageContext<'signed-in'>,
  key: Awaited<ReturnType<typeof distributionOf>>,
  typed: Typed,
) {
  const { app, principal, csrfToken } = context;
  const { fund } = key;
  const distribution = asAnswer(
    distributionAnswer,
    await getDistribution(app.db, fund.id, key.distributionId, principal),
  );
  return {
    page: (
      <UnitFundLayout
        title={words.distributionTitle(distribution.number)}
        fund={fund}
        section="distributions"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>
          {stateOf(distribution.state)} — {shownAmount(distribution.amount)}
        </p>
        <StepForms
          action={`${unitFundSectionPath(fund.id, 'distributions')}/${distribution.id}/etapes`}
          state={distribution.state}
          done="BOOK"
          csrfToken={csrfToken}
          typed={typed}
        />
        <Table headers={Object.values(words.distributionInvestorsColumns)}>
          {distribution.investors.map((line) => (
            <tr key={`${line.investorId}-${line.classCode}`}>
              <td>{line.investor}</td>
              <td>{line.classCode}</td>
              <td class="amount">{shownAmount(line.repayment)}</td>
              <td class="amount">{shownAmount(line.income)}</td>
              <td class="amount">{shownAmount(line.gain)}</td>
              <td class="amount">{shownAmount(line.total)}</td>
              <td>{line.payment ? words.paymentStatuses[line.payment.status] : words.notYet}</td>
            </tr>
          ))}
        </Table>
      </UnitFundLayout>
    ),
    status: typed.status ?? (typed.errors.length > 0 ? 422 : 200),
  };
}

async function latePage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken } = context;
  const fund = await unitFundOf(context);
  const late = asAnswer(latePayersAnswer, await latePayers(app.db, fund.id, principal));
  return {
    page: (
      <UnitFundLayout
        title={words.lateTitle(fund.name)}
        fund={fund}
        section="late"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>{words.lateLead(shownDate(late.asOf))}</p>
        {late.latePayers.length === 0 ? (
          <p>{words.noLate}</p>
        ) : (
          <Table headers={Object.values(words.lateColumns)}>
            {late.latePayers.map((one) => (
              <tr key={`${one.callId}-${one.investorId}`}>
                <td>{one.investor}</td>
                <td>
                  <a href={`${unitFundSectionPath(fund.id, 'calls')}/${one.callId}`}>
                    {words.numbered(one.callNumber)}
                  </a>
                </td>
                <td>{shownDate(one.dueOn)}</td>
                <td class="amount">{shownAmount(one.outstanding)}</td>
                <td class="amount">{one.daysLate}</td>
                <td class="amount">{shownAmount(one.lateInterest)}</td>
              </tr>
            ))}
          </Table>
        )}
      </UnitFundLayout>
    ),
  };
}

const onTheCall = formsOf({
  keyOf: callOf,
  url: (key) => `${unitFundSectionPath(key.fund.id, 'calls')}/${key.callId}`,
  page: callPage,
});
const onTheDistribution = formsOf({
  keyOf: distributionOf,
  url: (key) => `${unitFundSectionPath(key.fund.id, 'distributions')}/${key.distributionId}`,
  page: distributionPage,
});

export const unitFundTeamPages: AnyPage[] = [
  definePage({ method: 'get', path: '/tresorerie/:fundId/porteurs', access: 'signed-in', handler: investorsPage }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/closings', access: 'signed-in', handler: closingsPage }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/closings/:closingId',
    access: 'signed-in',
    handler: closingPage,
  }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/appels', access: 'signed-in', handler: callsPage }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/appels/:callId',
    access: 'signed-in',
    handler: async (context) => callPage(context, await callOf(context), nothingTyped),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/appels/:callId/etapes',
    access: 'signed-in',
    handler: onTheCall('step', async ({ app, form, principal }, key) => {
      const step = parsed(callStepBody, { event: form.event });
      await app.db.transaction((trx) => takeCallStep(trx, key.fund.id, key.callId, step, principal));
    }),
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/distributions',
    access: 'signed-in',
    handler: distributionsPage,
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/distributions/:distributionId',
    access: 'signed-in',
    handler: async (context) => distributionPage(context, await distributionOf(context), nothingTyped),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/distributions/:distributionId/etapes',
    access: 'signed-in',
    handler: onTheDistribution('step', async ({ app, form, principal }, key) => {
      const step = parsed(distributionStepBody, { event: form.event });
      await app.db.transaction((trx) => takeDistributionStep(trx, key.fund.id, key.distributionId, step, principal));
    }),
  }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/retards', access: 'signed-in', handler: latePage }),
];
