// Tool-level arguments that are not API parameters, declared once and named
// by the tool entries that take them, and the results they can produce
// instead of the API's JSON (a dry run, a declined confirmation).
import { z } from 'zod';

export const DRY_RUN = {
  dry_run: z.boolean().optional().describe('true: return the request it would send and the current state; change nothing'),
} as const;

export const MAX_WAIT_MS = 60_000;

export const LONG_POLL = {
  wait_ms: z
    .int()
    .min(1)
    .max(MAX_WAIT_MS)
    .optional()
    .describe('Keep polling (block_ms at most 999 each) until work arrives or this time is up'),
} as const;

export const DEFAULT_MAX_ITEMS = 500;
export const MAX_MAX_ITEMS = 10_000;

export const WHOLE_LIST = {
  all: z.boolean().optional().describe('true: follow next_page and return every item, up to max_items'),
  max_items: z
    .int()
    .min(1)
    .max(MAX_MAX_ITEMS)
    .optional()
    .describe(`Most items to return (default ${DEFAULT_MAX_ITEMS} with all); a cut list returns next_page`),
} as const;

/** A dry run's answer. */
export const DryRunOutcome = z.object({
  dry_run: z.literal(true),
  request: z.object({ method: z.string(), url: z.string(), headers: z.record(z.string(), z.string()), body: z.unknown().optional() }),
  current: z.record(z.string(), z.unknown()).nullable(),
  current_error: z.string().optional(),
  note: z.string(),
});

/** The answer when a person declined or did not answer: nothing was done. */
export const NotDoneOutcome = z.object({
  done: z.literal(false),
  reason: z.enum(['declined', 'cancelled', 'no_answer']),
  note: z.string(),
});

/** Said of a list that does not hold everything there is. */
export const ListNote = z.object({ note: z.string().optional() });
