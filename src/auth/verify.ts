// Checks an access token for this resource: a JWT against the issuer's keys
// (JWKS, fetched and cached by jose, refetched when a token names a key it
// has not seen: rotation), its issuer, audience, expiry and not-before with a
// small clock skew; or, for an opaque token, the issuer's introspection
// endpoint (RFC 7662). A verdict never quotes the token.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { OAuthOptions } from './options.js';

export interface Principal {
  /** The token's subject (a user, or a client for client credentials). */
  subject: string;
  clientId?: string;
  scopes: readonly string[];
  groups: readonly string[];
  /** Seconds since the epoch. */
  expiresAt?: number;
}

export type Verdict =
  | { ok: true; principal: Principal }
  /** invalid_token: 401. unavailable: the issuer cannot be reached, 503. */
  | { ok: false; error: 'invalid_token' | 'unavailable'; description: string };

export interface Verifier {
  verify(token: string): Promise<Verdict>;
}

interface IssuerMetadata {
  jwks_uri?: string;
  introspection_endpoint?: string;
}

/** Only asymmetric algorithms: a shared secret or `none` never makes a token valid. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
const FETCH_TIMEOUT_MS = 5_000;

/** RFC 8414 / OpenID discovery locations for an issuer (with a path: inserted, then appended). */
export function metadataUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  const at = (wk: string) => `${u.origin}/.well-known/${wk}${path}`;
  return [
    at('oauth-authorization-server'),
    at('openid-configuration'),
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

async function discover(issuer: string): Promise<IssuerMetadata> {
  let last = 'no metadata found';
  for (const url of [...new Set(metadataUrls(issuer))]) {
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!res.ok) {
        last = `${url} answered ${res.status}`;
        continue;
      }
      const meta = (await res.json()) as IssuerMetadata & { issuer?: unknown };
      // RFC 8414 §3.3: metadata naming another issuer must not be used.
      if (meta.issuer !== issuer) {
        last = `${url} names another issuer`;
        continue;
      }
      return meta;
    } catch (err) {
      last = `${url}: ${(err as Error).name === 'TimeoutError' ? 'timed out' : ((err as { cause?: { code?: string } }).cause?.code ?? 'unreachable')}`;
    }
  }
  throw new Error(last);
}

const list = (v: unknown): string[] =>
  typeof v === 'string'
    ? v.split(' ').filter(Boolean)
    : Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string')
      : [];

function principalOf(
  claims: JWTPayload & Record<string, unknown>,
  opts: OAuthOptions,
): Principal | string {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  const clientId =
    typeof claims.client_id === 'string'
      ? claims.client_id
      : typeof claims.azp === 'string'
        ? claims.azp
        : undefined;
  if (!subject && !clientId) return 'the token names no subject';
  return {
    // Shown in the audit and access logs: no control or bidi characters, bounded.
    subject: (subject ?? clientId)!.replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 256),
    ...(clientId ? { clientId } : {}),
    // `scope` (RFC 9068, RFC 7662) or `scp` (some issuers: a list or a string).
    scopes: [...list(claims.scope), ...list(claims.scp)],
    groups: list(claims[opts.groupClaim]),
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
  };
}

/** Why jose refused a JWT, in words that echo nothing of it. */
function jwtReason(err: unknown): Verdict {
  const e = err as { code?: string; claim?: string; name?: string; message?: string };
  const bad = (description: string): Verdict => ({
    ok: false,
    error: 'invalid_token',
    description,
  });
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return bad('the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'aud') return bad('the token is not for this resource (aud)');
      if (e.claim === 'iss') return bad('the token is from another issuer (iss)');
      if (e.claim === 'nbf') return bad('the token is not valid yet (nbf)');
      return bad(`the token's ${String(e.claim ?? 'claims').slice(0, 20)} claim is not acceptable`);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return bad("the token's signing algorithm is not accepted");
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return bad('no key of the issuer matches the token');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return bad("the token's signature is not valid");
    case 'ERR_JWT_INVALID':
    case 'ERR_JWS_INVALID':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return bad('the token is malformed');
    case 'ERR_JWKS_TIMEOUT':
      return {
        ok: false,
        error: 'unavailable',
        description: "the issuer's keys could not be fetched in time",
      };
    default:
      if (typeof e.code === 'string' && e.code.startsWith('ERR_J'))
        return bad('the token is not valid');
      return {
        ok: false,
        error: 'unavailable',
        description: "the issuer's keys could not be fetched",
      };
  }
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]*\.[\w-]*$/.test(token);

export function createVerifier(opts: OAuthOptions): Verifier {
  let metadata: Promise<IssuerMetadata> | undefined;
  // Discovered once; a failure is forgotten, so the next request tries again.
  const meta = () =>
    (metadata ??= discover(opts.issuer).catch((err: unknown) => {
      metadata = undefined;
      throw err;
    }));
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  async function keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (jwks) return jwks;
    const uri = opts.jwksUri ?? (await meta()).jwks_uri;
    if (!uri) throw new Error('the issuer publishes no jwks_uri');
    // A token naming an unknown key refetches the set (at most once per cooldown): rotated keys are picked up.
    jwks = createRemoteJWKSet(new URL(uri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: opts.jwksCooldownSeconds * 1000,
      cacheMaxAge: 10 * 60_000,
    });
    return jwks;
  }

  async function verifyJwt(token: string): Promise<Verdict> {
    let set: ReturnType<typeof createRemoteJWKSet>;
    try {
      set = await keys();
    } catch (err) {
      return {
        ok: false,
        error: 'unavailable',
        description: `the issuer's metadata could not be read (${(err as Error).message.slice(0, 200)})`,
      };
    }
    try {
      const { payload } = await jwtVerify(token, set, {
        issuer: opts.issuer,
        audience: opts.audience,
        algorithms: ALGORITHMS,
        clockTolerance: opts.clockSkewSeconds,
        requiredClaims: ['exp'],
      });
      const p = principalOf(payload, opts);
      return typeof p === 'string'
        ? { ok: false, error: 'invalid_token', description: p }
        : { ok: true, principal: p };
    } catch (err) {
      return jwtReason(err);
    }
  }

  async function introspect(token: string): Promise<Verdict> {
    const { clientId, clientSecret } = opts.introspection!;
    let endpoint: string | undefined;
    try {
      endpoint = (await meta()).introspection_endpoint;
    } catch (err) {
      return {
        ok: false,
        error: 'unavailable',
        description: `the issuer's metadata could not be read (${(err as Error).message.slice(0, 200)})`,
      };
    }
    if (!endpoint)
      return {
        ok: false,
        error: 'unavailable',
        description: 'the issuer publishes no introspection_endpoint',
      };
    let body: Record<string, unknown>;
    try {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: 'error',
      });
      if (!res.ok)
        return {
          ok: false,
          error: 'unavailable',
          description: `the introspection endpoint answered ${res.status}`,
        };
      body = (await res.json()) as Record<string, unknown>;
    } catch {
      return {
        ok: false,
        error: 'unavailable',
        description: 'the introspection endpoint could not be reached',
      };
    }
    const bad = (description: string): Verdict => ({
      ok: false,
      error: 'invalid_token',
      description,
    });
    if (body.active !== true) return bad('the token is not active (expired, revoked or unknown)');
    const now = Date.now() / 1000;
    const skew = opts.clockSkewSeconds;
    if (body.iss !== undefined && body.iss !== opts.issuer)
      return bad('the token is from another issuer (iss)');
    if (!list(body.aud).includes(opts.audience))
      return bad('the token is not for this resource (aud)');
    if (typeof body.exp === 'number' && body.exp + skew < now) return bad('the token has expired');
    if (typeof body.nbf === 'number' && body.nbf - skew > now)
      return bad('the token is not valid yet (nbf)');
    const p = principalOf(body as JWTPayload, opts);
    return typeof p === 'string' ? bad(p) : { ok: true, principal: p };
  }

  return {
    async verify(token) {
      if (looksLikeJwt(token)) return verifyJwt(token);
      if (opts.introspection) return introspect(token);
      return {
        ok: false,
        error: 'invalid_token',
        description: 'the token is not a JWT and this server has no introspection configured',
      };
    },
  };
}
