// The errors the emulator answers with, in Anthropic's body:
// {"type":"error","error":{"type","message","details"?},"request_id"}.

/**
 * The `error.type` the API uses per status. Statuses without a documented
 * type of their own (405, 409, 412) answer `invalid_request_error`, as the
 * real 412 of a heartbeat does (seen in the official SDK's tests).
 */
const TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'invalid_request_error',
  412: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export function errorTypeFor(status: number): string {
  return TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export interface ErrorDetails {
  error_code: string;
  [key: string]: unknown;
}

export class EmulatorError extends Error {
  override name = 'EmulatorError';
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ErrorDetails,
    readonly type: string = errorTypeFor(status),
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, errorCode?: string) =>
  new EmulatorError(400, message, errorCode ? { error_code: errorCode } : undefined);

export const notFound = (what: string, id: string) =>
  new EmulatorError(404, `${what} ${id} not found`);

export const conflict = (message: string) => new EmulatorError(409, message);

export function errorBody(err: EmulatorError, requestId: string): unknown {
  return {
    type: 'error',
    error: {
      type: err.type,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    },
    request_id: requestId,
  };
}
