import { defineRoute, type AnyRoute } from '../http/route';
import {
  closeBody,
  committeeAnswer,
  committeeParams,
  memberParams,
  seatBody,
  declarationBody,
  newCommitteeBody,
  newSessionBody,
  rulesSchema,
  sessionAnswer,
  sessionParams,
  voteBody,
} from './schema';
import { createCommittee, getCommittee, seatMember, unseatMember, updateRules } from './committees';
import { closeSessionAs, getSession, openSession } from './sessions';
import { castVote, declareInterests } from './votes';

// Session routes: the service checks the seat on the session itself (others get 404).
const sitting = { roles: ['committee_member'] } as const;
const ofThisCommittee = { roles: ['committee_member'], scope: { type: 'committee', param: 'committeeId' } } as const;

export const committeeRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/api/committees',
    summary: 'Crée un comité : fonds, règles de vote, membres et présidence',
    tag: 'committees',
    access: { roles: [] },
    body: newCommitteeBody,
    response: { status: 201, description: 'Comité créé', schema: committeeAnswer },
    handler: async ({ app, body }) => {
      await app.db.transaction((trx) => createCommittee(trx, body));
      return { status: 201, body: await getCommittee(app.db, body.id) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/committees/{committeeId}',
    summary: 'Un comité : règles, membres, séances de vote',
    tag: 'committees',
    access: ofThisCommittee,
    params: committeeParams,
    response: {
      status: 200,
      description: 'Le comité, ses membres, ses règles et ses séances',
      schema: committeeAnswer,
    },
    handler: async ({ app, params }) => ({ body: await getCommittee(app.db, params.committeeId) }),
  }),
  defineRoute({
    method: 'put',
    path: '/api/committees/{committeeId}/rules',
    summary: 'Change les règles de vote (quorum, majorité, abstentions, voix prépondérante) des séances à venir',
    tag: 'committees',
    access: { roles: [] },
    params: committeeParams,
    body: rulesSchema,
    response: { status: 200, description: 'Le comité, ses nouvelles règles', schema: committeeAnswer },
    handler: async ({ app, params, body }) => {
      await app.db.transaction((trx) => updateRules(trx, params.committeeId, body));
      return { body: await getCommittee(app.db, params.committeeId) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/committees/{committeeId}/members/{userId}',
    summary:
      'Fait siéger une personne au comité, ou la fait présider (l’ancienne présidence redevient membre) ; les séances ouvertes gardent leurs membres',
    tag: 'committees',
    access: { roles: [] },
    params: memberParams,
    body: seatBody,
    response: { status: 200, description: 'Le comité, ses membres', schema: committeeAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) =>
        seatMember(trx, principal, params.committeeId, { userId: params.userId, chair: body.chair }),
      );
      return { body: await getCommittee(app.db, params.committeeId) };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/api/committees/{committeeId}/members/{userId}',
    summary:
      'Retire un membre du comité (pas la présidence, pas pendant une séance ouverte où il siège) ; son rôle de membre lui est retiré',
    tag: 'committees',
    access: { roles: [] },
    params: memberParams,
    response: { status: 200, description: 'Le comité, ses membres', schema: committeeAnswer },
    handler: async ({ app, params, principal }) => {
      await app.db.transaction((trx) => unseatMember(trx, principal, params.committeeId, params.userId));
      return { body: await getCommittee(app.db, params.committeeId) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/committees/{committeeId}/sessions',
    summary: 'Ouvre un vote sur un dossier présenté au comité (présidence)',
    tag: 'committees',
    access: ofThisCommittee,
    params: committeeParams,
    body: newSessionBody,
    response: { status: 201, description: 'Vote ouvert', schema: sessionAnswer },
    handler: async ({ app, params, body, principal }) => {
      const sessionId = await app.db.transaction((trx) => openSession(trx, params.committeeId, body, principal));
      return { status: 201, body: await getSession(app.db, sessionId, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/vote-sessions/{sessionId}',
    summary: 'Une séance de vote : motion, membres, déports, votes (les siens tant que le vote est ouvert), résultat',
    tag: 'committees',
    access: sitting,
    params: sessionParams,
    response: { status: 200, description: 'La séance telle que ce membre la voit', schema: sessionAnswer },
    handler: async ({ app, params, principal }) => ({ body: await getSession(app.db, params.sessionId, principal) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/vote-sessions/{sessionId}/declaration',
    summary: "Déclare ses conflits d'intérêts avant de voter (un conflit vaut déport)",
    tag: 'committees',
    access: sitting,
    params: sessionParams,
    body: declarationBody,
    response: { status: 200, description: 'La séance, la déclaration faite', schema: sessionAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => declareInterests(trx, params.sessionId, body, principal));
      return { body: await getSession(app.db, params.sessionId, principal) };
    },
  }),
  defineRoute({
    method: 'put',
    path: '/api/vote-sessions/{sessionId}/vote',
    summary: 'Vote ou change son vote tant que la séance est ouverte (pour, contre, abstention)',
    tag: 'committees',
    access: sitting,
    params: sessionParams,
    body: voteBody,
    response: { status: 200, description: 'La séance, le vote enregistré', schema: sessionAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => castVote(trx, params.sessionId, body, principal));
      return { body: await getSession(app.db, params.sessionId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/vote-sessions/{sessionId}/close',
    summary:
      'Clôt le vote (présidence ou administrateur) : résultat calculé, décision transmise au dossier, procès-verbal généré',
    tag: 'committees',
    access: sitting,
    params: sessionParams,
    body: closeBody,
    response: { status: 200, description: 'La séance close, son résultat', schema: sessionAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => closeSessionAs(trx, params.sessionId, principal, body.reason));
      return { body: await getSession(app.db, params.sessionId, principal) };
    },
  }),
];
