import { z } from 'zod';
import { pageQuery } from '../db/pagination';
import { defineRoute, idempotencyKeyHeader, idempotencyKeyOf, type AnyRoute } from '../http/route';
import { fundParams, isoDateSchema } from '../ledger/schema';
import { draftCall, getCall, recordCallPayment, takeCallStep } from './calls';
import { recordExpense } from './expenses';
import { getClosing, openClosing, subscribe, takeClosingStep } from './closings';
import { draftDistribution, getDistribution, recordAuditorReport, takeDistributionStep } from './distributions';
import { changeInvestor, createInvestor, getInvestor, listInvestors } from './investors';
import { addInvestorContact, positionsOf } from './positions';
import { latePayers, listCalls, listClosings, listDistributions } from './registers';
import { rulesOn, setRules } from './rules';
import {
  auditorReportBody,
  expenseAnswer,
  expenseBody,
  callsAnswer,
  closingsAnswer,
  distributionsAnswer,
  latePayersAnswer,
  latePayersQuery,
  investorContactBody,
  positionsAnswer,
  distributionAnswer,
  distributionParams,
  distributionStepBody,
  newDistributionBody,
  callAnswer,
  callParams,
  callPaymentBody,
  callStepBody,
  newCallBody,
  closingAnswer,
  closingParams,
  closingStepBody,
  investorAnswer,
  investorChangeBody,
  investorIdParams,
  investorsAnswer,
  newInvestorBody,
  subscriptionBody,
  vehicleRulesAnswer,
  vehicleRulesBody,
} from './schema';

// The fund's team: its treasurers (the API's scope), and admins.
const fundTeam = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;

const pageOnly = z.strictObject(pageQuery);

export const fpciRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/closings',
    summary: 'Les closings du fonds, du plus récent au plus ancien, avec leur état et l’engagement souscrit',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: pageOnly,
    response: { status: 200, description: 'Une page de closings', schema: closingsAnswer },
    handler: async ({ app, params, query, principal }) => ({
      body: await listClosings(app.db, params.fundId, query, principal),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/capital-calls',
    summary: 'Les appels de fonds, du plus récent au plus ancien : état, échéance, dû et versé',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: pageOnly,
    response: { status: 200, description: 'Une page d’appels de fonds', schema: callsAnswer },
    handler: async ({ app, params, query, principal }) => ({
      body: await listCalls(app.db, params.fundId, query, principal),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/distributions',
    summary:
      'Les distributions, de la plus récente à la plus ancienne, et celles qui attendent le rapport du commissaire aux comptes',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: pageOnly,
    response: { status: 200, description: 'Une page de distributions', schema: distributionsAnswer },
    handler: async ({ app, params, query, principal }) => ({
      body: await listDistributions(app.db, params.fundId, query, principal),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/late-payers',
    summary:
      'Les porteurs en retard sur un appel à une date (aujourd’hui par défaut) : restant dû, jours de retard, intérêts de retard courus',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: latePayersQuery,
    response: { status: 200, description: 'Les retards de paiement', schema: latePayersAnswer },
    handler: async ({ app, params, query, principal }) => ({
      body: await latePayers(app.db, params.fundId, principal, query.asOf),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/vehicle-rules',
    summary:
      'Les règles du fonds de parts en vigueur à une date (on, aujourd’hui par défaut) : catégories de parts, période de souscription, prime, intérêts de retard, préavis, distributions, éligibilité',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: z.strictObject({ on: isoDateSchema.optional() }),
    response: { status: 200, description: 'La version des règles en vigueur', schema: vehicleRulesAnswer },
    handler: async ({ app, params, query }) => ({ body: await rulesOn(app.db, params.fundId, query.on) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/funds/{fundId}/vehicle-rules',
    summary: 'Une nouvelle version des règles du fonds, datée, avec son motif (les précédentes restent telles quelles)',
    tag: 'fpci',
    access: { roles: [] },
    params: fundParams,
    body: vehicleRulesBody,
    response: { status: 201, description: 'La version enregistrée', schema: vehicleRulesAnswer },
    handler: async ({ app, params, body, principal }) => ({
      status: 201,
      body: await app.db.transaction((trx) => setRules(trx, params.fundId, body, principal)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investors',
    summary:
      'Enregistre un porteur de parts : personne morale (SIREN) ou physique (pièce d’identité), coordonnées bancaires, KYC, voie d’éligibilité (RG AMF 423-49)',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    body: newInvestorBody,
    response: { status: 201, description: 'Le porteur enregistré', schema: investorAnswer },
    handler: async ({ app, params, body }) => ({
      status: 201,
      body: await app.db.transaction((trx) => createInvestor(trx, params.fundId, body)),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/investors',
    summary: 'Les porteurs de parts du fonds, par nom (search), paginés, avec leur engagement',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    query: z.strictObject({ search: z.string().trim().min(2).max(100).optional(), ...pageQuery }),
    response: { status: 200, description: 'Une page de porteurs', schema: investorsAnswer },
    handler: async ({ app, params, query }) => ({ body: await listInvestors(app.db, params.fundId, query) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/investors/{investorId}',
    summary: 'Un porteur de parts : identité, KYC, éligibilité, engagement',
    tag: 'fpci',
    access: fundTeam,
    params: investorIdParams,
    response: { status: 200, description: 'Le porteur', schema: investorAnswer },
    handler: async ({ app, params }) => ({ body: await getInvestor(app.db, params.fundId, params.investorId) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/funds/{fundId}/investors/{investorId}',
    summary: 'Enregistre le KYC (statut, date, échéance) ou la voie d’éligibilité d’un porteur',
    tag: 'fpci',
    access: fundTeam,
    params: investorIdParams,
    body: investorChangeBody,
    response: { status: 200, description: 'Le porteur', schema: investorAnswer },
    handler: async ({ app, params, body }) => ({
      body: await app.db.transaction((trx) => changeInvestor(trx, params.fundId, params.investorId, body)),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/closings',
    summary: 'Ouvre un closing (un seul à la fois, pendant la période de souscription)',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    response: { status: 201, description: 'Le closing ouvert', schema: closingAnswer },
    handler: async ({ app, params, principal }) => {
      const closingId = await app.db.transaction((trx) => openClosing(trx, params.fundId, principal));
      return { status: 201, body: await getClosing(app.db, params.fundId, closingId, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/closings/{closingId}',
    summary: 'Un closing : son état, ses souscriptions (parts, engagement, rattrapage, prime), ses totaux',
    tag: 'fpci',
    access: fundTeam,
    params: closingParams,
    response: { status: 200, description: 'Le closing', schema: closingAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getClosing(app.db, params.fundId, params.closingId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/closings/{closingId}/subscriptions',
    summary:
      'Une souscription au closing ouvert : porteur, catégorie, nombre de parts (KYC, éligibilité et ticket vérifiés ; prime du barème du jour)',
    tag: 'fpci',
    access: fundTeam,
    params: closingParams,
    body: subscriptionBody,
    response: { status: 201, description: 'Le closing, la souscription ajoutée', schema: closingAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => subscribe(trx, params.fundId, params.closingId, body, principal));
      return { status: 201, body: await getClosing(app.db, params.fundId, params.closingId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/closings/{closingId}/steps',
    summary:
      'Soumet le closing (SUBMIT), le clôt — une autre personne, plancher du carried vérifié, engagements comptabilisés (APPROVE) — ou le renvoie ouvert avec un motif (SEND_BACK)',
    tag: 'fpci',
    access: fundTeam,
    params: closingParams,
    body: closingStepBody,
    response: { status: 200, description: 'Le closing', schema: closingAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeClosingStep(trx, params.fundId, params.closingId, body, principal));
      return { body: await getClosing(app.db, params.fundId, params.closingId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/capital-calls',
    summary:
      'Prépare un appel de fonds : part du nominal par catégorie (chaque part appelée du même montant, au centime), objets (investissement, frais de gestion, frais du fonds, frais de constitution), échéance',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    body: newCallBody,
    response: { status: 201, description: 'L’appel préparé, montant par porteur', schema: callAnswer },
    handler: async ({ app, params, body, principal }) => {
      const callId = await app.db.transaction((trx) => draftCall(trx, params.fundId, body, principal));
      return { status: 201, body: await getCall(app.db, params.fundId, callId, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/capital-calls/{callId}',
    summary:
      'Un appel de fonds : par porteur, dû par objet, versé, reste, statut (payé, en partie, en retard) et intérêts de retard à ce jour',
    tag: 'fpci',
    access: fundTeam,
    params: callParams,
    response: { status: 200, description: 'L’appel', schema: callAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getCall(app.db, params.fundId, params.callId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/capital-calls/{callId}/steps',
    summary:
      'Approuve l’appel (une autre personne que celle qui l’a préparé), l’émet (préavis des règles, comptabilisé comme appelé) ou l’annule',
    tag: 'fpci',
    access: fundTeam,
    params: callParams,
    body: callStepBody,
    response: { status: 200, description: 'L’appel', schema: callAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeCallStep(trx, params.fundId, params.callId, body, principal));
      return { body: await getCall(app.db, params.fundId, params.callId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/capital-calls/{callId}/payments',
    summary: 'Enregistre un versement reçu d’un porteur sur l’appel (partiel possible, jamais au-delà du dû)',
    tag: 'fpci',
    access: fundTeam,
    params: callParams,
    headers: [
      idempotencyKeyHeader(
        'la rejouer rend le même appel (200) sans second versement ; la réutiliser pour un autre versement est refusé (409).',
      ),
    ],
    body: callPaymentBody,
    response: {
      status: 201,
      description: 'L’appel, le versement enregistré (200 si la même demande a déjà été passée)',
      schema: callAnswer,
    },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const recorded = await app.db.transaction((trx) =>
        recordCallPayment(
          trx,
          params.fundId,
          params.callId,
          { investorId: body.investorId, amountMinor: body.amount, receivedOn: body.receivedOn, idempotencyKey },
          principal,
        ),
      );
      return {
        status: recorded.created ? 201 : 200,
        body: await getCall(app.db, params.fundId, params.callId, principal),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/distributions',
    summary:
      'Prépare une distribution (pas avant la fin de la période de souscription sauf règlement contraire) : par porteur, remboursement du capital versé d’abord, puis plus-value et revenu',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    body: newDistributionBody,
    response: { status: 201, description: 'La distribution préparée', schema: distributionAnswer },
    handler: async ({ app, params, body, principal }) => {
      const distributionId = await app.db.transaction((trx) =>
        draftDistribution(
          trx,
          params.fundId,
          { classCodes: body.classCodes, amountMinor: body.amount, incomeMinor: body.income },
          principal,
        ),
      );
      return { status: 201, body: await getDistribution(app.db, params.fundId, distributionId, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/distributions/{distributionId}',
    summary:
      'Une distribution : par porteur et catégorie, remboursement, plus-value, revenu ; rapport spécial du commissaire aux comptes',
    tag: 'fpci',
    access: fundTeam,
    params: distributionParams,
    response: { status: 200, description: 'La distribution', schema: distributionAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getDistribution(app.db, params.fundId, params.distributionId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/distributions/{distributionId}/auditor-report',
    summary:
      'Enregistre le rapport spécial du commissaire aux comptes d’une distribution qui touche les parts de carried interest',
    tag: 'fpci',
    access: fundTeam,
    params: distributionParams,
    body: auditorReportBody,
    response: { status: 200, description: 'La distribution', schema: distributionAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) =>
        recordAuditorReport(trx, params.fundId, params.distributionId, body, principal),
      );
      return { body: await getDistribution(app.db, params.fundId, params.distributionId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/distributions/{distributionId}/steps',
    summary:
      'Approuve la distribution (une autre personne que celle qui l’a préparée), la comptabilise comme due aux porteurs (rapport spécial enregistré s’il le faut) ou l’annule',
    tag: 'fpci',
    access: fundTeam,
    params: distributionParams,
    body: distributionStepBody,
    response: { status: 200, description: 'La distribution', schema: distributionAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) =>
        takeDistributionStep(trx, params.fundId, params.distributionId, body, principal),
      );
      return { body: await getDistribution(app.db, params.fundId, params.distributionId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investors/{investorId}/contacts',
    summary:
      'Donne accès à une personne pour un porteur : son compte (créé s’il n’existe pas ; elle choisit son mot de passe par « Mot de passe oublié ») voit la position de ce porteur, et d’aucun autre',
    tag: 'fpci',
    access: fundTeam,
    params: investorIdParams,
    body: investorContactBody,
    response: { status: 201, description: 'Le porteur', schema: investorAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) =>
        addInvestorContact(trx, params.fundId, params.investorId, body, principal.userId),
      );
      return { status: 201, body: await getInvestor(app.db, params.fundId, params.investorId) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/investments',
    summary:
      'Mes positions de porteur de parts : engagement, appelé, versé, non appelé, distribué ; mes appels (dû, échéance, versé, statut) et mes distributions',
    tag: 'fpci',
    access: { roles: ['investor'] },
    response: {
      status: 200,
      description: 'Les positions des porteurs dont je suis le contact',
      schema: positionsAnswer,
    },
    handler: async ({ app, principal }) => ({ body: { positions: await positionsOf(app.db, principal.userId) } }),
  }),

  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/expenses',
    summary:
      'Un frais du fonds : frais de gestion (6281), leur réduction (6282), frais du fonds (6283), refacturation interne (6284) — payé par la banque ou à payer (4081) ; une fois par clé',
    tag: 'fpci',
    access: fundTeam,
    params: fundParams,
    headers: [idempotencyKeyHeader('le même frais, comptabilisé une fois')],
    body: expenseBody,
    response: {
      status: 201,
      description: 'Le frais comptabilisé (200 si déjà passé sous cette clé)',
      schema: expenseAnswer,
    },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { entryId, created } = await app.db.transaction((trx) =>
        recordExpense(trx, params.fundId, { ...body, idempotencyKey }, principal),
      );
      return { status: created ? 201 : 200, body: { entryId } };
    },
  }),
];
