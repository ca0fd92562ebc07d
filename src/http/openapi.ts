import { z } from 'zod';
import type { AnyRoute } from './route';

/** OpenAPI 3.1 from the routes' own zod schemas: the documentation cannot drift from the validation. */
export function openApiDocument(routes: readonly AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'milliard',
      version,
      description:
        'Système de référence des véhicules financiers de l\'opération Milliard. Montants : chaînes en euros ("1234.56"). ' +
        'Erreurs : RFC 9457 (application/problem+json), avec `errors[].pointer` pour chaque champ refusé.',
    },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'milliard_session' },
        bearer: { type: 'http', scheme: 'bearer', description: "Jeton d'API (mlk_…)" },
      },
    },
    paths,
  };
}

/** An answer as the client reads it. */
const answerSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' });

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });

function operation(route: AnyRoute): Record<string, unknown> {
  const parameters = [
    ...objectProperties(route.params).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
    ...objectProperties(route.query, true).map(([name, schema, required]) => ({ name, in: 'query', required, schema })),
    ...(route.headers ?? []).map((header) => ({
      name: header.name,
      in: 'header',
      required: header.required,
      description: header.description,
      schema: { type: 'string' },
    })),
  ];
  const status = String(route.response?.status ?? 200);
  return {
    summary: route.summary,
    tags: [route.tag],
    'x-access': route.access,
    security: route.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } } }
      : {}),
    ...(route.upload
      ? {
          requestBody: {
            required: true,
            description: `Le fichier lui-même, ${route.upload.maxBytes / 1024 / 1024} Mo au plus.`,
            content: Object.fromEntries(
              route.upload.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
            ),
          },
        }
      : {}),
    responses: {
      [status]: {
        description: route.response?.description ?? 'Succès',
        ...(route.response?.contentType
          ? {
              content: Object.fromEntries(
                [route.response.contentType]
                  .flat()
                  .map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
              ),
            }
          : {}),
        ...(route.response?.schema
          ? { content: { 'application/json': { schema: answerSchema(route.response.schema) } } }
          : {}),
      },
      default: {
        description: 'Problème (RFC 9457)',
        content: { 'application/problem+json': { schema: { type: 'object' } } },
      },
    },
  };
}

function objectProperties(schema: z.ZodType | undefined, withRequired = false): [string, unknown, boolean][] {
  if (!schema) return [];
  const document = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(document.properties ?? {}).map(([name, property]) => [
    name,
    property,
    withRequired ? (document.required ?? []).includes(name) : true,
  ]);
}
