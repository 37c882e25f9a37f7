// Building blocks shared by the environment and work shapes.
import { z } from 'zod';
import { ENVIRONMENT_ID_EXAMPLE, ID_PATTERN, idRule, WORK_ID_EXAMPLE } from './ids.js';

export function resourceId(example: string, what: string) {
  return z
    .string()
    .regex(ID_PATTERN, { message: idRule(example) })
    .describe(`${what} id (${example.slice(0, example.indexOf('_') + 1)}…)`);
}

export const EnvironmentId = resourceId(ENVIRONMENT_ID_EXAMPLE, 'Environment');
export const WorkId = resourceId(WORK_ID_EXAMPLE, 'Work item');

// Limits of the API's metadata (the same as other Managed Agents resources).
export const METADATA_LIMITS = { maxKeys: 16, maxKeyLength: 64, maxValueLength: 512 } as const;

// `__proto__` cannot survive being copied into a plain object: refuse it rather than drop it.
const MetadataKey = z
  .string()
  .min(1)
  .max(METADATA_LIMITS.maxKeyLength)
  .refine((k) => k !== '__proto__', { message: 'must not be __proto__' });
const MetadataValue = z.string().max(METADATA_LIMITS.maxValueLength);

export const Metadata = z
  .record(MetadataKey, MetadataValue)
  .refine((m) => Object.keys(m).length <= METADATA_LIMITS.maxKeys, {
    message: `at most ${METADATA_LIMITS.maxKeys} keys`,
  })
  .describe('String key-value pairs');

/** A metadata patch: a `null` (or, for environments, "") value deletes the key. */
export const MetadataPatch = z
  .record(MetadataKey, MetadataValue.nullable())
  .refine((m) => Object.keys(m).length <= METADATA_LIMITS.maxKeys, {
    message: `at most ${METADATA_LIMITS.maxKeys} keys`,
  })
  .describe('Keys to set; a null value deletes the key, omitted keys are kept');

/** The opaque `next_page` cursor of a previous list response. */
export const PageCursor = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[\x21-\x7e]+$/, { message: 'must be the next_page value of a previous response' })
  .describe('next_page of the previous response');

export const Timestamp = z.string().describe('RFC 3339 timestamp');

/** Lists: `{"data": [...], "next_page": string | null}`; loose so new API fields pass. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.looseObject({ data: z.array(item), next_page: z.string().nullable() });
}
