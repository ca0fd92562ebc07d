import { defineRoute, type AnyRoute } from '../http/route';
import { newOrganisationBody, organisationParams, organisationPatchBody } from './schema';
import { createOrganisation, fieldsNeededForProposal, getOrganisation, missingFields, updateOrganisation, type Organisation } from './service';

const ownOrganisation = { roles: ['applicant'], scope: { type: 'organisation', param: 'organisationId' } } as const;

const organisationView = (organisation: Organisation) => ({ ...organisation, missingForProposal: missingFields(organisation, fieldsNeededForProposal) });

export const organisationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/organisations',
    summary: "Crée la fiche d'une structure (après un premier contact)",
    tag: 'organisations',
    access: { roles: ['referent'] },
    body: newOrganisationBody,
    response: { status: 201, description: 'Fiche créée' },
    handler: async ({ app, body }) => ({ status: 201, body: organisationView(await app.db.transaction((trx) => createOrganisation(trx, body))) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}',
    summary: "Fiche d'une structure, avec ce qui manque encore pour une proposition",
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    handler: async ({ app, params }) => ({ body: organisationView(await getOrganisation(app.db, params.organisationId)) }),
  }),
  defineRoute({
    method: 'patch',
    path: '/api/organisations/{organisationId}',
    summary: "Complète ou corrige la fiche d'une structure",
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    body: organisationPatchBody,
    handler: async ({ app, params, body }) => ({
      body: organisationView(await app.db.transaction((trx) => updateOrganisation(trx, params.organisationId, body))),
    }),
  }),
];
