import { defineRoute, type AnyRoute } from '../http/route';
import { organisationParams } from '../organisations/schema';
import { trajectoryAnswer } from './schema';
import { trajectoryOf } from './service';

export const trajectoryRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}/trajectory',
    summary:
      "La trajectoire d'une structure : ses dossiers (historique, subventions, tranches et paiements, comptes rendus) et les investissements des fonds, tous fonds et années",
    tag: 'pathway',
    access: { roles: ['applicant'], scope: { type: 'organisation', param: 'organisationId' } },
    params: organisationParams,
    response: { status: 200, description: 'La trajectoire de la structure', schema: trajectoryAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await trajectoryOf(app.db, params.organisationId, principal),
    }),
  }),
];
