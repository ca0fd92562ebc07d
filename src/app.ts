import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express, { type Express, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-dist';
import type { AppContext } from './context';
import { ForbiddenError, TooManyRequestsError } from './errors';
import { committeeRoutes } from './committees/routes';
import { documentRoutes } from './documents/routes';
import { endowmentRoutes } from './endowment/routes';
import { identityRoutes } from './identity/routes';
import { jobRoutes } from './jobs/routes';
import { treasuryRoutes } from './treasury/routes';
import { fpciRoutes } from './fpci/routes';
import { portfolioRoutes } from './portfolio/routes';
import { reportingRoutes } from './reporting/routes';
import { notificationRoutes } from './notifications/routes';
import { ledgerErrorFrom } from './ledger/database-errors';
import { ledgerRoutes } from './ledger/routes';
import { bookChecks } from './books';
import { documentReaders } from './document-kinds';
import { organisationRoutes } from './organisations/routes';
import { pathwayRoutes } from './pathway/routes';
import { trajectoryRoutes } from './trajectory/routes';
import { authenticate } from './http/authenticate';
import { assertNoDuplicateKeys } from './http/duplicate-keys';
import { openApiDocument } from './http/openapi';
import { notFoundHandler, problemHandler } from './http/problem';
import { mountRoutes, type AnyRoute } from './http/route';
import { systemRoutes } from './http/system-routes';
import { httpMessages } from './http/messages';
import { configureZodMessages } from './http/zod-messages';
import { identityPages } from './identity/pages';
import { organisationPages } from './organisations/pages';
import { organisationPagesOfMembers } from './organisations/organisation-page';
import { notificationPages } from './notifications/pages';
import { pathwayPages } from './pathway/pages';
import { trajectoryPages } from './trajectory/pages';
import { committeePages } from './committees/pages';
import { treasuryPages } from './treasury/pages';
import { statementUploadPages } from './treasury/upload-pages';
import { donorPages } from './endowment/donor-pages';
import { receiptPages } from './endowment/receipt-pages';
import { importPages } from './endowment/import-pages';
import { poolPages } from './endowment/pool-pages';
import { myGiftsPages } from './endowment/my-gifts-pages';
import { ledgerPages } from './ledger/pages';
import { identityAdminPages } from './identity/admin-pages';
import { committeeAdminPages } from './committees/admin-pages';
import { jobPages } from './jobs/pages';
import { investorPages } from './fpci/pages';
import { unitFundTeamPages } from './fpci/team-pages';
import { portfolioPages } from './portfolio/pages';
import { reportingPages } from './reporting/pages';
import { investorReportingPages } from './reporting/investor-pages';
import { problemPage } from './web/error-page';
import { homePages } from './web/home';
import { formBodySizeMax, mountPages, type AnyPage } from './web/pages';

configureZodMessages();

export const bodySizeMax = '64kb';
export const routes: readonly AnyRoute[] = [
  ...systemRoutes,
  ...identityRoutes,
  ...ledgerRoutes(bookChecks),
  ...organisationRoutes,
  ...pathwayRoutes,
  ...trajectoryRoutes,
  ...committeeRoutes,
  ...endowmentRoutes,
  ...documentRoutes(documentReaders),
  ...notificationRoutes,
  ...jobRoutes,
  ...treasuryRoutes,
  ...fpciRoutes,
  ...portfolioRoutes,
  ...reportingRoutes,
];
export const pages: readonly AnyPage[] = [
  ...homePages,
  ...identityPages,
  ...organisationPages,
  ...organisationPagesOfMembers,
  ...notificationPages,
  ...pathwayPages,
  ...trajectoryPages,
  ...committeePages,
  ...treasuryPages,
  ...statementUploadPages,
  ...donorPages,
  ...receiptPages,
  ...importPages,
  ...poolPages,
  ...myGiftsPages,
  ...ledgerPages(bookChecks),
  ...identityAdminPages,
  ...committeeAdminPages,
  ...jobPages,
  ...investorPages,
  ...unitFundTeamPages,
  ...portfolioPages,
  ...reportingPages,
  ...investorReportingPages,
];

/** Pico CSS (from its package) and our own stylesheet, cached a day: nothing to build. */
function webAssets() {
  const assets = express.Router();
  assets.get('/pico.min.css', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.sendFile(require.resolve('@picocss/pico/css/pico.min.css'));
  });
  assets.use(
    express.static(path.resolve(__dirname, 'web/assets'), {
      index: false,
      setHeaders: (response) => response.setHeader('Cache-Control', 'public, max-age=86400'),
    }),
  );
  return assets;
}

const requestIdPattern = /^[\w.-]{1,64}$/;

export function createApp(app: AppContext): Express {
  const server = express();
  server.disable('x-powered-by');
  server.set('query parser', 'simple');
  // X-Forwarded-For is believed only from the proxies configured (TRUST_PROXY): anyone else could rotate it to dodge the login limit.
  server.set('trust proxy', app.config.trustProxy.length > 0 ? app.config.trustProxy : false);
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
  // Security headers (CSP with no inline script, no framing, no referrer leak; HSTS behind HTTPS).
  server.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: app.config.cookieSecure ? { maxAge: 31_536_000 } : false,
    }),
  );
  server.use((_request, response, next) => {
    response.setHeader('Cache-Control', 'no-store');
    next();
  });
  server.use(sameOriginWrites(app.config.publicUrl));
  server.use(
    express.json({
      limit: bodySizeMax,
      strict: true,
      type: ['application/json', 'application/*+json'],
      verify: (_request, _response, body) => assertNoDuplicateKeys(body),
    }),
  );
  server.use(authenticate(app));
  server.post('/api/auth/login', loginRateLimit(app));
  // The login form's body is read before the limit, which counts per address and account.
  server.post('/connexion', express.urlencoded({ extended: false, limit: formBodySizeMax }), loginRateLimit(app));
  server.use('/assets', webAssets());

  const apiDocument = openApiDocument(routes, process.env.npm_package_version ?? '0.1.0');
  server.get('/api/openapi.json', (_request, response) => {
    response.json(apiDocument);
  });
  server.get('/api/docs', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.type('html').send(docsPage);
  });
  server.get('/api/docs/start.js', (_request, response) => {
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.type('text/javascript').send(docsStart);
  });
  server.use('/api/docs/assets', express.static(path.resolve(swaggerUi.getAbsoluteFSPath()), { index: false }));

  const router = express.Router();
  mountRoutes(router, routes, app);
  mountPages(router, app, pages);
  server.use(router);
  server.use(notFoundHandler(problemPage));
  server.use(problemHandler(app.logger, [ledgerErrorFrom], problemPage));
  return server;
}

/**
 * Failed logins per address and account, counted in Redis so that every API
 * process shares one count; a successful login is not counted (a script that
 * logs in often is not locked out). If Redis is away, logins are not limited
 * rather than refused (and the logs say so).
 */
function loginRateLimit(app: AppContext) {
  return rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: app.config.loginAttemptsPer15Min,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new RedisStore({
      prefix: `${app.config.queueName}:login-failures:`,
      sendCommand: (command: string, ...args: string[]) => app.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    passOnStoreError: true,
    // Into our logs (a warning: logins still work), not onto the console.
    logger: {
      error: (error, message) => app.logger.warn({ err: error }, message ?? 'login rate limit store error'),
      warn: (error, message) => app.logger.warn({ err: error }, message ?? 'login rate limit warning'),
    },
    // Not trusting X-Forwarded-For is the point when no proxy is configured: no warning for a header we ignore on purpose.
    validate: { xForwardedForHeader: false },
    // Per address and account: one person's typos do not lock out a whole office behind one IP.
    keyGenerator: (request: Request) =>
      `${ipKeyGenerator(request.ip ?? '')}:${String(request.body?.email ?? '')
        .toLowerCase()
        .slice(0, 254)}`,
    handler: (_request, _response, next) => next(new TooManyRequestsError(httpMessages.tooManyLogins)),
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
  <script src="/api/docs/start.js"></script>
</body>
</html>`;
// A file of its own rather than an inline script, which the Content-Security-Policy forbids.
const docsStart = "SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#api', deepLinking: true });\n";

/**
 * A request that changes something, carrying the session cookie, must come from
 * our own pages: a browser says where it comes from (Sec-Fetch-Site, Origin), and
 * a foreign site's form or fetch is refused before anything is read. Requests with
 * an API token (no cookie) are not a browser's and are not concerned.
 */
const hostOf = (origin: string): string | undefined => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

function sameOriginWrites(publicUrl: string) {
  const ourOrigin = new URL(publicUrl).origin;
  return (request: Request, _response: express.Response, next: express.NextFunction) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || !request.headers.cookie) return next();
    const site = request.get('Sec-Fetch-Site');
    const origin = request.get('Origin');
    const sameHost = origin !== undefined && (origin === ourOrigin || hostOf(origin) === request.get('Host'));
    if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && !sameHost)) {
      return next(new ForbiddenError(httpMessages.crossSite));
    }
    return next();
  };
}
