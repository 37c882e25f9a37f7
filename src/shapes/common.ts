// Building blocks shared by the environment and work shapes.
//
// The client is thin (README, "How we know the requests are right"): a shape
// refuses wrong JSON types, the path-unsafe ids of the tool contract and the
// limits the API reference documents (block_ms 1-999), nothing else. Lengths,
// counts and ranges the reference does not state are the API's to judge.
import { z } from 'zod';
import { advertisedAs } from './advertised.js';
import { ENVIRONMENT_ID_EXAMPLE, ID_PATTERN, idRule, WORK_ID_EXAMPLE } from './ids.js';

export function resourceId(example: string, what: string) {
  // A refinement, not a JSON Schema pattern: hosts' regex dialects differ on \p{…}.
  return z
    .string()
    .refine((id) => ID_PATTERN.test(id), { message: idRule(example) })
    .describe(`${what} id (${example.slice(0, example.indexOf('_') + 1)}…)`);
}

export const EnvironmentId = resourceId(ENVIRONMENT_ID_EXAMPLE, 'Environment');
export const WorkId = resourceId(WORK_ID_EXAMPLE, 'Work item');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object of string values (or null where `nullable`), passed on as given.
 * Not z.record: that copies into a plain object, where a `__proto__` key
 * would vanish, and the request would no longer be the one the SDK sends.
 */
function stringMap(nullable: boolean) {
  const valueRule = nullable ? 'a string or null' : 'a string';
  const shape = z.unknown().superRefine((v, ctx) => {
    if (!isPlainObject(v)) {
      ctx.addIssue({ code: 'custom', message: `must be an object whose values are ${valueRule}` });
      return;
    }
    for (const [key, value] of Object.entries(v)) {
      if (typeof value === 'string' || (nullable && value === null)) continue;
      ctx.addIssue({ code: 'custom', path: [key], message: `must be ${valueRule}` });
    }
  });
  return shape;
}

const METADATA_HELP = 'String key-value pairs';
export const Metadata = advertisedAs(
  (stringMap(false) as unknown as z.ZodType<Record<string, string>>).describe(METADATA_HELP),
  {
    type: 'object',
    additionalProperties: { type: 'string' },
    description: METADATA_HELP,
  },
);

const PATCH_HELP = 'Keys to set; a null value deletes the key, omitted keys are kept';
/** A metadata patch: a `null` (or, for environments, "") value deletes the key. */
export function metadataPatch(description = PATCH_HELP) {
  return advertisedAs(
    (stringMap(true) as unknown as z.ZodType<Record<string, string | null>>).describe(description),
    {
      type: 'object',
      additionalProperties: { type: ['string', 'null'] },
      description,
    },
  );
}
export const MetadataPatch = metadataPatch();

/**
 * Text sent in a query string. A lone surrogate cannot be percent-encoded as
 * UTF-8 (the SDK's encoder would silently send another character): refused.
 */
export const QueryText = z.string().refine((t) => !/\p{Cs}/u.test(t), {
  message: 'must be valid Unicode text (it holds a lone surrogate)',
});

/** The opaque `next_page` cursor of a previous list response (SDK 1.16: string or null). */
export const PageCursor = QueryText;

export const Timestamp = z.string().describe('RFC 3339 timestamp');

/** Lists: `{"data": [...], "next_page": string | null}`; loose so new API fields pass. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: z.array(item), next_page: z.string().nullable() });
}
