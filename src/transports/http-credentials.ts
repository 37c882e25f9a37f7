// `--credentials from-request`: each HTTP request brings its own Anthropic
// keys. They live in one API client built for that request (its redaction
// covers them, its work-token memory dies with it) and are never stored or
// logged, so two users of one deployment cannot see or use each other's keys.
import type { IncomingHttpHeaders } from 'node:http';
import { createApiClient, type ApiClient, type ClientOptions } from '../api/client.js';
import type { Credentials } from '../api/credentials.js';
import { MissingCredentialError } from '../api/errors.js';
import type { Config } from '../config/config.js';

export const API_KEY_HEADER = 'x-anthropic-api-key';
export const ENVIRONMENT_KEY_HEADER = 'x-anthropic-environment-key';

/** Header names that carry secrets: never forwarded to the MCP layer, never logged. */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'proxy-authorization',
  API_KEY_HEADER,
  ENVIRONMENT_KEY_HEADER,
];

/** The request's keys, or a message naming the malformed header (never its value). */
export function requestCredentials(headers: IncomingHttpHeaders): Credentials | string {
  const creds: Credentials = {};
  for (const [header, key] of [
    [API_KEY_HEADER, 'apiKey'],
    [ENVIRONMENT_KEY_HEADER, 'environmentKey'],
  ] as const) {
    const value = headers[header];
    if (value === undefined || value === '') continue;
    // Node joins repeated headers with ", ", which this refuses too.
    if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value))
      return `${header}: must be one value of visible ASCII without spaces`;
    creds[key] = value;
  }
  return creds;
}

const HEADER_FOR: Record<string, string> = {
  ANTHROPIC_API_KEY: API_KEY_HEADER,
  ANTHROPIC_AUTH_TOKEN: API_KEY_HEADER,
  ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY_HEADER,
};

/** A missing key is the caller's to send: name the header, not the server's environment. */
function fromRequestHint(err: unknown, tool: string): unknown {
  if (!(err instanceof MissingCredentialError)) return err;
  const headers = [...new Set(err.variables.map((v) => HEADER_FOR[v] ?? v))];
  return new MissingCredentialError(
    headers,
    `${tool} needs the ${headers.join(' or ')} header on each request: this server runs with --credentials from-request, ` +
      "so every client sends its own keys. Add the header in your MCP client's configuration of this server.",
  );
}

/** An API client holding only this request's keys; the server's own are never used. */
export function requestClient(
  config: Config,
  creds: Credentials,
  options: ClientOptions,
): ApiClient {
  const client = createApiClient(
    { ...config, apiKey: creds.apiKey, authToken: undefined, environmentKey: creds.environmentKey },
    options,
  );
  const call: ApiClient['call'] = (name, params, opts) =>
    client.call(name, params, opts).catch((err: unknown) => {
      throw fromRequestHint(err, name);
    });
  return { ...client, call };
}
