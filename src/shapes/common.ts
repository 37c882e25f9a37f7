// Building blocks shared by the environment and work shapes.
import { z } from 'zod';

// Ids end up as URL path segments. An allowlist (rather than a list of bad
// characters) makes `..`, `/`, `?`, `#`, `%2F`, white space and control
// characters impossible by construction, before any request is made.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export function resourceId(example: string) {
  return z
    .string()
    .regex(ID_PATTERN, { message: `must be an id like ${example}: 1-128 letters, digits, _ or -` })
    .describe(`Id, e.g. ${example}`);
}

export const EnvironmentId = resourceId('env_011CZkZ9X2dpNyB7HsEFoRfW');
export const WorkId = resourceId('work_011CZkZ9X2dpNyB7HsEFoRfW');

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
