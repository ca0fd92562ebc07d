import { transliterate } from 'transliteration';
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../http/route';
import { emailSchema } from '../identity/schema';
import { acceptInvitation, invite, people } from './people';
import { acceptedFileTypes, fileKinds, fileSizeMaxBytes, listFiles, readFile, storeFile } from './files';
import {
  acceptedInvitationAnswer,
  filesAnswer,
  newOrganisationBody,
  organisationAnswer,
  organisationParams,
  organisationPatchBody,
  organisationsAnswer,
  peopleAnswer,
  storedFileAnswer,
} from './schema';
import {
  assertOrganisationReadable,
  createOrganisation,
  fieldsNeededForProposal,
  getOrganisation,
  listOrganisations,
  missingFields,
  updateOrganisation,
  type Organisation,
} from './service';
import { pageQuery } from '../db/pagination';
import { organisationsMessages } from './messages';

const ownOrganisation = { roles: ['applicant'], scope: { type: 'organisation', param: 'organisationId' } } as const;
/** Also the referent who opened it (checked by assertOrganisationReadable): to read it and invite its first applicant. */
const readOrganisation = { roles: ['applicant', 'referent'] } as const;

const organisationView = (organisation: Organisation) => ({
  ...organisation,
  missingForProposal: missingFields(organisation, fieldsNeededForProposal),
});

export const organisationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/organisations',
    summary: 'Les structures, par nom, SIREN ou RNA (search), par ordre alphabétique, paginées',
    tag: 'organisations',
    access: { roles: ['referent'] },
    query: z.strictObject({ search: z.string().trim().min(2).max(100).optional(), ...pageQuery }),
    response: { status: 200, description: 'Une page de structures', schema: organisationsAnswer },
    handler: async ({ app, query }) => {
      const { organisations, ...page } = await listOrganisations(app.db, query);
      return { body: { ...page, organisations: organisations.map(organisationView) } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations',
    summary: "Crée la fiche d'une structure (après un premier contact)",
    tag: 'organisations',
    access: { roles: ['referent'] },
    body: newOrganisationBody,
    response: { status: 201, description: 'Fiche créée', schema: organisationAnswer },
    handler: async ({ app, body, principal }) => ({
      status: 201,
      body: organisationView(await app.db.transaction((trx) => createOrganisation(trx, body, principal.userId))),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}',
    summary: "Fiche d'une structure, avec ce qui manque encore pour une proposition",
    tag: 'organisations',
    access: readOrganisation,
    params: organisationParams,
    response: { status: 200, description: 'La fiche', schema: organisationAnswer },
    handler: async ({ app, params, principal }) => {
      await assertOrganisationReadable(app.db, params.organisationId, principal);
      return { body: organisationView(await getOrganisation(app.db, params.organisationId)) };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/api/organisations/{organisationId}',
    summary: "Complète ou corrige la fiche d'une structure",
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    body: organisationPatchBody,
    response: { status: 200, description: 'La fiche modifiée', schema: organisationAnswer },
    handler: async ({ app, params, body, principal }) => ({
      body: organisationView(
        await app.db.transaction((trx) =>
          updateOrganisation(trx, params.organisationId, body, { userId: principal.userId }),
        ),
      ),
    }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}/people',
    summary: 'Les personnes de la structure et les invitations en attente',
    tag: 'organisations',
    access: readOrganisation,
    params: organisationParams,
    response: { status: 200, description: 'Ses membres et les invitations en cours', schema: peopleAnswer },
    handler: async ({ app, params, principal }) => {
      await assertOrganisationReadable(app.db, params.organisationId, principal);
      return { body: await people(app.db, params.organisationId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations/{organisationId}/invitations',
    summary:
      'Invite une personne par e-mail à suivre les dossiers de la structure (le référent qui a ouvert la fiche invite la première)',
    tag: 'organisations',
    access: readOrganisation,
    params: organisationParams,
    body: z.strictObject({ email: emailSchema, displayName: z.string().trim().min(1).max(200) }),
    response: { status: 201, description: 'Invitation envoyée', schema: peopleAnswer },
    handler: async ({ app, params, body, principal }) => {
      await assertOrganisationReadable(app.db, params.organisationId, principal);
      await app.db.transaction((trx) => invite(trx, params.organisationId, body, principal));
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
    response: { status: 200, description: 'Invitation acceptée', schema: acceptedInvitationAnswer },
    handler: async ({ app, body }) => ({ body: await app.db.transaction((trx) => acceptInvitation(trx, body)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/organisations/{organisationId}/files',
    summary: 'Dépose un document réutilisable (statuts, comptes, budget) : PDF, image ou bureautique, 10 Mo au plus',
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    query: z.strictObject({
      kind: z.enum(fileKinds, { message: organisationsMessages.documentKind(fileKinds.join(', ')) }),
      fileName: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .regex(/^[^/\\\p{Cc}]+$/u, 'Nom de fichier invalide.'),
    }),
    upload: { contentTypes: acceptedFileTypes, maxBytes: fileSizeMaxBytes },
    response: {
      status: 201,
      description: 'Document déposé (200 si ce même fichier était déjà là)',
      schema: storedFileAnswer,
    },
    handler: async ({ app, params, query, request, principal }) => {
      const contentType = request.get('content-type')!.split(';')[0]!.trim().toLowerCase();
      const { file, created } = await app.db.transaction((trx) =>
        storeFile(
          trx,
          params.organisationId,
          { ...query, contentType, content: request.body as Buffer },
          principal.userId,
        ),
      );
      return { status: created ? 201 : 200, body: file };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}/files',
    summary: 'Les documents déposés par la structure, réutilisés par chaque dossier',
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams,
    response: { status: 200, description: 'Ses documents', schema: filesAnswer },
    handler: async ({ app, params }) => ({ body: { files: await listFiles(app.db, params.organisationId) } }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/organisations/{organisationId}/files/{fileId}',
    summary: 'Télécharge un document déposé',
    tag: 'organisations',
    access: ownOrganisation,
    params: organisationParams.extend({ fileId: z.uuid() }),
    response: {
      status: 200,
      description: 'Le document tel qu’il a été déposé (son type, son empreinte SHA-256 en X-Content-SHA256)',
      contentType: acceptedFileTypes,
    },
    handler: async ({ app, params }) => {
      const file = await readFile(app.db, params.organisationId, params.fileId);
      // The stored name is the person's; the header gets a plain-ASCII version of it.
      const asciiName = transliterate(file.file_name).replace(/[^A-Za-z0-9._-]+/g, '_');
      return {
        headers: { 'X-Content-SHA256': file.sha256 },
        file: { fileName: asciiName, contentType: file.content_type, content: file.content },
      };
    },
  }),
];
