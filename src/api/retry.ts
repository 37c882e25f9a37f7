// The official SDKs' retry policy (README: Reliability and security, Retries), as pure functions.

export const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** The SDK's rule: 408, 409, 429 and 5xx retry; `x-should-retry` overrides. */
export function statusIsRetryable(status: number, shouldRetryHeader: string | undefined): boolean {
  if (shouldRetryHeader === 'true') return true;
  if (shouldRetryHeader === 'false') return false;
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/**
 * Deviation from the SDK, for calls that are not safe to repeat (create): a
 * gateway error (502, 504) may come after the origin did the write, so it is
 * not retried unless the API says `x-should-retry: true`; the tool reports the
 * outcome as unknown instead of risking a duplicate.
 */
export function statusIsRetryableOnce(
  status: number,
  shouldRetryHeader: string | undefined,
): boolean {
  if (shouldRetryHeader !== undefined) return statusIsRetryable(status, shouldRetryHeader);
  return status !== 502 && status !== 504 && statusIsRetryable(status, undefined);
}

/**
 * How long the API asked us to wait, in ms: `retry-after-ms`, else
 * `retry-after` (seconds or an HTTP date). Undefined when absent or unusable.
 */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): number | undefined {
  const ms = first(headers['retry-after-ms']);
  if (ms !== undefined) {
    const n = Number.parseFloat(ms);
    if (Number.isFinite(n)) return n;
  }
  const after = first(headers['retry-after']);
  if (after !== undefined) {
    const seconds = Number.parseFloat(after);
    if (Number.isFinite(seconds)) return seconds * 1000;
    const date = Date.parse(after);
    if (Number.isFinite(date)) return date - now;
  }
  return undefined;
}

/** The SDK uses the server's wait when 0 ≤ wait < 60 s, else its own backoff. */
export function retryDelayMs(
  retriesSoFar: number,
  asked: number | undefined,
  random = Math.random,
): number {
  if (asked !== undefined && asked >= 0 && asked < 60_000) return asked;
  const seconds = Math.min(0.5 * 2 ** retriesSoFar, 8);
  return seconds * (1 - random() * 0.25) * 1000;
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
