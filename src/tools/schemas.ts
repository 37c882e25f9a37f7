// The JSON Schemas that tools/list shows, derived from the zod shapes. Input
// schemas keep every rule (the model needs bounds); output schemas keep the
// top-level fields and their types only: the model reads the JSON itself,
// and a loose summary cannot break when the API adds fields.
import { z } from 'zod';

type Json = Record<string, unknown>;

export function inputJsonSchema(shape: z.ZodType): Json {
  // Shared parts are inlined, not $ref'd to $defs: some hosts do not resolve
  // references in tool schemas, and here inlining is smaller anyway.
  const { $schema: _, ...schema } = z.toJSONSchema(shape, { io: 'input' }) as Json;
  return schema;
}

export function outputJsonSchema(shape: z.ZodType): Json {
  const full = z.toJSONSchema(shape, { io: 'output' }) as Json;
  const properties: Json = {};
  for (const [name, prop] of Object.entries((full.properties ?? {}) as Record<string, Json>)) {
    properties[name] = summarize(prop);
  }
  return { type: 'object', properties, ...(Array.isArray(full.required) ? { required: full.required } : {}) };
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
