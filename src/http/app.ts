import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-dist';
import type { AppContext } from '../context';
import { TooManyRequestsError } from '../errors';
import { committeeRoutes } from '../committees/routes';
import { documentRoutes } from '../documents/routes';
import { endowmentRoutes } from '../endowment/routes';
import { identityRoutes } from '../identity/routes';
import { jobRoutes } from '../jobs/routes';
import { treasuryRoutes } from '../treasury/routes';
import { notificationRoutes } from '../notifications/routes';
import { ledgerRoutes } from '../ledger/routes';
import { organisationRoutes } from '../organisations/routes';
import { pathwayRoutes } from '../pathway/routes';
import { authenticate } from './authenticate';
import { openApiDocument } from './openapi';
import { notFoundHandler, problemHandler } from './problem';
import { mountRoutes, type AnyRoute } from './route';
import { systemRoutes } from './system-routes';
import { configureZodMessages } from './zod-messages';

configureZodMessages();

export const bodySizeMax = '64kb';
export const routes: readonly AnyRoute[] = [...systemRoutes, ...identityRoutes, ...ledgerRoutes, ...organisationRoutes, ...pathwayRoutes, ...committeeRoutes, ...endowmentRoutes, ...documentRoutes, ...notificationRoutes, ...jobRoutes, ...treasuryRoutes];
const requestIdPattern = /^[\w.-]{1,64}$/;

export function createApp(app: AppContext): Express {
  const server = express();
  server.disable('x-powered-by');
  server.set('query parser', 'simple');
  server.set('trust proxy', 'loopback');
  // Amounts are shaped as strings before they get here; a stray bigint still must not crash a response.
  server.set('json replacer', (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

  server.use(
    pinoHttp({
      logger: app.logger,
      genReqId: (request, response) => {
        const incoming = request.headers['x-request-id'];
        const id = typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (request) => request.url === '/health' },
    }),
  );
  server.use((_request, response, next) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  server.use(express.json({ limit: bodySizeMax, strict: true, type: ['application/json', 'application/*+json'] }));
  server.use(authenticate(app));
  server.post('/api/auth/login', loginRateLimit(app));

  const apiDocument = openApiDocument(routes, process.env.npm_package_version ?? '0.1.0');
  server.get('/api/openapi.json', (_request, response) => {
    response.json(apiDocument);
  });
  server.get('/api/docs', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.type('html').send(docsPage);
  });
  server.use('/api/docs/assets', express.static(path.resolve(swaggerUi.getAbsoluteFSPath()), { index: false }));

  const router = express.Router();
  mountRoutes(router, routes, app);
  server.use(router);
  server.use(notFoundHandler);
  server.use(problemHandler(app.logger));
  return server;
}

function loginRateLimit(app: AppContext) {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: app.config.loginAttemptsPer15Min,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Per address and account: one person's typos do not lock out a whole office behind one IP.
    keyGenerator: (request: Request) => `${ipKeyGenerator(request.ip ?? '')}:${String(request.body?.email ?? '').toLowerCase().slice(0, 254)}`,
    handler: (_request, _response, next) =>
      next(new TooManyRequestsError('Trop de tentatives de connexion : réessayez dans quelques minutes.')),
  });
}

const docsPage = `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>milliard — API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="api"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script>SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#api', deepLinking: true });</script>
</body>
</html>`;
