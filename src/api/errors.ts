// What can go wrong in a call, as values the tool layer can explain.

/** The API answered with an error status. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly requestId: string | undefined,
    readonly details: unknown,
    /** Seconds the API asked us to wait, when it said so. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export type TransportFailure =
  | 'timeout' // one attempt took longer than the request timeout
  | 'deadline' // the whole call, retries included, ran out of time
  | 'cancelled' // the MCP request was cancelled
  | 'network' // connection refused, reset or closed
  | 'too_large' // the response exceeded the size cap
  | 'bad_body' // the response was not the JSON it claimed to be
  | 'redirect'; // a 3xx: never followed, so credentials stay with the configured origin

/** No usable answer came back. */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    readonly failure: TransportFailure,
    message: string,
    /** True when a write may have happened although no answer arrived. */
    readonly outcomeUnknown = false,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** The operation needs a credential that is not configured. */
export class MissingCredentialError extends Error {
  override name = 'MissingCredentialError';
  constructor(
    readonly variables: readonly string[],
    message: string,
  ) {
    super(message);
  }
}
