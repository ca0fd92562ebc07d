import { defineRoute, type AnyRoute } from '../http/route';
import { closeQuarter } from './quarter-close';
import { quarterView, statementsOfContact, takeReportStep } from './quarters';
import { quarterAnswer, quarterParams, reportStepBody, statementsAnswer } from './schema';

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
];
