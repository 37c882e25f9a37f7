// What a client learns before it has a token (RFC 9728): the protected
// resource metadata naming this resource and its authorization server, and
// the WWW-Authenticate challenges that point to it (RFC 6750 §3, and the
// MCP authorization spec's scope challenge).
import type { OAuthOptions } from './options.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** The document's address for this resource: the path-suffixed form (RFC 9728 §3.1). */
export function metadataUrl(opts: OAuthOptions): string {
  const u = new URL(opts.audience);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  return `${u.origin}${WELL_KNOWN}${path}`;
}

/** Paths that answer with the document: the suffixed form of the endpoint's path, and the bare one. */
export function metadataPaths(opts: OAuthOptions, mcpPath: string): string[] {
  const own = new URL(opts.audience).pathname.replace(/\/$/, '');
  return [...new Set([WELL_KNOWN, `${WELL_KNOWN}${own}`, `${WELL_KNOWN}${mcpPath}`])];
}

export function protectedResourceMetadata(
  opts: OAuthOptions,
  name: string,
): Record<string, unknown> {
  return {
    resource: opts.audience,
    authorization_servers: [opts.issuer],
    scopes_supported: [
      ...new Set([opts.readScope, opts.writeScope].filter((s): s is string => !!s)),
    ],
    bearer_methods_supported: ['header'],
    resource_name: name,
  };
}

/** Quoted-string content: our own words only, but keep the header well-formed whatever they are. */
const quoted = (s: string) => s.replace(/[\\"]/g, '').replace(/[^\x20-\x7e]/g, '');

/**
 * A 401's challenge: where the metadata is, and (when a token was sent) why
 * it was refused. A 403's names the scopes to ask for (step-up).
 */
export function challenge(
  opts: OAuthOptions,
  refusal: {
    error?: 'invalid_token' | 'insufficient_scope';
    description?: string;
    scope?: string;
  } = {},
): string {
  const parts = [`resource_metadata="${metadataUrl(opts)}"`];
  if (refusal.error) parts.push(`error="${refusal.error}"`);
  if (refusal.description) parts.push(`error_description="${quoted(refusal.description)}"`);
  // A 401 names no scope: a client then asks for all of scopes_supported (MCP's scope selection).
  if (refusal.scope) parts.push(`scope="${quoted(refusal.scope)}"`);
  return `Bearer ${parts.join(', ')}`;
}
