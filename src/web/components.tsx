import type { ComponentChildren } from 'preact';
import { euros, formatFrench, minorUnits, parseApiAmount } from '../money';
import { formatFrenchDate, formatFrenchDateTime, formatFrenchDay } from '../time';
import { webMessages } from './messages';

/** An API amount ("1234.56") as people read it: « 1 234,56 € »; a dash when there is none. */
export function shownAmount(apiAmount: string | null | undefined): string {
  return apiAmount ? formatFrench(euros(apiAmountMinor(apiAmount))) : '—';
}

/** An API amount, signed ("-12.50" for a debit), in cents. */
export function apiAmountMinor(apiAmount: string): bigint {
  const negative = apiAmount.startsWith('-');
  const amountMinor = minorUnits(parseApiAmount(negative ? apiAmount.slice(1) : apiAmount));
  return negative ? -amountMinor : amountMinor;
}

/** A moment or a calendar day as people read it: « 12 mars 2026 ». */
export const shownDate = (value: Date | string | null | undefined): string => {
  if (!value) return '—';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatFrenchDay(value);
  return formatFrenchDate(new Date(value));
};
export const shownDateTime = (value: Date | string): string => formatFrenchDateTime(new Date(value));

/** The links to the other pages of a list, keeping its filters. */
export function Pagination(props: {
  path: string;
  query: Record<string, string | undefined>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages === 1) return null;
  const to = (page: number) => {
    const search = new URLSearchParams(
      Object.entries({ ...props.query, page: String(page) }).filter((entry): entry is [string, string] =>
        Boolean(entry[1]),
      ),
    );
    return `${props.path}?${search.toString()}`;
  };
  return (
    <nav aria-label={webMessages.pagination} class="pagination">
      <ul>
        {props.page > 1 && (
          <li>
            <a href={to(props.page - 1)} rel="prev">
              {webMessages.previousPage}
            </a>
          </li>
        )}
        <li aria-current="page">{webMessages.pageOf(props.page, pages)}</li>
        {props.page < pages && (
          <li>
            <a href={to(props.page + 1)} rel="next">
              {webMessages.nextPage}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** A table that scrolls sideways on a narrow screen, its column headers named for screen readers. */
export function Table(props: { headers: readonly string[]; children: ComponentChildren }) {
  return (
    <div class="overflow-auto">
      <table>
        <thead>
          <tr>
            {props.headers.map((header) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/**
 * How far a job got (an import, receipts being issued): its state, done on the
 * total, a progress bar; while it works, the page reloads itself (`refreshSeconds`
 * on the layout) and says so.
 */
export function JobProgress(props: {
  state: string;
  done: string;
  processed: number;
  total: number | null;
  working: boolean;
}) {
  return (
    <section aria-labelledby="avancement">
      <h2 id="avancement">{webMessages.progressTitle}</h2>
      <p>
        {props.state} — {props.done}
      </p>
      <progress
        aria-labelledby="avancement"
        value={props.total === null ? undefined : props.processed}
        max={props.total ?? undefined}
      />
      {props.working && <p>{webMessages.progressWaiting}</p>}
    </section>
  );
}
