// Whole lists and response budgets. A list is fetched page by page in order;
// every item remembers where it came from, so a list cut anywhere (by
// max_items or by the response budget) can hand back a `next_page` that
// resumes at exactly the first item left out — even in the middle of an API
// page, which the API's own cursors cannot express.

export class ArgumentError extends Error {
  override name = 'ArgumentError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

interface Page {
  data: unknown[];
  next_page: string | null;
  [key: string]: unknown;
}

/** Where an item came from: the API cursor of its page (undefined: the first page) and its index there. */
interface Origin {
  page: string | undefined;
  index: number;
}

export interface Collected {
  items: unknown[];
  origins: Origin[];
  /** The cursor to continue after the last item collected, or null at the end of the list. */
  next: string | null;
  /** Page size asked of the API, kept in our own cursors so that an index stays meaningful. */
  limit: number | undefined;
  /** The last page as the API sent it, for any fields besides data and next_page. */
  last: Page;
  /** Set when max_items stopped the walk before the end. */
  cutAtMax?: number;
}

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

// Our cursors resume inside an API page. The prefix cannot start an API
// cursor we pass through, which are used as they are.
const RESUME = 'resume:';
const WHOLE_LIST_PAGE = 100;

function resumeCursor(o: Origin, limit: number | undefined): string {
  if (o.index === 0 && o.page !== undefined) return o.page;
  const json = JSON.stringify({
    p: o.page ?? null,
    i: o.index,
    ...(limit !== undefined ? { l: limit } : {}),
  });
  return RESUME + Buffer.from(json).toString('base64url');
}

/** Splits a `page` argument into the API cursor to fetch and how many of its items to skip. */
export function readCursor(page: string | undefined): {
  page: string | undefined;
  skip: number;
  limit?: number;
} {
  if (page === undefined || !page.startsWith(RESUME)) return { page, skip: 0 };
  try {
    const v = JSON.parse(Buffer.from(page.slice(RESUME.length), 'base64url').toString('utf8')) as {
      p?: unknown;
      i?: unknown;
      l?: unknown;
    };
    const ok =
      (v.p === null || typeof v.p === 'string') &&
      Number.isSafeInteger(v.i) &&
      (v.i as number) >= 0 &&
      (v.l === undefined || (Number.isSafeInteger(v.l) && (v.l as number) > 0));
    if (ok)
      return {
        page: (v.p as string | null) ?? undefined,
        skip: v.i as number,
        ...(v.l !== undefined ? { limit: v.l as number } : {}),
      };
  } catch {
    // fall through to the error below
  }
  throw new ArgumentError('page', 'must be the next_page value of a previous response, unchanged');
}

export interface CollectOptions {
  /** Follow next_page to the end (or max_items). */
  all: boolean;
  maxItems?: number;
  /** Stop following pages once the items add up to this many bytes (the response budget). */
  stopAtBytes?: number;
  signal?: AbortSignal;
  progress?: (progress: number, total: number | undefined, message: string) => void;
}

/**
 * Fetches one page, or every page in order with `all`, from where `params.page`
 * points. `fetch` is the API call with the list's own parameters.
 */
export async function collectPages(
  fetch: (params: Record<string, unknown>) => Promise<Page>,
  params: Record<string, unknown>,
  opts: CollectOptions,
): Promise<Collected> {
  const start = readCursor(params.page as string | undefined);
  const max = opts.maxItems ?? Infinity;
  // A whole list in pages of the API's default size would take many round trips.
  const limit =
    start.limit ??
    (params.limit as number | undefined) ??
    (opts.all ? Math.min(max, WHOLE_LIST_PAGE) : undefined);
  const items: unknown[] = [];
  const origins: Origin[] = [];
  let bytes = 0;
  let cursor = start.page;
  let skip = start.skip;
  for (let pages = 1; ; pages++) {
    const page = await fetch({ ...params, page: cursor, limit });
    for (let i = skip; i < page.data.length; i++) {
      if (items.length >= max) {
        return {
          items,
          origins,
          next: resumeCursor({ page: cursor, index: i }, limit),
          limit,
          last: page,
          cutAtMax: max,
        };
      }
      items.push(page.data[i]);
      origins.push({ page: cursor, index: i });
      if (opts.stopAtBytes !== undefined) bytes += size(page.data[i]);
    }
    skip = 0;
    // Over the budget already: what follows would only be cut off again.
    const full = opts.stopAtBytes !== undefined && bytes > opts.stopAtBytes;
    const done = !opts.all || full || page.next_page === null || page.next_page === undefined;
    if (done || items.length >= max) {
      const cut = !done && items.length >= max;
      return {
        items,
        origins,
        next: page.next_page ?? null,
        limit,
        last: page,
        ...(cut ? { cutAtMax: max } : {}),
      };
    }
    opts.progress?.(
      items.length,
      undefined,
      `${items.length} items from ${pages} page${pages > 1 ? 's' : ''}`,
    );
    opts.signal?.throwIfAborted();
    cursor = page.next_page as string;
  }
}

/**
 * The tool result of a collected list: the API's page with every item
 * collected, cut at an item boundary when it would exceed `budget` bytes,
 * with a continuation and a plain note whenever it does not hold everything.
 */
export function listResult(c: Collected, budget: number): Record<string, unknown> {
  const shaped = (k: number, note: string | undefined): Record<string, unknown> => ({
    ...c.last,
    data: c.items.slice(0, k),
    next_page: k < c.items.length ? resumeCursor(c.origins[k]!, c.limit) : c.next,
    ...(note ? { note } : {}),
  });
  const n = c.items.length;
  const maxNote =
    c.cutAtMax !== undefined
      ? `Holds ${n} items: max_items (${c.cutAtMax}) was reached before the end. Pass next_page as page to continue.`
      : undefined;
  const whole = shaped(n, maxNote);
  if (n === 0 || size(whole) <= budget) return whole;

  const budgetNote = (k: number) =>
    `Holds ${k} of the ${n} items fetched: all of them would exceed the ${budget}-byte response budget. ` +
    'Pass next_page as page to continue (a smaller limit also helps).';
  // Item sizes add up (plus a comma each); the rest of the object barely
  // changes with k, so the largest k that fits is found in one pass.
  const itemSizes = c.items.map(size);
  const frame = (k: number) => size(shaped(0, budgetNote(k)));
  let k = 0;
  let total = frame(1);
  while (k < n && total + itemSizes[k]! + (k > 0 ? 1 : 0) <= budget) {
    total += itemSizes[k]! + (k > 0 ? 1 : 0);
    k++;
  }
  // Never return nothing: one item over the budget beats a list that cannot advance.
  k = Math.max(k, 1);
  while (k > 1 && size(shaped(k, budgetNote(k))) > budget) k--;
  return shaped(k, budgetNote(k));
}
