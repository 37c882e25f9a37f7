// The JSON Schemas that tools/list shows, derived from the zod shapes. Input
// schemas keep every rule (the model needs bounds); output schemas keep the
// top-level fields and their types only: the model reads the JSON itself,
// and a loose summary cannot break when the API adds fields.
import { z } from 'zod';
import { advertisedSummary } from '../shapes/advertised.js';

type Json = Record<string, unknown>;

export function inputJsonSchema(shape: z.ZodType): Json {
  // Shared parts are inlined, not $ref'd to $defs: some hosts do not resolve
  // references in tool schemas, and here inlining is smaller anyway.
  const { $schema: _, ...schema } = z.toJSONSchema(shape, {
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const summary = advertisedSummary(zodSchema as unknown as z.ZodType);
      if (!summary) return;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Json)[key];
      Object.assign(jsonSchema, summary);
    },
  }) as Json;
  return schema;
}

// Fields whose absence would mean the answer is not what the tool expected;
// any other field may come and go between API releases without breaking hosts.
const REQUIRED_IN_OUTPUT = new Set(['id', 'type', 'data']);

export function outputJsonSchema(shape: z.ZodType): Json {
  const full = z.toJSONSchema(shape, { io: 'output' }) as Json;
  const properties: Json = {};
  for (const [name, prop] of Object.entries((full.properties ?? {}) as Record<string, Json>)) {
    const summary = summarize(prop);
    // Fields that may be null (timestamps not reached yet, the poll secret)
    // are left to the JSON itself: the summary names what is always there.
    if (
      Array.isArray(summary.type) &&
      summary.type.includes('null') &&
      summary.type.length > 1 &&
      name !== 'work'
    )
      continue;
    properties[name] = summary;
  }
  const required = Array.isArray(full.required)
    ? (full.required as string[]).filter((k) => REQUIRED_IN_OUTPUT.has(k))
    : [];
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

function summarize(prop: Json): Json {
  if (Array.isArray(prop.anyOf)) {
    const types = (prop.anyOf as Json[]).flatMap((p) => [summarize(p).type]).flat();
    return { type: [...new Set(types)] };
  }
  if (prop.const !== undefined) return { const: prop.const };
  const type = prop.type;
  return { type: Array.isArray(type) ? type : (type ?? 'object') };
}

/**
 * What in a structured result the output schema above would refuse: its twin,
 * so it checks exactly the keywords `outputJsonSchema` writes (type, const,
 * required). A host that validates results turns a mismatch into a protocol
 * error without the data; the server answers a readable tool error instead.
 */
export function outputProblems(value: unknown, schema: Json): string[] {
  if (jsonType(value) !== 'object') return [`(result): expected an object, got ${jsonType(value)}`];
  const result = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of (schema.required ?? []) as string[]) {
    if (!Object.hasOwn(result, name)) problems.push(`${name}: missing`);
  }
  for (const [name, prop] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    if (!Object.hasOwn(result, name)) continue;
    const got = jsonType(result[name]);
    if (prop.const !== undefined) {
      if (result[name] !== prop.const)
        problems.push(`${name}: expected ${JSON.stringify(prop.const)}`);
      continue;
    }
    const types = [prop.type].flat() as string[];
    if (!types.includes(got) && !(got === 'integer' && types.includes('number'))) {
      problems.push(`${name}: expected ${types.join(' or ')}, got ${got}`);
    }
  }
  return problems;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
