// The settings of HTTP mode, read from the parsed values and checked once at
// start: a mistake here is a ConfigError (exit 2), never a surprise later.
import { readFileSync } from 'node:fs';
import { ConfigError, isLoopbackHost, type Values } from '../config/config.js';
import { SETTINGS } from '../config/settings.js';

export type CredentialSource = 'env' | 'from-request';

export interface HttpOptions {
  host: string;
  port: number;
  path: string;
  /** Bearer token every request must carry; required unless bound to loopback. */
  token: string | undefined;
  /** Lower-case host names (IPv6 in brackets) accepted in the Host header. */
  allowedHosts: ReadonlySet<string>;
  /** Exact origins accepted in the Origin header besides the same origin. */
  allowedOrigins: ReadonlySet<string>;
  credentials: CredentialSource;
  maxBodyBytes: number;
  requestTimeoutMs: number;
}

const MIN_TOKEN_LENGTH = 16;

/** `--path (AGENT_ENVIRONMENTS_PATH)`: the value may have come from either. */
function named(key: string): string {
  const s = SETTINGS.find((x) => x.key === key)!;
  return s.flag ? `--${s.flag} (${s.env})` : s.env;
}

/** The Host-header form of a bind address: IPv6 in brackets, lower case. */
function hostForm(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** Loopback addresses and names; `::1` may come bracketed or not. */
export function isLoopbackAddress(host: string): boolean {
  return isLoopbackHost(hostForm(host));
}

function readToken(values: Values): string | undefined {
  const file = values.httpTokenFile;
  const inline = values.httpToken;
  if (file !== undefined && inline !== undefined) {
    throw new ConfigError(
      'set either AGENT_ENVIRONMENTS_HTTP_TOKEN or --http-token-file, not both',
    );
  }
  let token = inline;
  let from = 'AGENT_ENVIRONMENTS_HTTP_TOKEN';
  if (file !== undefined) {
    from = `${named('httpTokenFile')} ${file}`;
    try {
      token = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(
        `${from}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  if (token === undefined) return undefined;
  // Never quote the token itself in these messages.
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ConfigError(`${from}: the token must be visible ASCII without spaces`);
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `${from}: the token must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`,
    );
  }
  return token;
}

export function httpOptions(values: Values): HttpOptions {
  const host = values.host ?? '127.0.0.1';
  const path = values.path ?? '/mcp';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(path) || path.includes('//')) {
    throw new ConfigError(
      `${named('path')}: must start with / and hold only letters, digits and . _ ~ - /, got "${path.slice(0, 40)}"`,
    );
  }
  if (path === '/healthz') throw new ConfigError(`${named('path')}: /healthz is the health check`);
  const credentials = values.credentials ?? 'env';
  if (credentials !== 'env' && credentials !== 'from-request') {
    throw new ConfigError(
      `${named('credentials')}: must be env or from-request, got "${credentials.slice(0, 40)}"`,
    );
  }
  const token = readToken(values);
  if (!token && !isLoopbackAddress(host)) {
    throw new ConfigError(
      `--host ${host} is not a loopback address: refusing to serve without an access token. ` +
        'Set AGENT_ENVIRONMENTS_HTTP_TOKEN or --http-token-file; clients then send it as Authorization: Bearer <token>.',
    );
  }
  const allowedHosts = new Set(['localhost', '127.0.0.1', '[::1]']);
  // A wildcard bind has no name of its own: the operator lists the public names.
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]') allowedHosts.add(hostForm(host));
  for (const h of values.allowedHosts ?? []) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(h)) {
      throw new ConfigError(
        `${named('allowedHosts')}: "${h.slice(0, 60)}" is not a host name (no scheme, port or path)`,
      );
    }
    allowedHosts.add(h.toLowerCase());
  }
  const allowedOrigins = new Set<string>();
  for (const o of values.allowedOrigins ?? []) {
    let origin: string | undefined;
    try {
      origin = new URL(o).origin;
    } catch {
      origin = undefined;
    }
    if (!origin || origin === 'null' || origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(
        `${named('allowedOrigins')}: "${o.slice(0, 60)}" is not an origin like https://app.example.com`,
      );
    }
    allowedOrigins.add(origin);
  }
  return {
    host,
    port: values.port ?? 3000,
    path,
    token,
    allowedHosts,
    allowedOrigins,
    credentials,
    maxBodyBytes: values.httpMaxBodyBytes ?? 1024 * 1024,
    requestTimeoutMs: values.httpRequestTimeoutMs ?? 120_000,
  };
}
