// The `error.type` the API uses per HTTP status, one table for the client
// (an error body without a type, e.g. from a gateway) and the emulator (every
// error it answers). Statuses without a documented type of their own (405,
// 409, 412) answer `invalid_request_error`, as the real 412 of a heartbeat
// does (README: Behaviour where the reference is silent).
const TYPES: Readonly<Record<number, string>> = {
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
