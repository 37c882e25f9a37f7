// The gate in front of the MCP endpoint: DNS-rebinding protection (Host and
// Origin against allowlists) and the bearer token. Each check answers with a
// refusal (status and a message that echoes nothing the client sent) or null.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpOptions } from './http-options.js';

export interface Refusal {
  status: 401 | 403;
  message: string;
}

/** The host name of a Host header, port stripped, lower case (IPv6 keeps its brackets). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * A page on another site (or one that rebound its DNS name to this machine)
 * must not reach the endpoint: the Host must be a name we answer to, and a
 * browser's Origin must be the same origin or an allowed one. Clients that are
 * not browsers send no Origin.
 */
export function checkOrigin(headers: IncomingHttpHeaders, opts: HttpOptions): Refusal | null {
  const host = headers.host;
  if (!host || !opts.allowedHosts.has(hostName(host))) {
    return { status: 403, message: 'Forbidden: this Host is not allowed (see --allowed-hosts)' };
  }
  const origin = headers.origin;
  if (origin === undefined) return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  const sameOrigin = parsed !== undefined && parsed.host === host.toLowerCase();
  if (
    !parsed ||
    parsed.origin === 'null' ||
    !(sameOrigin || opts.allowedOrigins.has(parsed.origin))
  ) {
    return {
      status: 403,
      message: 'Forbidden: this Origin is not allowed (see --allowed-origins)',
    };
  }
  return null;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Compares digests, so neither the content nor the length of the token leaks through timing. */
export function tokenChecker(
  token: string | undefined,
): (headers: IncomingHttpHeaders) => Refusal | null {
  if (token === undefined) return () => null;
  const expected = digest(token);
  return (headers) => {
    const match = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) return null;
    return {
      status: 401,
      message: headers.authorization
        ? 'Unauthorized: the access token is wrong'
        : 'Unauthorized: send Authorization: Bearer <access token>',
    };
  };
}
