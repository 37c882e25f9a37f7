// A real OpenID provider (oidc-provider, a certified implementation) on a
// loopback port, for the resource server's tests: client credentials,
// authorization code + PKCE (its development sign-in pages, driven like a
// browser would), JWT or opaque access tokens for our resource, introspection.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';

export const READ = 'environments:read';
export const WRITE = 'environments:write';
export const MACHINE = { id: 'machine-client', secret: 'machine-client-secret-0123456789abcdef' };
export const INTROSPECTOR = {
  id: 'resource-server',
  secret: 'resource-server-secret-0123456789abcdef',
};
export const PERSON = { id: 'person-client', redirect: 'http://127.0.0.1:1/callback' };

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    kid,
    privateKey,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

export interface OidcOptions {
  /** Signing keys, the first one signs. */
  keys: SigningKey[];
  /** Listen on this port (a restart with rotated keys keeps the issuer). */
  port?: number;
  format?: 'jwt' | 'opaque';
  ttlSeconds?: number;
  /** The groups claim each account's tokens carry. */
  groups?: Record<string, string[]>;
}

export interface Oidc {
  issuer: string;
  port: number;
  close(): Promise<void>;
  /** A client credentials token for `resource` with these scopes. */
  clientCredentials(resource: string, scope: string): Promise<string>;
  /** Signs a token with one of the keys (for tokens the provider would not issue: expired, wrong issuer). */
  handMade(key: SigningKey, claims: Record<string, unknown>): Promise<string>;
}

export async function startOidc(opts: OidcOptions): Promise<Oidc> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: MACHINE.id,
        client_secret: MACHINE.secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: `${READ} ${WRITE}`,
      },
      {
        client_id: INTROSPECTOR.id,
        client_secret: INTROSPECTOR.secret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: PERSON.id,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [PERSON.redirect],
        scope: `openid ${READ} ${WRITE}`,
      },
    ],
    jwks: { keys: opts.keys.map((k) => k.privateJwk) as never },
    scopes: ['openid', READ, WRITE],
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) =>
          (Array.isArray(oneOf) ? oneOf[0] : oneOf) as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: `${READ} ${WRITE}`,
          audience: resource,
          accessTokenTTL: opts.ttlSeconds ?? 600,
          accessTokenFormat: opts.format ?? 'jwt',
          ...(opts.format === 'opaque' ? {} : { jwt: { sign: { alg: 'RS256' } } }),
        }),
      },
    },
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) =>
      token.accountId && opts.groups?.[token.accountId]
        ? { groups: opts.groups[token.accountId] }
        : undefined,
    findAccount: (_ctx: unknown, id: string) => ({ accountId: id, claims: () => ({ sub: id }) }),
    pkce: { required: () => true },
  } as never);
  http.on('request', provider.callback());
  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
    async clientCredentials(resource, scope) {
      // Once more on a socket error: a kept-alive connection may be to a provider that has since restarted.
      const send = (init: RequestInit) =>
        fetch(`${issuer}/token`, init).catch(() => fetch(`${issuer}/token`, init));
      const res = await send({
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${MACHINE.id}:${MACHINE.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await res.json()) as {
        access_token?: string;
        error?: string;
        error_description?: string;
      };
      if (!body.access_token)
        throw new Error(`token endpoint: ${res.status} ${body.error} ${body.error_description}`);
      return body.access_token;
    },
    handMade: (key, claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'at+jwt' })
        .sign(key.privateKey),
  };
}

/**
 * Walks the provider's sign-in and consent pages as a browser would (cookies
 * kept, redirects followed by hand) from an authorization URL to the code the
 * redirect URI receives.
 */
export async function signIn(authorizationUrl: URL | string, account: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | undefined;
  for (let step = 0; step < 12; step++) {
    if (url.href.startsWith(PERSON.redirect)) {
      const code = url.searchParams.get('code');
      if (!code) throw new Error(`sign-in ended without a code: ${url.search}`);
      return code;
    }
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      headers: {
        cookie: cookie(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form,
      redirect: 'manual',
    });
    keep(res);
    form = undefined;
    const location = res.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await res.text();
    if (res.status !== 200)
      throw new Error(`sign-in: ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`);
    // A sign-in or consent page: submit its form as a person would.
    form = /name="login"/.test(html)
      ? new URLSearchParams({ prompt: 'login', login: account, password: 'any' })
      : new URLSearchParams({ prompt: 'consent' });
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`sign-in: no form at ${url.pathname}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
  }
  throw new Error('sign-in did not finish in 12 steps');
}

/** The OAuth client a host (Claude Code, claude.ai) would be: a preregistered public client with PKCE. */
export class SigningInClient implements OAuthClientProvider {
  code: string | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  constructor(private readonly account: string) {}
  get redirectUrl() {
    return PERSON.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'test host',
      redirect_uris: [PERSON.redirect],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation(): OAuthClientInformationMixed {
    return { client_id: PERSON.id };
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  async redirectToAuthorization(url: URL) {
    // The "browser": the provider's sign-in and consent pages, then the redirect with the code.
    this.code = await signIn(url, this.account);
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
}
