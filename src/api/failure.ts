// The one place that turns a failed call into words and facts: tool results
// (../calls/results.ts), dry runs, confirmations, diagnose_work_queue and the
// doctor all describe an ApiError, TransportError or MissingCredentialError
// through here.
import { ApiError, MissingCredentialError, TransportError } from './errors.js';

/** What failed, as the `error` object of a tool result carries it; undefined for a bug of ours. */
export function failureFacts(err: unknown): Record<string, unknown> | undefined {
  if (err instanceof ApiError) {
    return {
      status: err.status,
      type: err.type,
      message: err.message,
      request_id: err.requestId ?? null,
      ...(err.details !== undefined ? { details: err.details } : {}),
      ...(err.retryAfterSeconds !== undefined
        ? { retry_after_seconds: err.retryAfterSeconds }
        : {}),
    };
  }
  if (err instanceof TransportError) {
    return {
      type: err.failure,
      message: err.message,
      outcome_unknown: err.outcomeUnknown,
      request_id: err.requestId ?? null,
    };
  }
  if (err instanceof MissingCredentialError) {
    return { type: 'missing_credential', message: err.message, variables: err.variables };
  }
  return undefined;
}

/** Why a call failed, in one line (no credential in it: messages never hold one). */
export function describeFailure(err: unknown): string {
  if (err instanceof MissingCredentialError) return `needs ${err.variables.join(' or ')}`;
  if (err instanceof ApiError) {
    const id = err.requestId ? ` (request-id ${err.requestId})` : '';
    return `the API answered ${err.status} ${err.type}: ${err.message}${id}`;
  }
  if (err instanceof TransportError) return err.message;
  return (err as Error)?.message ?? String(err);
}
