import { defineRoute, type AnyRoute } from '../http/route';
import { fundParams } from '../ledger/schema';
import { ValidationError } from '../errors';
import { csvStatementFormat } from './csv-statement';
import { listBatches, listDisbursements } from './lists';
import {
  batchFile,
  createBatch,
  getDisbursement,
  markBatchSent,
  requestDisbursement,
  takeDisbursementStep,
} from './disbursements';
import { statementSizeMaxBytes } from './camt053';
import { importStatement, listStatements, setCsvStatementFormat, statementView } from './statements';
import { decideMatch, listMatches, matchByHand, matchHistory, proposeMatches } from './bank-matches';
import { expectReceipt, listExpectedReceipts } from './expected-receipts';
import {
  batchesAnswer,
  createdBatchAnswer,
  disbursementAnswer,
  disbursementsAnswer,
  expectedReceiptAnswer,
  expectedReceiptsAnswer,
  importedStatementAnswer,
  manualMatchAnswer,
  matchesAnswer,
  matchHistoryAnswer,
  proposedMatchesAnswer,
  statementAnswer,
  statementsAnswer,
  batchParams,
  batchesQuery,
  disbursementParams,
  disbursementRequestBody,
  disbursementStepBody,
  disbursementsQuery,
  expectedReceiptBody,
  manualMatchBody,
  matchDecisionBody,
  matchParams,
  newBatchBody,
  statementImportQuery,
  statementParams,
} from './schema';
import { treasuryMessages } from './messages';

const treasury = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;
// Routes on one disbursement or batch: the service checks the fund of the thing itself (others get 404).
const anyTreasurer = { roles: ['treasurer'] } as const;

export const treasuryRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/disbursements',
    summary: 'Les paiements du fonds, du plus récent au plus ancien, filtrés par état, structure ou lot, paginés',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    query: disbursementsQuery,
    response: { status: 200, description: 'Une page de paiements', schema: disbursementsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listDisbursements(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/payment-batches',
    summary: 'Les lots de paiement du fonds : état (prepared, sent, paid), nombre de virements, total',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    query: batchesQuery,
    response: { status: 200, description: 'Une page de lots', schema: batchesAnswer },
    handler: async ({ app, params, query }) => ({
      body: await listBatches(app.db, { ...query, fundId: params.fundId }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/disbursements',
    summary:
      "Demande le paiement d'une tranche payable (au plus ce qui reste à payer) ; l'approbation revient à un autre trésorier",
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    body: disbursementRequestBody,
    response: { status: 201, description: 'Paiement demandé', schema: disbursementAnswer },
    handler: async ({ app, params, body, principal }) => {
      const id = await app.db.transaction((trx) => requestDisbursement(trx, params.fundId, body, principal));
      return { status: 201, body: await getDisbursement(app.db, id, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/disbursements/{disbursementId}',
    summary: 'Un paiement : montant, bénéficiaire, état, approbations, historique',
    tag: 'treasury',
    access: anyTreasurer,
    params: disbursementParams,
    response: { status: 200, description: 'Le paiement', schema: disbursementAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getDisbursement(app.db, params.disbursementId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/disbursements/{disbursementId}/transitions',
    summary:
      'Approuve (pas le demandeur ; deux approbateurs au-delà du seuil), rejette, annule, confirme le débit, enregistre un retour, réémet',
    tag: 'treasury',
    access: anyTreasurer,
    params: disbursementParams,
    body: disbursementStepBody,
    response: { status: 200, description: 'Le paiement après l’étape', schema: disbursementAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeDisbursementStep(trx, params.disbursementId, body, principal));
      return { body: await getDisbursement(app.db, params.disbursementId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/payment-batches',
    summary: 'Réunit des paiements approuvés dans un lot (un fichier de virements SEPA)',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    body: newBatchBody,
    response: { status: 201, description: 'Lot créé', schema: createdBatchAnswer },
    handler: async ({ app, params, body, principal }) => ({
      status: 201,
      body: { batchId: await app.db.transaction((trx) => createBatch(trx, params.fundId, body, principal)) },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/payment-batches/{batchId}/pain001',
    summary: 'Le fichier de virements SEPA du lot (pain.001.001.09)',
    tag: 'treasury',
    access: anyTreasurer,
    params: batchParams,
    response: { status: 200, description: 'XML pain.001.001.09', contentType: 'application/xml' },
    handler: async ({ app, params, principal }) => {
      const file = await batchFile(app.db, params.batchId, principal);
      return {
        file: {
          fileName: file.fileName,
          contentType: 'application/xml; charset=utf-8',
          content: Buffer.from(file.xml),
        },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/payment-batches/{batchId}/sent',
    summary: 'Indique que le fichier du lot a été remis à la banque',
    tag: 'treasury',
    access: anyTreasurer,
    params: batchParams,
    response: { status: 204, description: 'Lot envoyé' },
    handler: async ({ app, params, principal }) => {
      await app.db.transaction((trx) => markBatchSent(trx, params.batchId, principal));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/bank-statements',
    summary:
      'Importe un relevé bancaire camt.053 (001.02 ou 001.08) du compte payeur ; le même relevé deux fois ne crée rien',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    query: statementImportQuery,
    upload: { contentTypes: ['application/xml', 'text/xml', 'text/csv'], maxBytes: statementSizeMaxBytes },
    response: { status: 201, description: 'Relevé importé (200 s’il l’était déjà)', schema: importedStatementAnswer },
    handler: async ({ app, params, query, request, principal }) => {
      const csv = Boolean(request.is('text/csv'));
      if (csv && (!query.statementId || query.opening === undefined || !query.openingDate)) {
        throw new ValidationError(
          (['statementId', 'opening', 'openingDate'] as const)
            .filter((name) => query[name] === undefined)
            .map((name) => ({
              path: ['query', name],
              message: treasuryMessages.csvBalancesRequired,
            })),
        );
      }
      const source = csv
        ? {
            kind: 'csv' as const,
            statementId: query.statementId!,
            openingMinor: query.opening!,
            openingDate: query.openingDate!,
          }
        : { kind: 'camt053' as const };
      const imported = await app.db.transaction((trx) =>
        importStatement(trx, params.fundId, request.body as Buffer, principal.userId, source),
      );
      // The first statement in full; with several in the file, the ids of the others, and the statements of other accounts left aside.
      return {
        status: imported.created ? 201 : 200,
        body: {
          ...(await statementView(app.db, params.fundId, imported.statementId)),
          statementIds: imported.statementIds,
          otherAccounts: imported.otherAccounts,
        },
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/bank-statements',
    summary: 'Les relevés importés du fonds, du plus récent au plus ancien, avec leurs lignes encore à rapprocher',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    response: { status: 200, description: 'Les relevés', schema: statementsAnswer },
    handler: async ({ app, params }) => ({ body: await listStatements(app.db, params.fundId) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/funds/{fundId}/bank-statement-format',
    summary: 'Décrit le format CSV des relevés de la banque du fonds (séparateurs, format de date, colonnes)',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    body: csvStatementFormat,
    response: { status: 200, description: 'Le format enregistré', schema: csvStatementFormat },
    handler: async ({ app, params, body }) => {
      await setCsvStatementFormat(app.db, params.fundId, body);
      return { body };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/bank-statements/{statementId}',
    summary: 'Un relevé, ses lignes, et ses soldes d’ouverture et de clôture face au compte 512 des livres',
    tag: 'treasury',
    access: treasury,
    params: statementParams,
    response: { status: 200, description: 'Le relevé face aux livres', schema: statementAnswer },
    handler: async ({ app, params }) => ({ body: await statementView(app.db, params.fundId, params.statementId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/bank-statements/{statementId}/matches',
    summary:
      'Propose les rapprochements des lignes ouvertes du relevé (référence de bout en bout, référence structurée, montant + IBAN + date, remise globale d’un lot, écritures déjà passées), avec motif et confiance',
    tag: 'treasury',
    access: treasury,
    params: statementParams,
    response: {
      status: 200,
      description: 'Les rapprochements du relevé, nouveaux compris',
      schema: proposedMatchesAnswer,
    },
    handler: async ({ app, params }) => {
      const proposed = await app.db.transaction((trx) => proposeMatches(trx, params.fundId, params.statementId));
      return { body: { proposed, matches: await listMatches(app.db, params.fundId, params.statementId) } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/bank-statements/{statementId}/matches',
    summary: 'Les rapprochements d’un relevé : lignes, éléments rapprochés, méthode, motif, confiance, état',
    tag: 'treasury',
    access: treasury,
    params: statementParams,
    response: { status: 200, description: 'Les rapprochements du relevé', schema: matchesAnswer },
    handler: async ({ app, params }) => ({ body: await listMatches(app.db, params.fundId, params.statementId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/bank-matches',
    summary:
      'Rapproche à la main des lignes de relevé avec des virements, un encaissement attendu, une écriture, un donateur (le don est enregistré) ou un compte (frais, intérêts) ; confirmé aussitôt',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    body: manualMatchBody,
    response: { status: 201, description: 'Rapprochement enregistré et confirmé', schema: manualMatchAnswer },
    handler: async ({ app, params, body, principal }) => {
      const matchId = await app.db.transaction((trx) => matchByHand(trx, params.fundId, body, principal));
      return { status: 201, body: { matchId, history: await matchHistory(app.db, matchId, principal) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/bank-matches/{matchId}/decision',
    summary:
      'Confirme un rapprochement proposé (paiement réglé ou retourné, don enregistré, écritures comprises), le rejette, ou défait un rapprochement confirmé (contre-passation)',
    tag: 'treasury',
    access: anyTreasurer,
    params: matchParams,
    body: matchDecisionBody,
    response: { status: 204, description: 'Décision enregistrée' },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => decideMatch(trx, params.matchId, body, principal));
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/bank-matches/{matchId}/history',
    summary: 'L’historique d’un rapprochement : qui l’a proposé, confirmé, rejeté ou défait, quand et pourquoi',
    tag: 'treasury',
    access: anyTreasurer,
    params: matchParams,
    response: { status: 200, description: 'L’historique', schema: matchHistoryAnswer },
    handler: async ({ app, params, principal }) => ({ body: await matchHistory(app.db, params.matchId, principal) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/expected-receipts',
    summary:
      'Annonce un don attendu par virement ; la référence structurée (RF…) à communiquer au donateur est renvoyée',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    body: expectedReceiptBody,
    response: { status: 201, description: 'Encaissement attendu', schema: expectedReceiptAnswer },
    handler: async ({ app, params, body, principal }) => {
      const id = await app.db.transaction((trx) => expectReceipt(trx, params.fundId, body, principal.userId));
      return {
        status: 201,
        body: (await listExpectedReceipts(app.db, params.fundId)).find((receipt) => receipt.id === id),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/expected-receipts',
    summary: 'Les encaissements attendus du fonds, reçus ou non',
    tag: 'treasury',
    access: treasury,
    params: fundParams,
    response: { status: 200, description: 'Les encaissements attendus', schema: expectedReceiptsAnswer },
    handler: async ({ app, params }) => ({ body: await listExpectedReceipts(app.db, params.fundId) }),
  }),
];
