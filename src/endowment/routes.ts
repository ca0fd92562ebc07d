import { listDisbursementRequests } from '../treasury/requests';
import { z } from 'zod';
import { defineRoute, idempotencyKeyHeader, idempotencyKeyOf, type AnyRoute } from '../http/route';
import { fundParams } from '../ledger/schema';
import { cancelDonation, createDonor, donorView, listDonations, listDonors, myGifts, recordDonation } from './gifts';
import { pageQuery } from '../db/pagination';
import { assertEndowmentFund } from './fund';
import { cancelAndReplace, issueAnnualReceipts, listReceipts, receiptRegisterCsv } from './receipts';
import {
  cancellationBody,
  contributionBody,
  endowmentRulesBody,
  giftCancellationBody,
  donationBody,
  newDonorBody,
  newPoolBody,
  poolAmendmentBody,
  poolParams,
  receiptParams,
  registerQuery,
  statementQuery,
  importParams,
  receiptsQuery,
  donorsAnswer,
  donationsAnswer,
  recordedDonationAnswer,
  receiptsAnswer,
  endowmentRulesAnswer,
  donationImportAnswer,
  donationImportsAnswer,
  importLinesAnswer,
  donorAnswer,
  poolsAnswer,
  cancelledDonationAnswer,
  issuedReceiptsAnswer,
  replacementReceiptAnswer,
  myGiftsAnswer,
  poolAnswer,
  disbursementRequestsAnswer,
  paymentStatuses,
} from './schema';
import { amendPool, contributeToPool, createPool, listPools, poolStatementFile, poolView } from './grants';
import {
  donationImport,
  importColumns,
  importFileBytesMax,
  listDonationImports,
  listImportLines,
  requestDonationImport,
} from './import';
import { endowmentRules, endowmentRulesView, setEndowmentRules } from './rules';
import { endowmentMessages } from './messages';

const treasury = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;

export const endowmentRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/donors',
    summary:
      'Enregistre un donateur (particulier ou entreprise), ses coordonnées et ses choix (reçu par don ou annuel, e-mail)',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    body: newDonorBody,
    response: { status: 201, description: 'Donateur enregistré', schema: donorAnswer },
    handler: async ({ app, params, body }) => {
      const donorId = await app.db.transaction((trx) => createDonor(trx, params.fundId, body));
      return { status: 201, body: await donorView(app.db, params.fundId, donorId) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donors',
    summary: 'Les donateurs du fonds, par nom, e-mail ou SIREN (search), paginés',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject({ search: z.string().trim().min(2).max(100).optional(), ...pageQuery }),
    response: { status: 200, description: 'Une page de donateurs', schema: donorsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listDonors(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donations',
    summary: 'Les dons du fonds, du plus récent au plus ancien, par donateur et période (from, to), paginés',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject({
      donorId: z.uuid().optional(),
      from: z.iso.date().optional(),
      to: z.iso.date().optional(),
      ...pageQuery,
    }),
    response: { status: 200, description: 'Une page de dons', schema: donationsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listDonations(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/pools',
    summary: 'Les pools de cofinancement du fonds : reçu, accordé, disponible, règles en vigueur',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject(pageQuery),
    response: { status: 200, description: 'Une page de pools', schema: poolsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listPools(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donors/{donorId}',
    summary: 'Un donateur, ses dons et ses reçus',
    tag: 'endowment',
    access: treasury,
    params: fundParams.extend({ donorId: z.uuid() }),
    response: { status: 200, description: 'Le donateur, ses dons et ses reçus', schema: donorAnswer },
    handler: async ({ app, params }) => ({ body: await donorView(app.db, params.fundId, params.donorId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/donations',
    summary:
      'Enregistre un don reçu : écriture au journal des dons et, pour un donateur « reçu par don », son reçu fiscal',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    body: donationBody,
    headers: [
      idempotencyKeyHeader('la rejouer rend le même don (200), la réutiliser pour un autre don est refusé (409).'),
    ],
    response: {
      status: 201,
      description: 'Don enregistré (200 si la même demande a déjà été passée)',
      schema: recordedDonationAnswer,
    },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const result = await app.db.transaction((trx) =>
        recordDonation(trx, params.fundId, body, { userId: principal.userId }, idempotencyKey),
      );
      return {
        status: result.created ? 201 : 200,
        body: { donationId: result.donationId, receiptId: result.receiptId },
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/donations/import',
    summary: `Met en file l’import de dons d’un CSV (« ; », colonnes : ${importColumns.join(', ')} ; jeu de caractères déclaré par « Content-Type: text/csv; charset=… », sinon UTF-8 ou Windows-1252 ; au plus 100 000 lignes) ; avec dryRun=true (par défaut), dit ce qui serait créé ou refusé, sans rien écrire. Suivre l’avancement et lire le compte rendu par /donation-imports/{importId}`,
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject({ dryRun: z.enum(['true', 'false']).default('true') }),
    upload: { contentTypes: ['text/csv'], maxBytes: importFileBytesMax },
    response: {
      status: 202,
      description: 'Import mis en file (200 : le même fichier est déjà en cours d’import)',
      schema: donationImportAnswer,
    },
    handler: async ({ app, params, query, request, principal }) => {
      await assertEndowmentFund(app.db, params.fundId);
      const requested = await requestDonationImport(app.db, params.fundId, request.body as Buffer, {
        contentType: request.get('content-type'),
        dryRun: query.dryRun === 'true',
        userId: principal.userId,
      });
      return {
        status: requested.created ? 202 : 200,
        headers: { Location: `/api/funds/${params.fundId}/donation-imports/${requested.import.id}` },
        body: requested.import,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donation-imports',
    summary: 'Les imports de dons du fonds, les plus récents d’abord, avec leur avancement',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject(pageQuery),
    response: { status: 200, description: 'Une page d’imports', schema: donationImportsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listDonationImports(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donation-imports/{importId}',
    summary:
      'Un import de dons : état (queued, running, done, failed), lignes traitées sur le total, créées, déjà importées, refusées',
    tag: 'endowment',
    access: treasury,
    params: importParams,
    response: { status: 200, description: 'L’import et son avancement', schema: donationImportAnswer },
    handler: async ({ app, params }) => ({ body: await donationImport(app.db, params.fundId, params.importId) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/donation-imports/{importId}/lines',
    summary:
      'Le compte rendu d’un import, ligne par ligne (outcome : created, already-imported, refused ; les refus avec leurs raisons), paginé',
    tag: 'endowment',
    access: treasury,
    params: importParams,
    query: z.strictObject({ ...pageQuery, outcome: z.enum(['created', 'already-imported', 'refused']).optional() }),
    response: { status: 200, description: 'Une page du compte rendu', schema: importLinesAnswer },
    handler: async ({ app, params, query }) => ({
      body: await listImportLines(app.db, params.fundId, params.importId, query),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/endowment-rules',
    summary: 'Les règles du fonds : plafond d’un don, bornes d’un ticket hors pool',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    response: { status: 200, description: 'Les règles du fonds', schema: endowmentRulesAnswer },
    handler: async ({ app, params }) => ({ body: endowmentRulesView(await endowmentRules(app.db, params.fundId)) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/admin/funds/{fundId}/endowment-rules',
    summary:
      'Fixe les règles du fonds : plafond d’un don, bornes d’un ticket hors pool (les décisions prises gardent les leurs)',
    tag: 'admin',
    access: { roles: [] },
    params: fundParams,
    body: endowmentRulesBody,
    response: { status: 200, description: 'Les règles du fonds, modifiées', schema: endowmentRulesAnswer },
    handler: async ({ app, params, body }) => {
      const rules = {
        giftAmountMaxMinor: body.giftAmountMax,
        ticketMinMinor: body.ticketMin,
        ticketMaxMinor: body.ticketMax,
      };
      await app.db.transaction((trx) => setEndowmentRules(trx, params.fundId, rules));
      return { body: endowmentRulesView(rules) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/donations/{donationId}/cancellation',
    summary:
      'Annule un don enregistré par erreur, sans remplacement : son écriture est contre-passée, ses reçus annulés (leur numéro reste au registre)',
    tag: 'endowment',
    access: treasury,
    params: fundParams.extend({ donationId: z.uuid() }),
    body: giftCancellationBody,
    response: { status: 200, description: 'Don annulé', schema: cancelledDonationAnswer },
    handler: async ({ app, params, body, principal }) => ({
      body: await app.db.transaction((trx) =>
        cancelDonation(trx, params.fundId, params.donationId, body.reason, { userId: principal.userId }),
      ),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/tax-receipts',
    summary:
      'Les reçus fiscaux émis, les plus récents d’abord, paginés : par année (year), donateur (donorId), sorte (kind : per-gift, annual), état (state : valid, cancelled), début de numéro (reference)',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: receiptsQuery,
    response: { status: 200, description: 'Une page de reçus', schema: receiptsAnswer },
    handler: async ({ app, params, query }) => ({
      body: await listReceipts(app.db, { fundId: params.fundId, ...query }),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/tax-receipts/annual',
    summary:
      "Émet les reçus récapitulatifs annuels des donateurs qui les ont choisis, pour les dons de l'année non encore reçus",
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: registerQuery,
    response: { status: 201, description: 'Reçus émis', schema: issuedReceiptsAnswer },
    handler: async ({ app, params, query }) => ({
      status: 201,
      body: { receiptIds: await app.db.transaction((trx) => issueAnnualReceipts(trx, params.fundId, query.year)) },
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/tax-receipts/{receiptId}/cancellation',
    summary: 'Annule un reçu (son numéro reste, marqué annulé) et émet son remplaçant, donateur corrigé au besoin',
    tag: 'endowment',
    access: treasury,
    params: receiptParams,
    body: cancellationBody,
    response: { status: 201, description: 'Reçu remplaçant émis', schema: replacementReceiptAnswer },
    handler: async ({ app, params, body }) => {
      const replacementId = await app.db.transaction((trx) =>
        cancelAndReplace(
          trx,
          params.fundId,
          params.receiptId,
          body.reason,
          body.donor as Record<string, string> | undefined,
        ),
      );
      return { status: 201, body: { replacementId } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/tax-receipts/register',
    summary: 'Registre annuel des reçus émis (CSV ; montant total et nombre, CGI art. 222 bis)',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: registerQuery,
    response: { status: 200, description: 'CSV', contentType: 'text/csv' },
    handler: async ({ app, params, query }) => ({
      file: {
        fileName: `registre-recus-${params.fundId}-${query.year}.csv`,
        contentType: 'text/csv; charset=utf-8',
        content: Buffer.from(await receiptRegisterCsv(app.db, params.fundId, query.year)),
      },
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/gifts',
    summary: 'Mes dons et mes reçus fiscaux (donateur connecté)',
    tag: 'endowment',
    access: { roles: ['donor'] },
    response: { status: 200, description: 'Mes dons et reçus, fonds par fonds', schema: myGiftsAnswer },
    handler: async ({ app, principal }) => ({ body: await myGifts(app.db, principal) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/pools',
    summary:
      'Crée un pool de cofinancement : partenaire, tickets, types de projets, période, tranches ; son compte de fonds dédiés (195…)',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    body: newPoolBody,
    response: { status: 201, description: 'Pool créé', schema: poolAnswer },
    handler: async ({ app, params, body }) => {
      await app.db.transaction((trx) => createPool(trx, params.fundId, body));
      return { status: 201, body: await poolView(app.db, params.fundId, body.id) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/pools/{poolId}/amendments',
    summary:
      "Enregistre un avenant à la convention du pool : ses règles (tickets, types, période, tranches) s'appliquent à partir de sa date d'effet ; ce qui a été décidé avant garde les siennes",
    tag: 'endowment',
    access: treasury,
    params: poolParams,
    body: poolAmendmentBody,
    response: { status: 201, description: 'Avenant enregistré ; le pool et ses règles en vigueur', schema: poolAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) =>
        amendPool(trx, params.fundId, params.poolId, body, { userId: principal.userId }),
      );
      return { status: 201, body: await poolView(app.db, params.fundId, params.poolId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/pools/{poolId}/contributions',
    summary: 'Enregistre une contribution reçue du partenaire (produit 7551 porté en fonds dédiés du pool)',
    tag: 'endowment',
    access: treasury,
    params: poolParams,
    body: contributionBody,
    headers: [idempotencyKeyHeader('la rejouer ne compte pas deux fois la contribution.')],
    response: { status: 201, description: 'Contribution enregistrée (200 si déjà passée)', schema: poolAnswer },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { created } = await app.db.transaction((trx) =>
        contributeToPool(trx, params.fundId, params.poolId, body, { userId: principal.userId }, idempotencyKey),
      );
      return { status: created ? 201 : 200, body: await poolView(app.db, params.fundId, params.poolId) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/pools/{poolId}',
    summary: 'Un pool : règles, contributions, aides accordées, disponible',
    tag: 'endowment',
    access: treasury,
    params: poolParams,
    response: { status: 200, description: 'Le pool', schema: poolAnswer },
    handler: async ({ app, params }) => ({ body: await poolView(app.db, params.fundId, params.poolId) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/pools/{poolId}/statement',
    summary: 'Relevé du pool pour le partenaire (PDF ou CSV)',
    tag: 'endowment',
    access: treasury,
    params: poolParams,
    query: statementQuery,
    response: {
      status: 200,
      description: 'PDF (format=pdf, par défaut) ou CSV (format=csv)',
      contentType: ['application/pdf', 'text/csv'],
    },
    handler: async ({ app, params, query }) => ({
      file: await poolStatementFile(app.db, params.fundId, params.poolId, query.format),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/disbursement-requests',
    summary:
      'Les tranches devenues payables, transmises à la trésorerie, avec où en est leur paiement (requested, in-payment, in-batch, sent, paid, returned)',
    tag: 'endowment',
    access: treasury,
    params: fundParams,
    query: z.strictObject({
      status: z
        .enum(paymentStatuses, { message: endowmentMessages.paymentStatus(paymentStatuses.join(', ')) })
        .optional(),
      organisationId: z.string().min(1).max(61).optional(),
      ...pageQuery,
    }),
    response: { status: 200, description: 'Une page de demandes de paiement', schema: disbursementRequestsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listDisbursementRequests(app.db, params.fundId, query) }),
  }),
];
