// Metadata patches, shared by environments and work items. The shapes check
// each request; the limit on the number of keys also holds for the result of
// a merge, which only the emulator can see.
import { METADATA_LIMITS } from '../shapes/common.js';
import { badRequest } from './errors.js';

/** Given keys are set, keys whose value `deletes` says so are removed, the rest are kept. */
export function mergeMetadata(
  current: Record<string, string>,
  patch: Record<string, string | null>,
  deletes: (value: string | null) => boolean,
): Record<string, string> {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (deletes(value)) delete next[key];
    else next[key] = value as string;
  }
  const keys = Object.keys(next).length;
  if (keys > METADATA_LIMITS.maxKeys) {
    throw badRequest(
      `metadata: at most ${METADATA_LIMITS.maxKeys} keys, and this update would leave ${keys}`,
      'invalid_metadata',
    );
  }
  return next;
}
