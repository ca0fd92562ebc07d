import { Fragment } from 'preact';
import { NotFoundError } from '../errors';
import { isAdmin } from '../identity/roles';
import { shownAmount, shownDate, Table } from '../web/components';
import { Layout } from '../web/layout';
import { asAnswer, definePage, type AnyPage } from '../web/pages';
import { fpciPageMessages as words } from './messages';
import { positionsOf } from './positions';
import { positionsAnswer } from './schema';

/** The investor's space: the positions of the investors this person signs in for, as `GET /api/me/investments` gives them. */
type Position = ReturnType<typeof positionsAnswer.parse>['positions'][number];

/** A notice's PDF once the worker has rendered it; until then, that it is being prepared. */
function NoticeLink(props: { documentId: string | null; label: string }) {
  return props.documentId ? (
    <a href={`/api/documents/${props.documentId}`} download>
      {props.label}
    </a>
  ) : (
    <>{words.noticePending}</>
  );
}

function PositionSection(props: { position: Position; index: number }) {
  const { position } = props;
  const heading = `position-${props.index}`;
  return (
    <section aria-labelledby={heading}>
      <h2 id={heading}>{words.positionTitle(position.investor, position.fund)}</h2>
      <dl class="summary">
        {(Object.keys(words.facts) as (keyof typeof words.facts)[]).map((fact) => (
          <Fragment key={fact}>
            <dt>{words.facts[fact]}</dt>
            <dd class="amount">{shownAmount(position[fact])}</dd>
          </Fragment>
        ))}
      </dl>
      <h3>{words.callsTitle}</h3>
      {position.calls.length === 0 ? (
        <p>{words.noCall}</p>
      ) : (
        <Table headers={Object.values(words.callsColumns)}>
          {position.calls.map((call) => (
            <tr key={call.number}>
              <td>{words.numbered(call.number)}</td>
              <td>{shownDate(call.dueOn)}</td>
              <td class="amount">{shownAmount(call.due)}</td>
              <td class="amount">{shownAmount(call.paid)}</td>
              <td>{words.callStatuses[call.status]}</td>
              <td>
                <code>{call.paymentReference}</code>
              </td>
              <td>
                <NoticeLink documentId={call.noticeDocumentId} label={words.noticeLink(call.number)} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h3>{words.distributionsTitle}</h3>
      {position.distributions.length === 0 ? (
        <p>{words.noDistribution}</p>
      ) : (
        <Table headers={Object.values(words.distributionsColumns)}>
          {position.distributions.map((distribution) => (
            <tr key={distribution.number}>
              <td>{words.numbered(distribution.number)}</td>
              <td>{shownDate(distribution.bookedOn)}</td>
              <td class="amount">{shownAmount(distribution.repayment)}</td>
              <td class="amount">{shownAmount(distribution.total)}</td>
              <td>
                <NoticeLink
                  documentId={distribution.noticeDocumentId}
                  label={words.distributionNoticeLink(distribution.number)}
                />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <SubscriptionsOwing position={position} />
      <EqualisationShares position={position} />
    </section>
  );
}

/** What a later subscriber pays at once, with the reference to quote; shown only to one who owes or owed some. */
function SubscriptionsOwing(props: { position: Position }) {
  const { subscriptions } = props.position;
  if (subscriptions.length === 0) return null;
  return (
    <>
      <h3>{words.subscriptionsTitle}</h3>
      <p>{words.subscriptionsLead}</p>
      <Table headers={Object.values(words.subscriptionsColumns)}>
        {subscriptions.map((one) => (
          <tr key={`${one.closingNumber}-${one.classCode}`}>
            <td>
              {words.numbered(one.closingNumber)} ({shownDate(one.closedOn)})
            </td>
            <td>{words.unitsOfClass(one.units, one.classCode)}</td>
            <td class="amount">{shownAmount(one.catchUp)}</td>
            <td class="amount">{shownAmount(one.equalisationInterest)}</td>
            <td class="amount">{shownAmount(one.premium)}</td>
            <td class="amount">{shownAmount(one.owed)}</td>
            <td class="amount">{shownAmount(one.paid)}</td>
            <td>
              <code>{one.paymentReference}</code>
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

/** The equalisation interest later subscribers owe this investor, and where the fund's payment of it stands. */
function EqualisationShares(props: { position: Position }) {
  const shares = props.position.equalisationShares;
  if (shares.length === 0) return null;
  return (
    <>
      <h3>{words.equalisationTitle}</h3>
      <p>{words.equalisationLead}</p>
      <Table headers={Object.values(words.equalisationColumns)}>
        {shares.map((share) => (
          <tr key={share.closingNumber}>
            <td>{words.numbered(share.closingNumber)}</td>
            <td>{shownDate(share.closedOn)}</td>
            <td class="amount">{shownAmount(share.amount)}</td>
            <td>{words.equalisationStatuses[share.status] ?? share.status}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

export const investorPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/investissement',
    access: 'signed-in',
    handler: async ({ app, principal, csrfToken }) => {
      if (!isAdmin(principal) && !principal.grants.some((grant) => grant.role === 'investor'))
        throw new NotFoundError();
      const { positions } = asAnswer(positionsAnswer, { positions: await positionsOf(app.db, principal.userId) });
      return {
        page: (
          <Layout title={words.title} viewer={principal} csrfToken={csrfToken}>
            <h1>{words.title}</h1>
            <p>{words.lead}</p>
            {positions.length === 0 ? (
              <p>{words.noPosition}</p>
            ) : (
              positions.map((position, index) => (
                <PositionSection key={position.investorId} position={position} index={index} />
              ))
            )}
          </Layout>
        ),
      };
    },
  }),
];
