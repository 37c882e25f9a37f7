// Holds one JSON value to a byte bound, so that no single answer (a 5 MiB
// description, a 2.5 MiB error message, details nested 100,000 deep) can make
// a result line the MCP client refuses, which ends the session. Long strings
// are shortened and deep nesting is cut, each named in a note; a value that
// is within the bound is returned as it is.

/** Deeper than this, a value is left out (JSON.stringify would overflow the stack long before a reader cares). */
export const MAX_DEPTH = 32;

// Tried in turn until the value fits.
const STRING_LIMITS = [16_384, 4096, 1024, 256, 64];
const NAMED_CUTS = 5;

export interface Bounded {
  value: unknown;
  /** What was cut, for a note; empty when nothing was. */
  cuts: string[];
}

/** The JSON text of `value`, or undefined when it cannot be written (nested too deep). */
export function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function copy(value: unknown, limit: number, path: string, depth: number, cuts: string[]): unknown {
  if (typeof value === 'string') {
    if (value.length <= limit) return value;
    cuts.push(`${path || '(value)'} shortened from ${value.length} to ${limit} characters`);
    return `${value.slice(0, limit)}…`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) {
    cuts.push(`${path || '(value)'} left out: nested deeper than ${MAX_DEPTH} levels`);
    return '[left out: nested too deeply]';
  }
  if (Array.isArray(value))
    return value.map((v, i) => copy(v, limit, `${path}[${i}]`, depth + 1, cuts));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.length > 64 ? `${k.slice(0, 64)}…` : k;
    out[k] = copy(v, limit, path ? `${path}.${key}` : key, depth + 1, cuts);
  }
  return out;
}

/** One line naming what was cut (the first few, then how many more). */
export function describeCuts(cuts: readonly string[], budget: number): string {
  const named = cuts.slice(0, NAMED_CUTS).join('; ');
  const more = cuts.length > NAMED_CUTS ? `; and ${cuts.length - NAMED_CUTS} more` : '';
  return `Cut to fit the ${budget}-byte bound of one answer: ${named}${more}.`;
}

/**
 * `value` held to `budget` bytes of JSON. Nesting past MAX_DEPTH is always
 * cut; strings are shortened only as far as needed. A value that still does
 * not fit (thousands of short fields) is replaced by a note.
 */
export function bound(value: unknown, budget: number, text = jsonText(value)): Bounded {
  if (text !== undefined && Buffer.byteLength(text) <= budget) return { value, cuts: [] };
  for (const limit of text === undefined ? [Infinity, ...STRING_LIMITS] : STRING_LIMITS) {
    const cuts: string[] = [];
    const shortened = copy(value, limit, '', 0, cuts);
    const t = jsonText(shortened);
    if (t !== undefined && Buffer.byteLength(t) <= budget) return { value: shortened, cuts };
  }
  return {
    value: { withheld: true },
    cuts: ['the whole answer withheld: even shortened it would not fit'],
  };
}
