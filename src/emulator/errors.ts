// The errors the emulator answers with, in Anthropic's body:
// {"type":"error","error":{"type","message","details"?},"request_id"}.

import { errorTypeFor } from '../api/error-types.js';

// The status → error.type table is the client's too (one table: ../api/error-types.ts).
export { errorTypeFor };

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
