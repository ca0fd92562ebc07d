import { defineRoute, type AnyRoute } from '../http/route';
import { fundParams } from '../ledger/schema';
import { actorOn } from '../fpci/access';
import { assetsStatementFile, assetsStatementOf, assetsStatements, produceAssetsStatement } from './assets-statement';
import { closeQuarter } from './quarter-close';
import { publishedStatement, quarterView, statementsOfContact, takeReportStep } from './quarters';
import {
  assetsStatementAnswer,
  assetsStatementsAnswer,
  fileFormatQuery,
  halfYearParams,
  quarterAnswer,
  quarterParams,
  reportStepBody,
  statementAnswer,
  statementParams,
  statementsAnswer,
} from './schema';

// The fund's team: its treasurers (the API's scope), and admins.
const fundTeam = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;

export const reportingRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/quarters/{quarterEnd}',
    summary:
      'Un trimestre : avant sa clôture, ce qui la bloque (valorisations manquantes, identités) et les chiffres tels qu’ils seraient arrêtés ; après, les chiffres arrêtés, le rapport et ses relevés',
    tag: 'reporting',
    access: fundTeam,
    params: quarterParams,
    response: { status: 200, description: 'Le trimestre', schema: quarterAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await quarterView(app.db, params.fundId, params.quarterEnd, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/quarters/{quarterEnd}/close',
    summary:
      'Clôt le trimestre : chaque investissement valorisé, comptes de capital arrêtés et vérifiés contre les livres, valeur liquidative par part, mois clos ; le rapport trimestriel commence en brouillon',
    tag: 'reporting',
    access: fundTeam,
    params: quarterParams,
    response: { status: 201, description: 'Le trimestre clos', schema: quarterAnswer },
    handler: async ({ app, params, principal }) => {
      await app.db.transaction((trx) => closeQuarter(trx, params.fundId, params.quarterEnd, principal));
      return { status: 201, body: await quarterView(app.db, params.fundId, params.quarterEnd, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/quarters/{quarterEnd}/report-steps',
    summary:
      'Le rapport trimestriel : REVIEW, APPROVE, PUBLISH, chacune par une personne qui n’a pris aucune étape précédente ; publié, chaque porteur reçoit son relevé',
    tag: 'reporting',
    access: fundTeam,
    params: quarterParams,
    body: reportStepBody,
    response: { status: 200, description: 'Le trimestre', schema: quarterAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeReportStep(trx, params.fundId, params.quarterEnd, body.event, principal));
      return { body: await quarterView(app.db, params.fundId, params.quarterEnd, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/statements',
    summary: 'Mes relevés trimestriels publiés : ceux des porteurs pour lesquels je signe, les plus récents d’abord',
    tag: 'reporting',
    access: { roles: ['investor'] },
    response: { status: 200, description: 'Les relevés', schema: statementsAnswer },
    handler: async ({ app, principal }) => ({ body: await statementsOfContact(app.db, principal) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/me/statements/{investorId}/{quarterEnd}',
    summary:
      'Un relevé publié, ses chiffres : compte de capital (trimestre, année, depuis l’origine), parts et valeur liquidative, performance du porteur et du fonds, portefeuille, historique',
    tag: 'reporting',
    access: { roles: ['investor'] },
    params: statementParams,
    response: { status: 200, description: 'Le relevé', schema: statementAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await publishedStatement(app.db, principal, params.investorId, params.quarterEnd),
    }),
  }),

  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/assets-statements',
    summary:
      'Les compositions de l’actif semestrielles : chaque fin de semestre close, son échéance (huit semaines après), produite ou non, en retard ou non',
    tag: 'reporting',
    access: fundTeam,
    params: fundParams,
    response: { status: 200, description: 'Les compositions de l’actif', schema: assetsStatementsAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await assetsStatements(app.db, params.fundId, principal),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/assets-statements/{halfYearEnd}',
    summary:
      'La composition de l’actif à une fin de semestre close : inventaire (quantités, coût, valeur), disponibilités, créances, dettes, actif net, parts et valeurs liquidatives, engagements hors bilan',
    tag: 'reporting',
    access: fundTeam,
    params: halfYearParams,
    response: { status: 200, description: 'La composition de l’actif', schema: assetsStatementAnswer },
    handler: async ({ app, params, principal }) => {
      actorOn(principal, params.fundId);
      return { body: await assetsStatementOf(app.db, params.fundId, params.halfYearEnd) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/assets-statements/{halfYearEnd}/file',
    summary: 'La composition de l’actif en fichier : PDF (format=pdf, par défaut) ou CSV (format=csv)',
    tag: 'reporting',
    access: fundTeam,
    params: halfYearParams,
    query: fileFormatQuery,
    response: { status: 200, description: 'PDF ou CSV', contentType: ['application/pdf', 'text/csv'] },
    handler: async ({ app, params, query, principal }) => {
      actorOn(principal, params.fundId);
      return { file: await assetsStatementFile(app.db, params.fundId, params.halfYearEnd, query.format) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/assets-statements/{halfYearEnd}/produce',
    summary:
      'Produit la composition de l’actif : son PDF rendu par le service de tâches et conservé avec son empreinte (la produire à nouveau ne fait rien de plus)',
    tag: 'reporting',
    access: fundTeam,
    params: halfYearParams,
    response: { status: 202, description: 'La composition de l’actif, son PDF demandé', schema: assetsStatementAnswer },
    handler: async ({ app, params, principal }) => {
      await produceAssetsStatement(app.db, params.fundId, params.halfYearEnd, principal);
      return { status: 202, body: await assetsStatementOf(app.db, params.fundId, params.halfYearEnd) };
    },
  }),
];
