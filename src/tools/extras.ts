// Tool-level arguments that are not API parameters, declared once and named
// by the tool entries that take them.
import { z } from 'zod';

export const DRY_RUN = {
  dry_run: z
    .boolean()
    .optional()
    .describe('Only show what would be sent, and the target now; change nothing'),
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
  all: z.boolean().optional().describe('Follow next_page and return every item, up to max_items'),
  max_items: z
    .int()
    .min(1)
    .max(MAX_MAX_ITEMS)
    .optional()
    .describe(`Cap with all (default ${DEFAULT_MAX_ITEMS}); a cut list returns next_page`),
} as const;
