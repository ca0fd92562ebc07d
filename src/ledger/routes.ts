import { ledgerMessages } from './messages';
import { ValidationError } from '../errors';
import { defineRoute, idempotencyKeyHeader, idempotencyKeyOf, type AnyRoute } from '../http/route';
import { isAdmin, scopesHeld } from '../identity/roles';
import { todayInParis } from '../time';
import { postEntry, reverseEntry } from './entries';
import { exportFec } from './fec';
import { closeFiscalYear, closeMonth, listClosures, reopenMonth } from './periods';
import { getFund, listAccounts, listFunds } from './queries';
import {
  accountsAnswer,
  balancesAnswer,
  balancesQuery,
  closureBody,
  closureParams,
  entriesAnswer,
  entryAnswer,
  entryParams,
  fecParams,
  fundParams,
  fundsAnswer,
  journalQuery,
  manualEntryBody,
  reopeningBody,
  reversalBody,
  closuresAnswer,
  closureMadeAnswer,
  reopenedAnswer,
  verificationAnswer,
} from './schema';
import { verifyLedger, type BookCheck } from './verify';
import { amount, balanceView, entryView, journalPage, numberedEntry, trialBalanceAt } from './views';

const treasury = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;
const booksRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/funds',
    summary: 'Fonds visibles',
    tag: 'ledger',
    access: { roles: ['treasurer'] },
    response: { status: 200, description: 'Les fonds', schema: fundsAnswer },
    handler: async ({ app, principal }) => {
      const funds = await listFunds(
        app.db,
        isAdmin(principal) ? undefined : scopesHeld(principal, ['treasurer'], 'fund'),
      );
      return { body: { funds } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/accounts',
    summary: 'Plan comptable du fonds, avec les soldes courants',
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    response: { status: 200, description: 'Les comptes et leurs soldes', schema: accountsAnswer },
    handler: async ({ app, params }) => ({
      body: { accounts: (await listAccounts(app.db, params.fundId)).map(balanceView) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/balances',
    summary: "Balance des comptes à une date (par défaut aujourd'hui)",
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    query: balancesQuery,
    response: { status: 200, description: 'La balance à la date', schema: balancesAnswer },
    handler: async ({ app, params, query }) => ({
      body: await trialBalanceAt(app.db, params.fundId, query.date ?? todayInParis()),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/entries',
    summary: 'Journal des écritures (paginé, filtrable)',
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    query: journalQuery,
    response: { status: 200, description: 'Une page du journal', schema: entriesAnswer },
    handler: async ({ app, params, query }) => ({
      body: await journalPage(app.db, {
        fundId: params.fundId,
        from: query.from,
        to: query.to,
        journalCode: query.journal,
        accountCode: query.account,
        fiscalYear: query.fiscalYear,
        page: query.page,
        pageSize: query.pageSize,
      }),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/entries/{entryId}',
    summary: 'Une écriture et ses lignes',
    tag: 'ledger',
    access: treasury,
    params: entryParams,
    response: { status: 200, description: 'L’écriture et ses lignes', schema: entryAnswer },
    handler: async ({ app, params }) => ({
      body: entryView(await numberedEntry(app.db, params.fundId, params.entryId)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/entries',
    summary: 'Passer une écriture manuelle (journal OD), avec son motif',
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    body: manualEntryBody,
    headers: [
      idempotencyKeyHeader('la rejouer rend la même écriture (200), la réutiliser pour une autre est refusé (409).'),
    ],
    response: {
      status: 201,
      description: 'Écriture créée (200 si la même demande a déjà été passée)',
      schema: entryAnswer,
    },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { entry, created } = await app.db.transaction((trx) =>
        postEntry(
          trx,
          {
            fundId: params.fundId,
            journalCode: 'OD',
            accountingDate: body.accountingDate,
            label: body.label,
            reason: body.reason,
            sourceType: 'manual',
            idempotencyKey,
            lines: body.lines.map((line) => ({
              accountCode: line.accountCode,
              amountMinor: line.debit ?? -line.credit!,
              label: line.label,
            })),
          },
          { userId: principal.userId },
        ),
      );
      // Re-read after commit: the entry's number is given by the database as it commits, or just after.
      return { status: created ? 201 : 200, body: entryView(await numberedEntry(app.db, params.fundId, entry.id)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/entries/{entryId}/reversal',
    summary: 'Contre-passer une écriture (une seule fois)',
    tag: 'ledger',
    access: treasury,
    params: entryParams,
    body: reversalBody,
    response: { status: 201, description: 'Écriture de contre-passation', schema: entryAnswer },
    handler: async ({ app, params, body, principal }) => {
      const entry = await app.db.transaction((trx) =>
        reverseEntry(
          trx,
          params.fundId,
          params.entryId,
          { accountingDate: body.accountingDate ?? todayInParis(), reason: body.reason },
          { userId: principal.userId },
        ),
      );
      return { body: entryView(await numberedEntry(app.db, params.fundId, entry.id)) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/period-closures',
    summary: 'Périodes closes',
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    response: { status: 200, description: 'Les périodes closes du fonds', schema: closuresAnswer },
    handler: async ({ app, params }) => ({ body: { closures: await listClosures(app.db, params.fundId) } }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/period-closures',
    summary: "Clore un mois, ou l'exercice (qui ouvre le suivant par les à-nouveaux)",
    tag: 'ledger',
    access: treasury,
    params: fundParams,
    body: closureBody,
    response: { status: 201, description: 'Clôture enregistrée', schema: closureMadeAnswer },
    handler: async ({ app, params, body, principal }) => {
      const actor = { userId: principal.userId };
      if (body.kind === 'month') {
        return {
          body: {
            closure: await app.db.transaction((trx) => closeMonth(trx, params.fundId, body.month, body.reason, actor)),
          },
        };
      }
      const { closure, openingEntry } = await app.db.transaction((trx) =>
        closeFiscalYear(trx, params.fundId, body.fiscalYear, body.reason, actor),
      );
      return {
        body: {
          closure,
          openingEntry: openingEntry && entryView(await numberedEntry(app.db, params.fundId, openingEntry.id)),
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/period-closures/{closureId}/reopening',
    summary: "Rouvrir un mois clos (refusé une fois l'exercice clos)",
    tag: 'ledger',
    access: treasury,
    params: closureParams,
    body: reopeningBody,
    response: { status: 200, description: 'Le mois rouvert', schema: reopenedAnswer },
    handler: async ({ app, params, body, principal }) => ({
      body: {
        closure: await app.db.transaction((trx) =>
          reopenMonth(trx, params.fundId, params.closureId, body.reason, { userId: principal.userId }),
        ),
      },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/fec/{fiscalYear}',
    summary: "Fichier des écritures comptables (FEC) de l'exercice",
    tag: 'ledger',
    access: treasury,
    params: fecParams,
    response: {
      status: 200,
      description: 'Fichier texte, tabulé, ISO 8859-15, fins de ligne CR LF',
      contentType: 'text/plain',
    },
    handler: async ({ app, params }) => {
      await getFund(app.db, params.fundId);
      if (params.fiscalYear > Number(todayInParis().slice(0, 4)) + 1) {
        throw new ValidationError([{ path: ['params', 'fiscalYear'], message: ledgerMessages.futureYear }]);
      }
      const fec = await exportFec(app.db, params.fundId, params.fiscalYear);
      return { file: { fileName: fec.fileName, contentType: 'text/plain; charset=iso-8859-15', content: fec.content } };
    },
  }),
];

/** The verification of the books: the ledger's own invariants, then each module's check of its agreement with them. */
const verificationRoute = (bookChecks: readonly BookCheck[]): AnyRoute =>
  defineRoute({
    method: 'get',
    path: '/api/admin/ledger/verification',
    summary: 'Vérifier les livres : soldes recalculés, écritures équilibrées, numérotation continue, balance nulle',
    tag: 'admin',
    access: { roles: [] },
    response: { status: 200, description: 'Le résultat de la vérification', schema: verificationAnswer },
    handler: async ({ app }) => {
      const verification = await verifyLedger(app.db, bookChecks);
      return {
        body: {
          ...verification,
          funds: verification.funds.map(({ trialBalanceMinor, ...fund }) => ({
            ...fund,
            trialBalance: amount(trialBalanceMinor),
          })),
        },
      };
    },
  });

export const ledgerRoutes = (bookChecks: readonly BookCheck[]): AnyRoute[] => [
  ...booksRoutes,
  verificationRoute(bookChecks),
];
