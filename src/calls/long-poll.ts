// poll_work_item with wait_ms: the API blocks at most 999 ms per poll, so a
// longer wait is a series of polls, each as long as the time left allows.
import { setTimeout as sleep } from 'node:timers/promises';

const API_MAX_BLOCK_MS = 999;

export interface LongPollOptions {
  waitMs: number;
  signal: AbortSignal;
  progress?: (progress: number, total: number | undefined, message: string) => void;
}

/** Polls until an item arrives (returned) or the wait is over (null). Throws when cancelled. */
export async function longPoll<T>(
  poll: (params: Record<string, unknown>) => Promise<T | null>,
  params: Record<string, unknown>,
  opts: LongPollOptions,
): Promise<T | null> {
  const started = Date.now();
  const deadline = started + opts.waitMs;
  const asked = (params.block_ms as number | undefined) ?? API_MAX_BLOCK_MS;
  for (let polls = 1; ; polls++) {
    const left = deadline - Date.now();
    const block = Math.max(1, Math.min(asked, API_MAX_BLOCK_MS, left));
    const before = Date.now();
    const work = await poll({ ...params, block_ms: block });
    if (work !== null) return work;
    if (deadline - Date.now() <= 0) return null;
    opts.progress?.(
      Date.now() - started,
      opts.waitMs,
      `no work yet after ${polls} poll${polls > 1 ? 's' : ''}`,
    );
    // An API that answers at once instead of blocking must not be polled in
    // a tight loop: each round takes at least its block time.
    const early = block - (Date.now() - before);
    if (early > 0)
      await sleep(Math.min(early, deadline - Date.now()), undefined, { signal: opts.signal });
    opts.signal.throwIfAborted();
    if (deadline - Date.now() <= 0) return null;
  }
}
