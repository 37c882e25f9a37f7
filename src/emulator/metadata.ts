// Metadata patches, shared by environments and work items. The API refuses
// "too many keys, a key or value that is too long, or a reserved key"
// (SDK 1.16) without saying the numbers: these are the emulator's own
// (README), checked on what a merge keeps, so that deleting keys never
// counts against the limit.
import { badRequest } from './errors.js';

export const METADATA_LIMITS = { maxKeys: 16, maxKeyLength: 64, maxValueLength: 512 } as const;
/** Keys the emulator treats as reserved: `__proto__` cannot be a key of a plain object. */
const RESERVED_KEYS = new Set(['__proto__']);

function problemsOf(key: string, value: string): string[] {
  const problems: string[] = [];
  if (RESERVED_KEYS.has(key)) problems.push(`metadata.${key}: a reserved key`);
  if (key.length < 1 || key.length > METADATA_LIMITS.maxKeyLength) {
    problems.push(
      `metadata.${key.slice(0, 80)}: a key must be 1-${METADATA_LIMITS.maxKeyLength} characters`,
    );
  }
  if (value.length > METADATA_LIMITS.maxValueLength) {
    problems.push(
      `metadata.${key.slice(0, 80)}: value longer than ${METADATA_LIMITS.maxValueLength} characters`,
    );
  }
  return problems;
}

/** Given keys are set, keys whose value `deletes` says so are removed, the rest are kept. */
export function mergeMetadata(
  current: Record<string, string>,
  patch: Record<string, string | null>,
  deletes: (value: string | null) => boolean,
): Record<string, string> {
  const next = new Map(Object.entries(current));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (deletes(value)) {
      next.delete(key);
    } else {
      problems.push(...problemsOf(key, value as string));
      next.set(key, value as string);
    }
  }
  if (next.size > METADATA_LIMITS.maxKeys) {
    problems.push(
      `metadata: at most ${METADATA_LIMITS.maxKeys} keys, and this would leave ${next.size}`,
    );
  }
  if (problems.length > 0) throw badRequest(problems.join('; '), 'invalid_metadata');
  return Object.fromEntries(next);
}
