import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { Principal } from '../identity/roles';
import { todayInParis } from '../time';
import { treasuredFund } from '../treasury/access';
import { apiAmountMinor, Pagination, shownAmount, shownDate, shownDateTime, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field, TextArea } from '../web/forms';
import { Layout } from '../web/layout';
import {
  asAnswer,
  assertAdmin,
  definePage,
  formsOf,
  nothingTyped,
  parsed,
  typedFor,
  type AnyPage,
  type PageContext,
  type Typed,
  filtersOf,
} from '../web/pages';
import { ledgerPageMessages as words } from './messages';
import { closeFiscalYear, closeMonth, fiscalYearOf, listClosures, reopenMonth } from './periods';
import { findFund, type Fund } from './queries';
import {
  balancesAnswer,
  closureBody,
  closureYear,
  reasonSchema,
  closuresAnswer,
  entriesAnswer,
  journalQuery,
  reopeningBody,
} from './schema';
import { amount, journalPage, trialBalanceAt } from './views';
import { verifyLedger, type BookCheck } from './verify';

/**
 * The books of a fund for its treasurers: the trial balance at a date, the
 * journal (filtered, paginated), months and years closed or reopened with
 * their reason, and the FEC of each year.
 */
const journalPageSize = 30;
const sections = { balance: 'balance', journal: 'journal', closures: 'clotures' } as const;
type Section = keyof typeof sections;
const sectionPath = (fundId: string, section: Section) => `/tresorerie/${fundId}/comptabilite/${sections[section]}`;

async function booksFundOf(context: PageContext<'signed-in'>): Promise<Fund> {
  const fund = await findFund(context.app.db, treasuredFund(context.principal, context.request.params.fundId));
  if (!fund) throw new NotFoundError();
  return fund;
}

function BooksLayout(props: {
  title: string;
  fund: Fund;
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
          {(Object.keys(sections) as Section[]).map((section) => (
            <li key={section}>
              <a
                href={sectionPath(props.fund.id, section)}
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

async function balancePage(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await booksFundOf(context);
  const asked = typeof request.query.date === 'string' ? request.query.date : '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(asked) && !Number.isNaN(Date.parse(asked)) ? asked : todayInParis();
  const balance = asAnswer(balancesAnswer, await trialBalanceAt(app.db, fund.id, date));
  const moved = balance.accounts.filter((account) => account.debit !== '0.00' || account.credit !== '0.00');
  return {
    page: (
      <BooksLayout
        title={words.balanceTitle(fund.name)}
        fund={fund}
        section="balance"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <form method="get" action={sectionPath(fund.id, 'balance')} class="filters">
          <Field name="date" type="date" label={words.atDate} value={date} errors={[]} />
          <button type="submit">{words.show}</button>
        </form>
        <Table headers={Object.values(words.balanceColumns)}>
          {moved.map((account) => (
            <tr key={account.code}>
              <td>
                <a href={`${sectionPath(fund.id, 'journal')}?account=${account.code}`}>{account.code}</a>
              </td>
              <td>{account.label}</td>
              <td class="amount">{shownAmount(account.debit)}</td>
              <td class="amount">{shownAmount(account.credit)}</td>
              <td class="amount">{shownAmount(account.balance)}</td>
            </tr>
          ))}
        </Table>
        <p role="status">
          {apiAmountMinor(balance.trialBalance) === 0n
            ? words.balanced
            : words.unbalanced(shownAmount(balance.trialBalance))}
        </p>
      </BooksLayout>
    ),
  };
}

const journalFilterNames = ['from', 'to', 'journal', 'account'] as const;

async function journalView(context: PageContext<'signed-in'>) {
  const { app, principal, csrfToken, request } = context;
  const fund = await booksFundOf(context);
  const { typed, filter, errors } = filtersOf(journalQuery, request.query, journalFilterNames, journalPageSize);
  const journal = asAnswer(
    entriesAnswer,
    await journalPage(app.db, {
      fundId: fund.id,
      from: filter.from,
      to: filter.to,
      journalCode: filter.journal,
      accountCode: filter.account,
      page: filter.page,
      pageSize: filter.pageSize,
    }),
  );
  return {
    page: (
      <BooksLayout
        title={words.journalTitle(fund.name)}
        fund={fund}
        section="journal"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <form method="get" action={sectionPath(fund.id, 'journal')} class="filters">
          <ErrorSummary errors={errors} />
          <Field name="from" type="date" label={words.from} value={typed.from} errors={errors} />
          <Field name="to" type="date" label={words.to} value={typed.to} errors={errors} />
          <Field name="journal" label={words.journalCode} value={typed.journal} errors={errors} />
          <Field name="account" label={words.account} value={typed.account} errors={errors} />
          <button type="submit">{words.filter}</button>
        </form>
        {journal.entries.length === 0 ? <p>{words.noEntry}</p> : <JournalTable entries={journal.entries} />}
        <Pagination
          path={sectionPath(fund.id, 'journal')}
          query={typed}
          page={journal.page}
          pageSize={journal.pageSize}
          total={journal.total}
        />
      </BooksLayout>
    ),
    status: errors.length > 0 ? 422 : 200,
  };
}

type Entry = z.infer<typeof entriesAnswer>['entries'][number];

/** One row per posting; the entry's reference, date, journal and label on its first. */
function JournalTable(props: { entries: readonly Entry[] }) {
  return (
    <Table headers={Object.values(words.journalColumns)}>
      {props.entries.flatMap((entry) =>
        entry.postings.map((posting, index) => (
          <tr key={`${entry.id}-${index}`} class={index === 0 ? 'entry-start' : undefined}>
            <td>{index === 0 ? (entry.reference ?? '—') : ''}</td>
            <td>{index === 0 ? shownDate(entry.accountingDate) : ''}</td>
            <td>{index === 0 ? entry.journalCode : ''}</td>
            <td>{index === 0 ? entryLabel(entry) : (posting.label ?? '')}</td>
            <td>
              {posting.accountCode} {posting.accountLabel}
            </td>
            <td class="amount">{posting.debit === '0.00' ? '' : shownAmount(posting.debit)}</td>
            <td class="amount">{posting.credit === '0.00' ? '' : shownAmount(posting.credit)}</td>
          </tr>
        )),
      )}
    </Table>
  );
}

const entryLabel = (entry: Entry) =>
  [entry.label, entry.isOpening && words.opening, entry.reversedByEntryId !== null && words.reversedBy]
    .filter(Boolean)
    .join(' — ');

async function closuresPage(context: PageContext<'signed-in'>, fund: Fund, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken } = context;
  const { closures } = asAnswer(closuresAnswer, { closures: await listClosures(app.db, fund.id) });
  const currentYear = fiscalYearOf(fund.fiscalYearStartMonth, todayInParis());
  return {
    page: (
      <BooksLayout
        title={words.closuresTitle(fund.name)}
        fund={fund}
        section="closures"
        viewer={principal}
        csrfToken={csrfToken}
      >
        {closures.length === 0 ? (
          <p>{words.noClosure}</p>
        ) : (
          <ClosuresTable fund={fund} closures={closures} csrfToken={csrfToken} typed={typedFor(typed, 'reopen')} />
        )}
        <CloseForms fund={fund} csrfToken={csrfToken} typed={typed} year={currentYear - 1} />
        <section aria-labelledby="fec">
          <h2 id="fec">{words.fecTitle}</h2>
          <p>{words.fecLead}</p>
          <ul>
            {[currentYear, currentYear - 1].map((year) => (
              <li key={year}>
                <a href={`/api/funds/${fund.id}/fec/${year}`} download>
                  {words.downloadFec(year)}
                </a>
              </li>
            ))}
          </ul>
        </section>
      </BooksLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function ClosuresTable(props: {
  fund: Fund;
  closures: z.infer<typeof closuresAnswer>['closures'];
  csrfToken: string;
  typed: Typed;
}) {
  return (
    <>
      <ErrorSummary errors={props.typed.errors} />
      <Table headers={[...Object.values(words.closuresColumns), '']}>
        {props.closures.map((closure) => (
          <tr key={closure.id}>
            <td>{words.period(shownDate(closure.startsOn), shownDate(closure.endsOn))}</td>
            <td>{words.kinds[closure.kind]}</td>
            <td>{closure.reason}</td>
            <td>{shownDateTime(closure.closedAt)}</td>
            <td>{closure.reopenedAt ? words.reopened(closure.reopenReason ?? '') : words.closed}</td>
            <td>
              {closure.kind === 'month' && !closure.reopenedAt && (
                <details>
                  <summary>{words.reopen}</summary>
                  <ActionForm
                    action={`${sectionPath(props.fund.id, 'closures')}/${closure.id}/reouverture`}
                    csrfToken={props.csrfToken}
                    button={words.reopen}
                    secondary
                  >
                    <TextArea name={`reason-${closure.id}`} label={words.reopenReason} rows={2} required errors={[]} />
                  </ActionForm>
                </details>
              )}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function CloseForms(props: { fund: Fund; csrfToken: string; typed: Typed; year: number }) {
  const month = typedFor(props.typed, 'month');
  const year = typedFor(props.typed, 'year');
  const action = sectionPath(props.fund.id, 'closures');
  return (
    <div class="grid">
      <section aria-labelledby="clore-mois">
        <h2 id="clore-mois">{words.closeMonthTitle}</h2>
        <ErrorSummary errors={month.errors} />
        <ActionForm action={`${action}/mois`} csrfToken={props.csrfToken} button={words.closeMonth}>
          <Field name="month" label={words.month} value={month.values.month} required errors={month.errors} />
          <Field name="reason" label={words.reason} value={month.values.reason} required errors={month.errors} />
        </ActionForm>
      </section>
      <section aria-labelledby="clore-exercice">
        <h2 id="clore-exercice">{words.closeYearTitle}</h2>
        <p>{words.closeYearLead}</p>
        <ErrorSummary errors={year.errors} />
        <ActionForm action={`${action}/exercice`} csrfToken={props.csrfToken} button={words.closeYear} secondary>
          <Field
            name="fiscalYear"
            label={words.fiscalYear}
            value={year.values.fiscalYear ?? String(props.year)}
            inputMode="numeric"
            required
            errors={year.errors}
          />
          <Field name="yearReason" label={words.reason} value={year.values.yearReason} required errors={year.errors} />
        </ActionForm>
      </section>
    </div>
  );
}

const yearClosureForm = z.strictObject({
  // A year as typed in a form: digits, read as a number.
  fiscalYear: z.coerce.number().pipe(closureYear),
  yearReason: reasonSchema,
});

const onTheClosures = formsOf({
  keyOf: booksFundOf,
  url: (fund) => sectionPath(fund.id, 'closures'),
  page: closuresPage,
});

export const booksSectionPath = sectionPath;

async function verificationPage(context: PageContext<'signed-in'>, bookChecks: readonly BookCheck[]) {
  const { app, principal, csrfToken } = context;
  assertAdmin(principal);
  const verification = await verifyLedger(app.db, bookChecks);
  return {
    page: (
      <Layout title={words.verificationTitle} viewer={principal} csrfToken={csrfToken}>
        <h1>{words.verificationTitle}</h1>
        <p>{words.checkedAt(shownDateTime(verification.checkedAt))}</p>
        {verification.ok ? (
          <p role="status">{words.verificationOk}</p>
        ) : (
          <div role="alert">
            <p>{words.verificationProblems(verification.problems.length)}</p>
            <ul>
              {verification.problems.map((problem) => (
                <li key={`${problem.check}${problem.fundId}${problem.detail}`}>
                  {problem.fundId} — {problem.check} : {problem.detail}
                </li>
              ))}
            </ul>
          </div>
        )}
        <Table headers={Object.values(words.verificationColumns)}>
          {verification.funds.map((fund) => (
            <tr key={fund.fundId}>
              <td>{fund.fundId}</td>
              <td>{fund.entries}</td>
              <td>{fund.postings}</td>
              <td class="amount">{shownAmount(amount(fund.trialBalanceMinor))}</td>
            </tr>
          ))}
        </Table>
      </Layout>
    ),
  };
}

const booksPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/comptabilite/balance',
    access: 'signed-in',
    handler: balancePage,
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/comptabilite/journal',
    access: 'signed-in',
    handler: journalView,
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/comptabilite/clotures',
    access: 'signed-in',
    handler: async (context) => closuresPage(context, await booksFundOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/comptabilite/clotures/mois',
    access: 'signed-in',
    handler: onTheClosures('month', async ({ app, form, principal }, fund) => {
      const body = parsed(closureBody, { kind: 'month', month: form.month?.trim(), reason: form.reason ?? '' });
      if (body.kind === 'month')
        await app.db.transaction((trx) =>
          closeMonth(trx, fund.id, body.month, body.reason, { userId: principal.userId }),
        );
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/comptabilite/clotures/exercice',
    access: 'signed-in',
    handler: onTheClosures('year', async ({ app, form, principal }, fund) => {
      // The year's reason has its own name: the month's form on the same page has a `reason`, and a field's id is its name.
      const typed = parsed(yearClosureForm, {
        fiscalYear: form.fiscalYear?.trim() ?? '',
        yearReason: form.yearReason ?? '',
      });
      const body = parsed(closureBody, { kind: 'year', fiscalYear: typed.fiscalYear, reason: typed.yearReason });
      if (body.kind === 'year')
        await app.db.transaction((trx) =>
          closeFiscalYear(trx, fund.id, body.fiscalYear, body.reason, { userId: principal.userId }),
        );
    }),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/comptabilite/clotures/:closureId/reouverture',
    access: 'signed-in',
    handler: onTheClosures('reopen', async ({ app, form, principal, request }, fund) => {
      const closureId = z.coerce.number().int().positive().safeParse(request.params.closureId);
      if (!closureId.success) throw new NotFoundError();
      const { reason } = parsed(reopeningBody, { reason: form[`reason-${closureId.data}`] ?? '' });
      await app.db.transaction((trx) =>
        reopenMonth(trx, fund.id, closureId.data, reason, { userId: principal.userId }),
      );
    }),
  }),
];

/** The books' pages, and the administrator's verification with each module's own check of its agreement with them. */
export const ledgerPages = (bookChecks: readonly BookCheck[]): AnyPage[] => [
  ...booksPages,
  definePage({
    method: 'get',
    path: '/admin/verification',
    access: 'signed-in',
    handler: (context) => verificationPage(context, bookChecks),
  }),
];
