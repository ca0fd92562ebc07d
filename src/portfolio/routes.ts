import { defineRoute, idempotencyKeyHeader, idempotencyKeyOf, type AnyRoute } from '../http/route';
import { fundParams } from '../ledger/schema';
import { requestDrawdown } from './drawdowns';
import { investmentFile } from './investment-file';
import { listInvestments, openInvestment, takeInvestmentStep } from './investments';
import { endInvestment, recordReceipt } from './returns';
import { getValuation, listValuations, proposeValuation, takeValuationStep } from './valuations';
import {
  drawdownBody,
  endBody,
  receiptBody,
  investmentAnswer,
  investmentParams,
  investmentsAnswer,
  investmentStepBody,
  newInvestmentBody,
  valuationAnswer,
  valuationBody,
  valuationParams,
  valuationsAnswer,
  valuationsQuery,
  valuationStepBody,
} from './schema';

// The fund's team: its treasurers (the API's scope), and admins.
const fundTeam = { roles: ['treasurer'], scope: { type: 'fund', param: 'fundId' } } as const;

export const portfolioRoutes: AnyRoute[] = [
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/investments',
    summary: 'Les investissements du fonds, les plus récents d’abord, avec leur étape',
    tag: 'portfolio',
    access: fundTeam,
    params: fundParams,
    response: { status: 200, description: 'Les investissements', schema: investmentsAnswer },
    handler: async ({ app, params, principal }) => ({ body: await listInvestments(app.db, params.fundId, principal) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments',
    summary:
      'Ouvre un investissement (repérage) depuis le dossier de la structure dans ce fonds : instrument, nom, montant recherché',
    tag: 'portfolio',
    access: fundTeam,
    params: fundParams,
    body: newInvestmentBody,
    response: { status: 201, description: 'L’investissement ouvert', schema: investmentAnswer },
    handler: async ({ app, params, body, principal }) => {
      const id = await app.db.transaction((trx) => openInvestment(trx, params.fundId, body, principal));
      return { status: 201, body: await investmentFile(app.db, params.fundId, id, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/investments/{investmentId}',
    summary: 'Un investissement : instrument, montants, étape et historique',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    response: { status: 200, description: 'L’investissement', schema: investmentAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await investmentFile(app.db, params.fundId, params.investmentId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments/{investmentId}/steps',
    summary:
      'Une étape de l’équipe : START_DUE_DILIGENCE, SUBMIT_TO_COMMITTEE (avec la synthèse de la due diligence), SIGN_TERM_SHEET (avec les conditions de l’instrument), ABANDON (avec le motif) ; le comité décide par un vote',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    body: investmentStepBody,
    response: { status: 200, description: 'L’investissement', schema: investmentAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeInvestmentStep(trx, params.fundId, params.investmentId, body, principal));
      return { body: await investmentFile(app.db, params.fundId, params.investmentId, principal) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments/{investmentId}/drawdowns',
    summary:
      'Un tirage (numéroté : le même numéro rejoue le même tirage) : comptabilisé (instrument au coût / 404) et demandé à la trésorerie, qui le paie à la structure ; le dernier met l’investissement en portefeuille',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    body: drawdownBody,
    response: { status: 201, description: 'L’investissement, le tirage ajouté', schema: investmentAnswer },
    handler: async ({ app, params, body, principal }) => {
      const { created } = await app.db.transaction((trx) =>
        requestDrawdown(trx, params.fundId, params.investmentId, body, principal),
      );
      return {
        status: created ? 201 : 200,
        body: await investmentFile(app.db, params.fundId, params.investmentId, principal),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments/{investmentId}/receipts',
    summary:
      'Une rentrée de l’investissement : intérêts (762), dividendes ou rémunération (761), remboursement (au plus ce qui reste investi) — à la banque (512), une fois par clé',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    headers: [idempotencyKeyHeader('la même rentrée, enregistrée une fois')],
    body: receiptBody,
    response: { status: 201, description: 'L’investissement, la rentrée ajoutée', schema: investmentAnswer },
    handler: async ({ app, params, body, principal, request }) => {
      const idempotencyKey = idempotencyKeyOf(request);
      const { created } = await app.db.transaction((trx) =>
        recordReceipt(trx, params.fundId, params.investmentId, { ...body, idempotencyKey }, principal),
      );
      return {
        status: created ? 201 : 200,
        body: await investmentFile(app.db, params.fundId, params.investmentId, principal),
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments/{investmentId}/end',
    summary:
      'La fin de l’investissement : cédé à un prix (775 ; la valeur restant investie sort en 675) ou passé en perte avec son motif (675)',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    body: endBody,
    response: { status: 200, description: 'L’investissement', schema: investmentAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => endInvestment(trx, params.fundId, params.investmentId, body, principal));
      return { body: await investmentFile(app.db, params.fundId, params.investmentId, principal) };
    },
  }),

  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/valuations',
    summary:
      'Les valorisations du portefeuille (IPEV), les plus récentes d’abord ; filtre par investissement ou par date',
    tag: 'portfolio',
    access: fundTeam,
    params: fundParams,
    query: valuationsQuery,
    response: { status: 200, description: 'Les valorisations', schema: valuationsAnswer },
    handler: async ({ app, params, query, principal }) => ({
      body: await listValuations(app.db, params.fundId, query, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/investments/{investmentId}/valuations',
    summary:
      'Propose la juste valeur de l’investissement à une fin de trimestre : technique IPEV, données, note de calibrage ; une autre personne l’approuve',
    tag: 'portfolio',
    access: fundTeam,
    params: investmentParams,
    body: valuationBody,
    response: { status: 201, description: 'La valorisation proposée', schema: valuationAnswer },
    handler: async ({ app, params, body, principal }) => {
      const id = await app.db.transaction((trx) =>
        proposeValuation(trx, params.fundId, params.investmentId, body, principal),
      );
      return { status: 201, body: await getValuation(app.db, params.fundId, id, principal) };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/funds/{fundId}/valuations/{valuationId}',
    summary: 'Une valorisation : technique, données, note de calibrage, état, écart passé en comptabilité',
    tag: 'portfolio',
    access: fundTeam,
    params: valuationParams,
    response: { status: 200, description: 'La valorisation', schema: valuationAnswer },
    handler: async ({ app, params, principal }) => ({
      body: await getValuation(app.db, params.fundId, params.valuationId, principal),
    }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/funds/{fundId}/valuations/{valuationId}/steps',
    summary:
      'APPROVE (une autre personne que celle qui l’a proposée ; l’écart avec les livres est passé à la fin du trimestre, 2780 / 1071) ou REJECT (avec le motif)',
    tag: 'portfolio',
    access: fundTeam,
    params: valuationParams,
    body: valuationStepBody,
    response: { status: 200, description: 'La valorisation', schema: valuationAnswer },
    handler: async ({ app, params, body, principal }) => {
      await app.db.transaction((trx) => takeValuationStep(trx, params.fundId, params.valuationId, body, principal));
      return { body: await getValuation(app.db, params.fundId, params.valuationId, principal) };
    },
  }),
];
