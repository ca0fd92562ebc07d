import { defineRoute, type AnyRoute } from '../http/route';
import {
  applicationAnswer,
  applicationListQuery,
  applicationParams,
  applicationsAnswer,
  exchangeBody,
  firstContactBody,
  proposalStepAnswer,
  reportBody,
  reportParams,
  reportStateAnswer,
  reportStepBody,
  stepParams,
  transitionBody,
} from './schema';
import { reviewReport, submitReport } from './reports';
import { getApplication, listApplications, logExchange, openApplication, proposalStep, takeStep } from './service';

// Who stands where on a file (applicant of its organisation, its referent, a
// member of the committee voting on it) is checked by the service against the
// file itself: others get 404.
const onTheFile = { roles: ['applicant', 'referent', 'committee_member'] } as const;

export const pathwayRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/applications',
    summary: 'Ouvre un dossier après un premier contact (un message, des coordonnées)',
    tag: 'pathway',
    access: { roles: ['referent'] },
    body: firstContactBody,
    response: { status: 201, description: 'Dossier ouvert', schema: applicationAnswer },
    handler: async ({ app, body, principal }) => {
      const id = await app.db.transaction((trx) => openApplication(trx, body, principal));
      return { status: 201, body: await getApplication(app.db, id, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/applications',
    summary: 'Les dossiers que je peux voir, filtrés (étape, structure, référent, comité, fonds, pool) et paginés',
    tag: 'pathway',
    access: onTheFile,
    query: applicationListQuery,
    response: { status: 200, description: 'Une page de dossiers', schema: applicationsAnswer },
    handler: async ({ app, query, principal }) => ({ body: await listApplications(app.db, query, principal) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/applications/{applicationId}',
    summary: 'Un dossier : étape, ce qui peut suivre, historique',
    tag: 'pathway',
    access: onTheFile,
    params: applicationParams,
    response: { status: 200, description: 'Le dossier', schema: applicationAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getApplication(app.db, params.applicationId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/applications/{applicationId}/transitions',
    summary: 'Franchit une étape du parcours (selon le rôle de chacun sur le dossier)',
    tag: 'pathway',
    access: onTheFile,
    params: applicationParams,
    body: transitionBody,
    response: { status: 200, description: 'Le dossier après l’étape', schema: applicationAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeStep(trx, params.applicationId, body, principal));
      return { body: await getApplication(app.db, params.applicationId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/applications/{applicationId}/exchanges',
    summary: 'Consigne un échange du dialogue (rendez-vous, appel, note, message), éventuellement interne à l’équipe',
    tag: 'pathway',
    access: onTheFile,
    params: applicationParams,
    body: exchangeBody,
    response: { status: 201, description: 'Échange consigné', schema: applicationAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => logExchange(trx, params.applicationId, body, principal));
      return { status: 201, body: await getApplication(app.db, params.applicationId, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/applications/{applicationId}/steps/{step}',
    summary:
      'Une partie de la proposition, pré-remplie : ce qui est déjà connu (fiche, pré-proposition, dossiers précédents) et ce qui manque',
    tag: 'pathway',
    access: onTheFile,
    params: stepParams,
    response: {
      status: 200,
      description: 'L’étape : ce qui est connu, ce qui manque, ce qu’un dossier antérieur suggère',
      schema: proposalStepAnswer,
    },
    handler: async ({ app, params, principal }) => ({
      body: await proposalStep(app.db, params.applicationId, params.step, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/applications/{applicationId}/reports',
    summary:
      "Rend compte d'une subvention active (activité, dépenses) : son acceptation rend payable la tranche suivante",
    tag: 'pathway',
    access: onTheFile,
    params: applicationParams,
    body: reportBody,
    response: { status: 201, description: 'Compte rendu envoyé', schema: applicationAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => submitReport(trx, params.applicationId, body, principal));
      return { status: 201, body: await getApplication(app.db, params.applicationId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/reports/{reportId}/transitions',
    summary: 'Accepte un compte rendu ou demande des modifications (référent) ; le renvoie modifié (bénéficiaire)',
    tag: 'pathway',
    access: onTheFile,
    params: reportParams,
    body: reportStepBody,
    response: { status: 200, description: 'L’état du compte rendu', schema: reportStateAnswer },
    handler: async ({ app, params, body, principal }) => ({
      body: { state: await app.db.transaction((trx) => reviewReport(trx, params.reportId, body, principal)) },
    }),
  }),
];
