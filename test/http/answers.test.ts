import SwaggerParser from '@apidevtools/swagger-parser';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { routes } from '../../src/app';
import { openApiDocument } from '../../src/http/openapi';
import { problemHandler } from '../../src/http/problem';
import { defineRoute, mountRoutes } from '../../src/http/route';
import { createTestContext, type TestContext } from '../support/services';

/**
 * Every answer is documented: a route declares its answer's schema, the OpenAPI
 * document shows it, and in tests each real answer is checked against it (so the
 * whole suite checks the documentation of every route it calls).
 */
let app: TestContext;
beforeAll(async () => {
  app = await createTestContext();
});
afterAll(() => app.drop());

it('fails a test whose route answers outside its documented schema', async () => {
  const server = express();
  const router = express.Router();
  const answer = z.strictObject({ amount: z.string().regex(/^\d+\.\d{2}$/) });
  mountRoutes(
    router,
    [
      defineRoute({
        method: 'get',
        path: '/as-documented',
        summary: 'x',
        tag: 'test',
        access: 'public',
        response: { status: 200, description: 'x', schema: answer },
        handler: async () => ({ body: { amount: '12.00' } }),
      }),
      defineRoute({
        method: 'get',
        path: '/in-cents',
        summary: 'x',
        tag: 'test',
        access: 'public',
        response: { status: 200, description: 'x', schema: answer },
        handler: async () => ({ body: { amount: '1200' } }),
      }),
      defineRoute({
        method: 'get',
        path: '/more-than-documented',
        summary: 'x',
        tag: 'test',
        access: 'public',
        response: { status: 200, description: 'x', schema: answer },
        handler: async () => ({ body: { amount: '12.00', amountMinor: 1200 } }),
      }),
    ],
    app,
  );
  server.use(router);
  server.use(problemHandler(app.logger));
  await request(server).get('/as-documented').expect(200);
  await request(server).get('/in-cents').expect(500);
  await request(server).get('/more-than-documented').expect(500);
});

it('documents every answer in the OpenAPI document', () => {
  const document = openApiDocument(routes, 'test') as {
    paths: Record<
      string,
      Record<
        string,
        {
          responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }>;
        }
      >
    >;
  };
  expect(
    Object.keys(
      document.paths['/api/funds/{fundId}/donation-imports/{importId}']!.get!.responses['200']!.content![
        'application/json'
      ]!.schema.properties!,
    ),
  ).toEqual(expect.arrayContaining(['state', 'processedLines', 'totalLines']));
  // Every JSON answer has its schema; a file answer says its content type.
  const undocumented = routes
    .filter((route) => !route.response?.schema && !route.response?.contentType && route.response?.status !== 204)
    .map((route) => `${route.method.toUpperCase()} ${route.path}`);
  expect(undocumented).toEqual([]);
});

it('publishes a valid OpenAPI 3.1 document', async () => {
  const document = openApiDocument(routes, 'test') as { openapi: string };
  expect(document.openapi).toMatch(/^3\.1\./);
  // Validated against the OpenAPI 3.1 schema; throws, naming the fault, when the document is not.
  await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  const { info: _info, ...withoutInfo } = structuredClone(document) as Record<string, unknown>;
  await expect(SwaggerParser.validate(withoutInfo as never)).rejects.toThrow();
});
