import { z } from 'zod';
import { ValidationError } from '../errors';
import { JobProgress, Pagination, shownAmount, shownDate, shownDateTime, Table } from '../web/components';
import { ActionForm, ErrorSummary, Field, Select } from '../web/forms';
import {
  asAnswer,
  definePage,
  formsOf,
  nothingTyped,
  pageNumber,
  type AnyPage,
  type PageContext,
  type Typed,
  idOf,
} from '../web/pages';
import {
  confirmDryRun,
  donationImport,
  importColumns,
  importConfirming,
  importFileBytesMax,
  listDonationImports,
  listImportLines,
  requestDonationImport,
} from './import';
import { endowmentPageMessages as words } from './messages';
import { endowmentFundOf, EndowmentLayout, sectionPath, type EndowmentFund } from './page-frame';
import { donationImportAnswer, donationImportsAnswer, importLinesAnswer } from './schema';

/**
 * Gifts imported from a CSV: the file is first read at blank (nothing written),
 * its report shown line by line; confirmed, the same file is imported for
 * good. While the job runs, its page shows how far it got and reloads itself
 * (no script needed) until the result is there.
 */
const listedMax = 20;
const linesShownMax = 50;
const refreshWhileRunningSeconds = 2;

type Import = z.infer<typeof donationImportAnswer>;
const outcomeOf = (item: Import) => words.importOutcome(item.created, item.alreadyImported, item.refused);

async function importsPage(context: PageContext<'signed-in'>, fund: EndowmentFund, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const page = pageNumber(request.query.page);
  const imports = asAnswer(
    donationImportsAnswer,
    await listDonationImports(app.db, fund.id, { page, pageSize: listedMax }),
  );
  return {
    page: (
      <EndowmentLayout
        title={words.importsTitle(fund.name)}
        fund={fund}
        section="imports"
        viewer={principal}
        csrfToken={csrfToken}
      >
        <p>{words.importLead(importColumns.join(', '))}</p>
        <ErrorSummary errors={typed.errors} />
        <ActionForm action={sectionPath(fund, 'imports')} csrfToken={csrfToken} button={words.startDryRun} multipart>
          <Field
            name="fichier"
            type="file"
            label={words.importFile}
            hint={words.importHint}
            accept=".csv,text/csv"
            required
            errors={typed.errors}
          />
        </ActionForm>
        {imports.imports.length === 0 ? (
          <p>{words.noImport}</p>
        ) : (
          <Table headers={Object.values(words.importsColumns)}>
            {imports.imports.map((item) => (
              <tr key={item.id}>
                <td>
                  <a href={`${sectionPath(fund, 'imports')}/${item.id}`}>{shownDateTime(item.requestedAt)}</a>
                </td>
                <td>{item.dryRun ? words.importKinds.dry : words.importKinds.real}</td>
                <td>{words.importStates[item.state]}</td>
                <td>{words.linesOf(item.processedLines, item.totalLines)}</td>
                <td>{item.state === 'done' ? outcomeOf(item) : '—'}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pagination
          path={sectionPath(fund, 'imports')}
          query={{}}
          page={page}
          pageSize={listedMax}
          total={imports.total}
        />
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

type ImportKey = { fund: EndowmentFund; importId: string };
const outcomes = ['created', 'already-imported', 'refused'] as const;

async function importPage(context: PageContext<'signed-in'>, key: ImportKey, typed: Typed = nothingTyped) {
  const { app, principal, csrfToken, request } = context;
  const item = asAnswer(donationImportAnswer, await donationImport(app.db, key.fund.id, key.importId));
  const working = item.state === 'queued' || item.state === 'running';
  const outcome = outcomes.find((candidate) => candidate === request.query.outcome);
  const page = pageNumber(request.query.page);
  const [lines, confirmedBy] = await Promise.all([
    working
      ? undefined
      : listImportLines(app.db, key.fund.id, key.importId, { outcome, page, pageSize: linesShownMax }).then((answer) =>
          asAnswer(importLinesAnswer, answer),
        ),
    item.dryRun ? importConfirming(app.db, key.fund.id, key.importId) : undefined,
  ]);
  const url = `${sectionPath(key.fund, 'imports')}/${key.importId}`;
  return {
    page: (
      <EndowmentLayout
        title={words.importTitle(item.dryRun)}
        fund={key.fund}
        section="imports"
        viewer={principal}
        csrfToken={csrfToken}
        refreshSeconds={working ? refreshWhileRunningSeconds : undefined}
      >
        <JobProgress
          state={words.importStates[item.state] ?? item.state}
          done={words.linesOf(item.processedLines, item.totalLines)}
          processed={item.processedLines}
          total={item.totalLines}
          working={working}
        />
        {item.state === 'failed' && <p role="alert">{words.importFailed(item.failure ?? '')}</p>}
        {item.state === 'done' && (
          <p role="status">{`${item.dryRun ? words.dryRunDone : words.realDone} ${outcomeOf(item)}.`}</p>
        )}
        {item.state === 'done' &&
          item.dryRun &&
          (confirmedBy ? (
            <p>
              {words.confirmedAlready}{' '}
              <a href={`${sectionPath(key.fund, 'imports')}/${confirmedBy}`}>{words.seeRealImport}</a>
            </p>
          ) : (
            <>
              <ErrorSummary errors={typed.errors} />
              <ActionForm action={`${url}/confirmation`} csrfToken={csrfToken} button={words.confirmImport} />
            </>
          ))}
        {lines && <ImportLines url={url} lines={lines} outcome={outcome} page={page} />}
      </EndowmentLayout>
    ),
    status: typed.errors.length > 0 ? (typed.status ?? 422) : 200,
  };
}

function ImportLines(props: {
  url: string;
  lines: z.infer<typeof importLinesAnswer>;
  outcome: string | undefined;
  page: number;
}) {
  return (
    <section aria-labelledby="lignes">
      <h2 id="lignes">{words.outcomeFilter}</h2>
      <form method="get" action={props.url} class="filters">
        <Select
          name="outcome"
          label={words.outcomeFilter}
          value={props.outcome ?? ''}
          options={[
            { value: '', label: words.allOutcomes },
            ...outcomes.map((value) => ({ value, label: words.outcomes[value]! })),
          ]}
          errors={[]}
        />
        <button type="submit">{words.filter}</button>
      </form>
      <Table headers={Object.values(words.linesColumns)}>
        {props.lines.lines.map((line) => (
          <tr key={line.line}>
            <td>{line.line}</td>
            <td>{line.reference}</td>
            <td>{line.donor ? `${line.donor}${line.newDonor ? words.newDonorMark : ''}` : '—'}</td>
            <td class="amount">{shownAmount(line.amount)}</td>
            <td>{shownDate(line.receivedOn)}</td>
            <td>
              {words.outcomes[line.outcome]}
              {line.errors.length > 0 && (
                <ul class="line-errors">
                  {line.errors.map((error) => (
                    <li key={error}>{error}</li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <Pagination
        path={props.url}
        query={{ outcome: props.outcome }}
        page={props.page}
        pageSize={linesShownMax}
        total={props.lines.total}
      />
    </section>
  );
}

const importKeyOf = async (context: PageContext<'signed-in'>): Promise<ImportKey> => {
  const importId = idOf(context.request.params.importId);
  return { fund: await endowmentFundOf(context), importId };
};
const importPath = (fund: EndowmentFund, importId: string) => `${sectionPath(fund, 'imports')}/${importId}`;

export const importPages: AnyPage[] = [
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/imports',
    access: 'signed-in',
    handler: async (context) => importsPage(context, await endowmentFundOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/imports',
    access: 'signed-in',
    upload: { field: 'fichier', maxBytes: importFileBytesMax },
    handler: formsOf({ keyOf: endowmentFundOf, url: (fund) => sectionPath(fund, 'imports'), page: importsPage })(
      'import',
      async ({ app, file, principal }, fund) => {
        if (!file) throw new ValidationError([{ path: ['fichier'], message: words.importFileMissing }]);
        const requested = await requestDonationImport(app.db, fund.id, file.content, {
          // A browser sends a file as it is, its part naming no character set: the bytes tell (UTF-8, else Windows-1252).
          contentType: undefined,
          dryRun: true,
          userId: principal.userId,
        });
        return importPath(fund, requested.import.id);
      },
    ),
  }),
  definePage({
    method: 'get',
    path: '/tresorerie/:fundId/imports/:importId',
    access: 'signed-in',
    handler: async (context) => importPage(context, await importKeyOf(context)),
  }),
  definePage({
    method: 'post',
    path: '/tresorerie/:fundId/imports/:importId/confirmation',
    access: 'signed-in',
    handler: formsOf({ keyOf: importKeyOf, url: ({ fund, importId }) => importPath(fund, importId), page: importPage })(
      'confirm',
      async ({ app, principal }, { fund, importId }) => {
        const confirmed = await confirmDryRun(app.db, fund.id, importId, principal.userId);
        return importPath(fund, confirmed.import.id);
      },
    ),
  }),
];
