import { z } from 'zod';

/**
 * The words of the API's answers, as a client receives them (JSON): each route
 * declares its answer's schema with them, the OpenAPI document shows it, and in
 * tests every real answer is checked against it (src/http/route.ts).
 */
export const euroAmount = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({ description: 'Montant en euros, deux décimales : "1234.56"', examples: ['1234.56'] });
export const timestamp = z.iso.datetime({ offset: true }).meta({ description: 'Date et heure ISO 8601 (UTC)' });
export const calendarDate = z.iso.date().meta({ description: 'Date AAAA-MM-JJ (Europe/Paris)' });
export const identifier = z.string().min(1);

/** A page of a list: `total` items in all, this page's `items` under their own name. */
export const pageAnswer = <Key extends string, Item extends z.ZodType>(key: Key, item: Item) =>
  z.strictObject({
    total: z.number().int().min(0),
    page: z.number().int().min(1),
    pageSize: z.number().int().min(1),
    ...({ [key]: z.array(item) } as Record<Key, z.ZodArray<Item>>),
  });

/** A workflow's append-only history as answers show it (src/workflow-runtime). */
export const historyAnswer = z.array(
  z.strictObject({
    id: z.number().int(),
    event: z.string(),
    fromState: z.string().nullable(),
    toState: z.string(),
    actorId: z.uuid().nullable(),
    actorRelations: z.array(z.string()),
    reason: z.string().nullable(),
    payloadSha256: z.string().nullable(),
    occurredAt: timestamp,
  }),
);

/** A stored document as answers list it (src/documents): its content at /api/documents/{id}. */
export const documentAnswer = z.strictObject({
  id: z.uuid(),
  kind: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  byteSize: z.number().int(),
  createdAt: timestamp,
});
