// The OAuth settings of HTTP mode (an OAuth 2.1 resource server, as the MCP
// authorization spec describes), checked once at start: a mistake is a
// ConfigError naming the flag, never a surprise on the first request.
import { ConfigError, isLoopbackHost, type Values } from '../config/config.js';
import { SETTINGS } from '../config/settings.js';

export interface OAuthOptions {
  /** The authorization server's issuer identifier, exactly as its tokens carry it. */
  issuer: string;
  /** This resource's identifier: the MCP endpoint's public URL, the tokens' `aud`. */
  audience: string;
  /** Where the issuer's keys are; found through the issuer's metadata when absent. */
  jwksUri?: string;
  /** Set when opaque tokens are checked by RFC 7662 introspection. */
  introspection?: { clientId: string; clientSecret: string };
  /** Needed for any request; undefined when none is. */
  readScope: string | undefined;
  /** Needed for tools that change something. */
  writeScope: string;
  clockSkewSeconds: number;
  /** A token naming a key not in the cached set refetches it, at most this often (rotation). */
  jwksCooldownSeconds: number;
  /** The claim that lists the token's groups (for the key mapping). */
  groupClaim: string;
}

function named(key: string): string {
  const s = SETTINGS.find((x) => x.key === key)!;
  return s.flag ? `--${s.flag} (${s.env})` : s.env;
}

/** https, or http to a loopback host; no user, query or fragment. */
function checkUrl(key: string, text: string, pathAllowed = true): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${named(key)}: not a URL, got "${text.slice(0, 60)}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      `${named(key)}: must be https:// (plain http:// only to a loopback host)`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${named(key)}: must not hold a user name, password, query or fragment`);
  }
  if (!pathAllowed && url.pathname !== '/')
    throw new ConfigError(`${named(key)}: must not hold a path`);
  return text;
}

const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

function scope(key: string, text: string | undefined, fallback: string): string {
  const s = text ?? fallback;
  // RFC 6749 scope-token characters: it goes into a WWW-Authenticate header as is.
  if (!SCOPE.test(s))
    throw new ConfigError(
      `${named(key)}: "${s.slice(0, 40)}" is not a scope name (visible ASCII, no space, " or \\)`,
    );
  return s;
}

/** Undefined when OAuth is off (no --oauth-issuer). */
export function oauthOptions(values: Values): OAuthOptions | undefined {
  const issuer = values.oauthIssuer;
  const dependents = (
    ['oauthAudience', 'oauthJwksUri', 'oauthIntrospectionClientId', 'oauthKeyMap'] as const
  ).filter((k) => values[k] !== undefined);
  if (issuer === undefined) {
    if (dependents.length)
      throw new ConfigError(`${named(dependents[0]!)} needs ${named('oauthIssuer')}`);
    return undefined;
  }
  checkUrl('oauthIssuer', issuer);
  const audience = values.oauthAudience;
  if (audience === undefined) {
    throw new ConfigError(
      `${named('oauthAudience')} is needed with ${named('oauthIssuer')}: the MCP endpoint's public URL, e.g. https://mcp.example.com/mcp`,
    );
  }
  checkUrl('oauthAudience', audience);
  const jwksUri = values.oauthJwksUri;
  if (jwksUri !== undefined) checkUrl('oauthJwksUri', jwksUri);
  const clientId = values.oauthIntrospectionClientId;
  const clientSecret = values.oauthIntrospectionClientSecret;
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    throw new ConfigError(
      `${named('oauthIntrospectionClientId')} and ${named('oauthIntrospectionClientSecret')} go together`,
    );
  }
  const readScope =
    values.oauthReadScope === ''
      ? undefined
      : scope('oauthReadScope', values.oauthReadScope, 'environments:read');
  return {
    issuer,
    audience,
    jwksUri,
    introspection: clientId !== undefined ? { clientId, clientSecret: clientSecret! } : undefined,
    readScope,
    writeScope: scope('oauthWriteScope', values.oauthWriteScope, 'environments:write'),
    clockSkewSeconds: values.oauthClockSkewSeconds ?? 30,
    jwksCooldownSeconds: values.oauthJwksCooldownSeconds ?? 30,
    groupClaim: values.oauthGroupClaim ?? 'groups',
  };
}
