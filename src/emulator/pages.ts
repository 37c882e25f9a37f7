// Cursor pagination, newest first. A cursor names the last item of the page
// it ended (by creation sequence) and the list it belongs to, so pages stay
// stable while items are added or deleted: new items never shift a page, and
// a deleted item is simply not there. Finding the page start is a binary
// search, so a page of a 100,000-item list costs what a page of 10 does.
import { badRequest } from './errors.js';

export const DEFAULT_PAGE_LIMIT = 20;

export interface Sequenced {
  seq: number;
}

export interface Page<T> {
  data: T[];
  next_page: string | null;
}

interface CursorBody {
  /** Which list: "environments" or "work:<environment id>". */
  l: string;
  /** Sequence number of the last item returned. */
  s: number;
}

export function encodeCursor(list: string, seq: number): string {
  return Buffer.from(JSON.stringify({ l: list, s: seq } satisfies CursorBody)).toString(
    'base64url',
  );
}

function decodeCursor(page: string, list: string): number {
  let body: Partial<CursorBody> | undefined;
  try {
    body = JSON.parse(Buffer.from(page, 'base64url').toString('utf8')) as Partial<CursorBody>;
  } catch {
    body = undefined;
  }
  if (!body || body.l !== list || typeof body.s !== 'number' || !Number.isSafeInteger(body.s)) {
    throw badRequest(
      'page: not a next_page value of this list; pass the next_page of the previous response unchanged',
    );
  }
  return body.s;
}

/** Index of the first element whose seq is >= seq (sorted ascending). */
function lowerBound(sorted: readonly Sequenced[], seq: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One page of `sorted` (ascending by seq), newest first, of items that pass
 * `keep`. `next_page` is null exactly when no further item passes.
 */
export function pageOf<T extends Sequenced>(
  sorted: readonly T[],
  list: string,
  opts: { limit?: number; page?: string; keep?: (item: T) => boolean },
): Page<T> {
  const limit = opts.limit ?? DEFAULT_PAGE_LIMIT;
  let i =
    opts.page === undefined
      ? sorted.length - 1
      : lowerBound(sorted, decodeCursor(opts.page, list)) - 1;
  const data: T[] = [];
  for (; i >= 0; i--) {
    const item = sorted[i]!;
    if (opts.keep && !opts.keep(item)) continue;
    if (data.length === limit)
      return { data, next_page: encodeCursor(list, data[data.length - 1]!.seq) };
    data.push(item);
  }
  return { data, next_page: null };
}
