import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schema that zod produces for a route:
 * mostly well-formed values (so that requests get past the first check and
 * reach deeper code), salted with garbage at every level.
 */
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  "'; drop table postings; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '1e400',
  '-0',
  'NaN',
  '9'.repeat(40),
  '2026-02-30',
  '0000-00-00',
  '\ud800',
  '😀'.repeat(50),
  'é'.repeat(5000),
  '__proto__',
  '{"$ne": null}',
];

export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...hostileStrings),
  fc.double(),
  fc.bigInt().map(String),
  fc.constant(null),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'x'), fc.jsonValue({ maxDepth: 1 })),
);

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  if (schema.format === 'date') {
    return fc
      .record({
        year: fc.integer({ min: 1990, max: 2035 }),
        month: fc.integer({ min: 1, max: 13 }),
        day: fc.integer({ min: 1, max: 31 }),
      })
      .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
  }
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uuid') return fc.uuid();
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 300) });
}

function wellFormed(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return garbage;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((variant) => fuzzed(variant, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const shape = Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, property]) => [key, fuzzed(property, depth + 1)]),
      );
      return fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record(shape, { requiredKeys: schema.required?.filter((key) => key in shape) ?? [] }),
        },
        { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) },
        { weight: 1, arbitrary: fc.record(shape).map((value) => ({ ...value, unexpected: true })) },
      );
    }
    case 'array':
      return fc.array(fuzzed(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 8),
      });
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1e6, -(2 ** 31)),
        max: Math.min(schema.maximum ?? 1e6, 2 ** 31),
      });
    case 'number':
      return fc.double({ noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return garbage;
  }
}

export function fuzzed(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: wellFormed(schema, depth) }, { weight: 1, arbitrary: garbage });
}
