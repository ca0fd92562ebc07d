import type { ComponentChildren } from 'preact';
import { NotFoundError } from '../errors';
import type { Principal } from '../identity/roles';
import { findFund } from '../ledger/queries';
import { treasuredFund } from '../treasury/access';
import { shownAmount, shownDate, Table } from '../web/components';
import { Layout } from '../web/layout';
import type { PageContext } from '../web/pages';
import { endowmentPageMessages as words } from './messages';
import type { receiptsAnswer } from './schema';
import type { z } from 'zod';

/**
 * What the endowment fund's pages share: the fund of the address (kept by this
 * treasurer, an endowment fund: 404 otherwise, as in the API), the frame with
 * the fund's sections, and the receipts' table.
 */
export type EndowmentFund = { id: string; name: string };

export async function endowmentFundOf(context: PageContext<'signed-in'>): Promise<EndowmentFund> {
  const fundId = treasuredFund(context.principal, context.request.params.fundId);
  const fund = await findFund(context.app.db, fundId);
  if (!fund || fund.kind !== 'endowment') throw new NotFoundError();
  return { id: fund.id, name: fund.name };
}

export const fundPath = (fund: EndowmentFund | string) => `/tresorerie/${typeof fund === 'string' ? fund : fund.id}`;

const sectionPaths = {
  donors: 'donateurs',
  gifts: 'dons',
  imports: 'imports',
  receipts: 'recus',
  pools: 'pools',
} as const;
export type Section = keyof typeof sectionPaths;
export const sectionPath = (fund: EndowmentFund | string, section: Section) =>
  `${fundPath(fund)}/${sectionPaths[section]}`;

/** The frame of an endowment page: its title, and the fund's sections, the current one marked. */
export function EndowmentLayout(props: {
  title: string;
  fund: EndowmentFund;
  section: Section;
  viewer: Principal;
  csrfToken: string;
  refreshSeconds?: number;
  children: ComponentChildren;
}) {
  return (
    <Layout title={props.title} viewer={props.viewer} csrfToken={props.csrfToken} refreshSeconds={props.refreshSeconds}>
      <nav aria-label={words.sectionsTitle} class="sections">
        <ul>
          <li>
            <a href={fundPath(props.fund)}>{props.fund.name}</a>
          </li>
          {(Object.keys(sectionPaths) as Section[]).map((section) => (
            <li key={section}>
              <a href={sectionPath(props.fund, section)} aria-current={section === props.section ? 'page' : undefined}>
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

type Receipt = z.infer<typeof receiptsAnswer>['receipts'][number];

/** Receipts with their PDF; `detailOf` links each to its page (a treasurer's), when given. */
export function ReceiptsTable(props: { receipts: readonly Receipt[]; detailOf?: (receipt: Receipt) => string }) {
  if (props.receipts.length === 0) return <p>{words.noReceipt}</p>;
  return (
    <Table headers={Object.values(words.receiptsColumns)}>
      {props.receipts.map((receipt) => (
        <tr key={receipt.id}>
          <td>{props.detailOf ? <a href={props.detailOf(receipt)}>{receipt.reference}</a> : receipt.reference}</td>
          <td>{words.kinds[receipt.kind]}</td>
          <td class="amount">{shownAmount(receipt.amount)}</td>
          <td>{words.period(shownDate(receipt.periodFrom), shownDate(receipt.periodTo))}</td>
          <td>{shownDate(receipt.issuedAt)}</td>
          <td>{receipt.cancelledAt ? words.states.cancelled : words.states.valid}</td>
          <td>
            {receipt.documentId ? (
              <a
                href={`/api/documents/${receipt.documentId}`}
                download={`recu-fiscal-${receipt.reference}.pdf`}
                aria-label={words.downloadReceipt(receipt.reference)}
              >
                {words.download}
              </a>
            ) : (
              words.pdfPending
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
