import fc from "fast-check";
import { z } from "zod";

// Deeper local runs: FUZZ_RUNS=500 npx vitest run … (a test knob, not an app setting, so not in src/env.js).
export function fuzzRuns(fallback: number): number {
  const raw = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(raw) && raw > 0 ? raw : fallback;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  format?: string;
};

/** The JSON Schema of a procedure's merged input parsers (null when it has none or zod cannot express it). */
export function inputSchemaOf(inputs: unknown[]): JsonSchema | null {
  const schemas = inputs.filter((input): input is z.ZodType => input instanceof z.ZodType);
  if (schemas.length === 0) return null;
  try {
    const all = schemas.map((schema) => z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }) as JsonSchema);
    return all.length === 1 ? all[0]! : { allOf: all };
  } catch {
    return {};
  }
}

const control = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 20 });
const ids = fc.constantFrom("", "0", "-1", "c".repeat(25), "00000000-0000-0000-0000-000000000000", "../../etc/passwd", "' OR '1'='1", "%00", "\u0000");

/** Values that break careless code: extreme strings and numbers, prototype keys, deep nesting, wrong types. */
export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constant("x".repeat(200_000)),
  control,
  fc.constantFrom("\u202e\u200b\ufeff", "<script>window.__xss=1</script>", "'; DROP TABLE users; --", "__proto__", "constructor"),
  ids,
  fc.constantFrom(-1, 0, -0, 1.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_VALUE, Number.NaN, Infinity, -Infinity),
  fc.double(),
  fc.bigInt().map(String),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown),
  fc.constant(nest(200)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constant(new Date(Number.NaN)),
  fc.constant(new Date(8.64e15)),
);

function nest(depth: number): unknown {
  let value: unknown = "deep";
  for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
  return value;
}

/** A value of roughly the right shape for `schema`, with some leaves replaced by nasty ones. */
export function nearValid(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const wellTyped = typed(schema, depth);
  return depth > 4 ? wellTyped : fc.oneof({ weight: 3, arbitrary: wellTyped }, { weight: 1, arbitrary: nasty });
}

function typed(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union?.length) return fc.oneof(...union.map((s) => nearValid(s, depth + 1)));
  if (schema.allOf?.length) {
    const merged: JsonSchema = { type: "object", properties: {}, required: [] };
    for (const part of schema.allOf) {
      Object.assign(merged.properties!, part.properties ?? {});
      merged.required!.push(...(part.required ?? []));
    }
    return typed(merged, depth);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const entries = Object.entries(schema.properties ?? {});
      const record = Object.fromEntries(entries.map(([key, sub]) => [key, nearValid(sub, depth + 1)]));
      return fc.tuple(fc.record(record, { requiredKeys: schema.required ?? [] }), fc.boolean()).map(([value, extra]) =>
        extra ? Object.assign(JSON.parse('{"__proto__":{"polluted":true}}') as object, value) : value,
      );
    }
    case "array":
      return fc.array(nearValid(schema.items ?? {}, depth + 1), { maxLength: 5 });
    case "string":
      return schema.format === "email"
        ? fc.emailAddress()
        : fc.string({ unit: "grapheme", maxLength: Math.min(schema.maxLength ?? 80, 300) });
    case "integer":
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -(2 ** 31)), max: Math.min(schema.maximum ?? 1_000_000, 2 ** 31) });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
