import { z } from 'zod';
import { NotFoundError } from '../errors';
import { apiAmountMinor, Pagination, shownAmount, shownDate, Table } from '../web/components';
import { barChartSpec, Chart, chartSvg, type ChartPoint } from '../web/charts';
import { asAnswer, definePage, pageNumber, type AnyPage, type PageContext } from '../web/pages';
import { listPools, poolView } from './grants';
import { endowmentPageMessages as words } from './messages';
import { endowmentFundOf, EndowmentLayout, sectionPath } from './page-frame';
import { poolAnswer, poolParams, poolsAnswer } from './schema';

/**
 * The co-financing pools: what each received from its partner, granted and
 * still has, drawn and in a table; a pool's rules in force, its amendments,
 * its grants, and its statement for the partner (PDF, CSV).
 */
const listedMax = 20;

async function poolsPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await endowmentFundOf(context);
  const page = pageNumber(request.query.page);
  const pools = asAnswer(poolsAnswer, await listPools(app.db, fund.id, { page, pageSize: listedMax }));
  return {
    page: (
      <EndowmentLayout
        title={words.poolsTitle(fund.name)}
        fund={fund}
        section="pools"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {pools.pools.length === 0 ? (
          <p>{words.noPoolYet}</p>
        ) : (
          <Table headers={Object.values(words.poolsColumns)}>
            {pools.pools.map((pool) => (
              <tr key={pool.id}>
                <td>
                  <a href={`${sectionPath(fund, 'pools')}/${pool.id}`}>{pool.name}</a>
                </td>
                <td>{pool.partnerName}</td>
                <td class="amount">{shownAmount(pool.contributed)}</td>
                <td class="amount">{shownAmount(pool.granted)}</td>
                <td class="amount">{shownAmount(pool.available)}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination path={sectionPath(fund, 'pools')} query={{}} page={page} pageSize={listedMax} total={pools.total} />
      </EndowmentLayout>
    ),
  };
}

type Pool = z.infer<typeof poolAnswer>;

/** A pool's use against its size: what came in, what was granted, asked for payment, what is left. */
export function poolUse(pool: Pick<Pool, keyof typeof words.poolUseParts>): ChartPoint[] {
  return (Object.keys(words.poolUseParts) as (keyof typeof words.poolUseParts)[]).map((part) => ({
    label: words.poolUseParts[part],
    value: Number(apiAmountMinor(pool[part])) / 100,
    shown: shownAmount(pool[part]),
  }));
}

async function poolPage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await endowmentFundOf(context);
  const params = poolParams.safeParse({ fundId: fund.id, poolId: request.params.poolId });
  if (!params.success) throw new NotFoundError();
  const pool = asAnswer(poolAnswer, await poolView(app.db, fund.id, params.data.poolId));
  const use = poolUse(pool);
  const svg = await chartSvg(barChartSpec(use, words.poolUse(pool.name)));
  const statement = `/api/funds/${fund.id}/pools/${pool.id}/statement`;
  return {
    page: (
      <EndowmentLayout
        title={words.poolTitle(pool.name)}
        fund={fund}
        section="pools"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>{pool.partnerName}</p>
        <Chart svg={svg} caption={words.poolUse(pool.name)} headers={words.chartHeaders} points={use} />
        <section aria-labelledby="regles">
          <h2 id="regles">{words.poolRules}</h2>
          <ul>
            <li>{words.ticket(shownAmount(pool.rules.ticketMin), shownAmount(pool.rules.ticketMax))}</li>
            <li>{words.poolPeriod(shownDate(pool.rules.startsOn), shownDate(pool.rules.endsOn))}</li>
            <li>{words.tranches(pool.rules.tranchePercents.map((percent) => `${percent} %`).join(', '))}</li>
          </ul>
          {pool.amendments.length > 0 && (
            <>
              <h3>{words.amendments}</h3>
              <ul>
                {pool.amendments.map((amendment) => (
                  <li key={amendment.id}>
                    {words.amendment(shownDate(amendment.effectiveFrom), amendment.reason, amendment.amendedBy)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <PoolGrants grants={pool.grants} />
        <p>
          <a href={`${statement}?format=pdf`} download>
            {words.statementPdf}
          </a>{' '}
          ·{' '}
          <a href={`${statement}?format=csv`} download>
            {words.statementCsv}
          </a>
        </p>
      </EndowmentLayout>
    ),
  };
}

function PoolGrants(props: { grants: Pool['grants'] }) {
  return (
    <section aria-labelledby="subventions">
      <h2 id="subventions">{words.grantsTitle}</h2>
      {props.grants.length === 0 ? (
        <p>{words.noGrant}</p>
      ) : (
        <Table headers={Object.values(words.grantsColumns)}>
          {props.grants.map((grant) => (
            <tr key={grant.id}>
              <td>{grant.beneficiary}</td>
              <td class="amount">{shownAmount(grant.amount)}</td>
              <td>{shownDate(grant.grantedOn)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

export const poolPages: AnyPage[] = [
  definePage({ method: 'get', path: '/tresorerie/:fundId/pools', access: 'signed-in', handler: poolsPage }),
  definePage({ method: 'get', path: '/tresorerie/:fundId/pools/:poolId', access: 'signed-in', handler: poolPage }),
];
