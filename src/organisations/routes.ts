import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route';
import { emailSchema } from '../identity/schema';
import { acceptInvitation, invite, people } from './people';
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
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}/people',
    summary: 'Les personnes de la structure et les invitations en attente',
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    handler: async ({ app, params }) => ({ body: await people(app.db, params.organisationId) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations/{organisationId}/invitations',
    summary: 'Invite une personne par e-mail à suivre les dossiers de la structure',
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    body: z.strictObject({ email: emailSchema, displayName: z.string().trim().min(1).max(200) }),
    response: { status: 201, description: 'Invitation envoyée' },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => invite(trx, params.organisationId, body, principal!));
      return { status: 201, body: await people(app.db, params.organisationId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/invitations/accept',
    summary: "Accepte une invitation reçue par e-mail (et choisit son mot de passe si l'on est nouveau)",
    tag: 'organisations',
    access: 'public',
    body: z.strictObject({ token: z.string().min(10).max(200), password: z.string().max(1024).optional() }),
    handler: async ({ app, body }) => ({ body: await app.db.transaction((trx) => acceptInvitation(trx, body)) }),
  }),
];
