// The official SDKs' retry policy (README: Reliability and security, Retries), as pure functions.
import { ApiError } from './errors.js';

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
 * How long the API asked us to wait, in ms, read exactly as @anthropic-ai/sdk
 * 1.16.0 reads it (client.js, retryRequest): `retry-after-ms` when it parses
 * as a number; `retry-after` (seconds, else an HTTP date) when there is no
 * `retry-after-ms` or it was 0. Undefined when absent or unparseable; the
 * value may be 0, negative or huge (`retryDelayMs` decides whether to use it).
 */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now = Date.now(),
): number | undefined {
  let wait: number | undefined;
  const ms = first(headers['retry-after-ms']);
  if (ms) {
    const n = Number.parseFloat(ms);
    if (!Number.isNaN(n)) wait = n;
  }
  const after = first(headers['retry-after']);
  if (after && !wait) {
    const seconds = Number.parseFloat(after);
    wait = Number.isNaN(seconds) ? Date.parse(after) - now : seconds * 1000;
  }
  return wait === undefined || Number.isNaN(wait) ? undefined : wait;
}

/** The longest wait one timer can represent; the SDK uses the server's wait only up to this. */
export const MAX_SERVER_WAIT_MS = 2 ** 31 - 1;

/** Whether the SDK would wait what the server asked: positive and at most 2^31-1 ms. */
export function serverWaitUsable(asked: number | undefined): asked is number {
  return asked !== undefined && asked > 0 && asked <= MAX_SERVER_WAIT_MS;
}

/**
 * The SDK's wait before retry number `retriesSoFar + 1`: the server's when
 * usable, else 0.5 s x 2^n capped at 8 s, less up to 25 % jitter.
 */
export function retryDelayMs(
  retriesSoFar: number,
  asked: number | undefined,
  random = Math.random,
): number {
  if (serverWaitUsable(asked)) return asked;
  const seconds = Math.min(0.5 * 2 ** retriesSoFar, 8);
  return seconds * (1 - random() * 0.25) * 1000;
}

/**
 * The API asked for a wait the call's deadline cannot cover: the API's error,
 * its message saying when to call again (the SDK would sleep that long).
 */
export function waitPastDeadline(error: ApiError, waitMs: number, now = Date.now()): ApiError {
  const at = new Date(now + waitMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const seconds = Math.ceil(waitMs / 1000);
  const message =
    `${error.message} (The API asked to wait ${seconds} s before retrying, longer than this call's deadline ` +
    `(AGENT_ENVIRONMENTS_DEADLINE_MS) allows: call again after ${at}.)`;
  return new ApiError(error.status, error.type, message, error.requestId, error.details, seconds);
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
