// The access gate of the HTTP endpoint, kept small and apart from the MCP
// handling so that it sits in front of any handler: either the static token
// (the simple option) or an OAuth 2.1 resource server (../auth). It answers
// with the caller, or with the refusal to send (status, message, headers).
// The token itself goes no further than this file: not to the MCP layer,
// not to the Anthropic API, not into a log.
import type { IncomingHttpHeaders } from 'node:http';
import { challenge, metadataPaths, protectedResourceMetadata } from '../auth/metadata.js';
import type { OAuthOptions } from '../auth/options.js';
import { canWrite, scopeRefusal } from '../auth/scopes.js';
import { createVerifier, type Principal, type Verifier } from '../auth/verify.js';
import type { Inventory } from '../inventory/inventory.js';
import { tokenChecker } from './http-security.js';

export interface GateRefusal {
  status: 400 | 401 | 403 | 503;
  message: string;
  headers: Record<string, string>;
  /** Set for a tools/call refused for its scope: the audit log records it. */
  tool?: string;
  args?: Record<string, unknown>;
}

export interface Gate {
  /** Who sent the request (undefined: static token or none), or the refusal. */
  check(headers: IncomingHttpHeaders): Promise<{ principal?: Principal; refusal?: GateRefusal }>;
  /** Whether this body may be sent by this caller (scopes); null when it may. */
  allows(body: unknown, principal: Principal | undefined): GateRefusal | null;
  /** True when this caller sees only the read-only tools. */
  readOnly(principal: Principal | undefined): boolean;
  /** The protected resource metadata document, when this path is one of its addresses. */
  metadata(path: string): Record<string, unknown> | undefined;
  describe: string;
}

const BIN = 'agent-environments-mcp';

export function staticGate(token: string | undefined): Gate {
  const checkToken = tokenChecker(token);
  return {
    async check(headers) {
      const refusal = checkToken(headers);
      return refusal
        ? {
            refusal: {
              status: 401,
              message: refusal.message,
              headers: { 'www-authenticate': `Bearer realm="${BIN}"` },
            },
          }
        : {};
    },
    allows: () => null,
    readOnly: () => false,
    metadata: () => undefined,
    describe: token ? 'access token required' : 'no access token: loopback only',
  };
}

export function oauthGate(
  opts: OAuthOptions,
  full: Inventory,
  mcpPath: string,
  verifier: Verifier = createVerifier(opts),
): Gate {
  const paths = new Set(metadataPaths(opts, mcpPath));
  const document = protectedResourceMetadata(opts, BIN);
  const unauthorized = (
    message: string,
    refusal?: Parameters<typeof challenge>[1],
  ): { refusal?: GateRefusal } => ({
    refusal: { status: 401, message, headers: { 'www-authenticate': challenge(opts, refusal) } },
  });
  return {
    async check(headers) {
      const header = headers.authorization;
      if (!header)
        return unauthorized(
          'Unauthorized: sign in; this server takes OAuth access tokens (see the resource_metadata in WWW-Authenticate)',
        );
      const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header);
      if (!match)
        return unauthorized('Unauthorized: send Authorization: Bearer <access token>', {
          error: 'invalid_token',
          description: 'not a bearer token',
        });
      const verdict = await verifier.verify(match[1]!);
      if (verdict.ok) return { principal: verdict.principal };
      if (verdict.error === 'unavailable') {
        return {
          refusal: {
            status: 503,
            message: `Service unavailable: the access token cannot be checked now: ${verdict.description}`,
            headers: { 'retry-after': '5' },
          },
        };
      }
      return unauthorized(`Unauthorized: ${verdict.description}`, {
        error: 'invalid_token',
        description: verdict.description,
      });
    },
    allows(body, principal) {
      if (!principal) return null;
      const r = scopeRefusal(body, principal, opts, full);
      if (!r) return null;
      return {
        status: 403,
        message: r.message,
        headers: {
          'www-authenticate': challenge(opts, {
            error: 'insufficient_scope',
            scope: r.scope,
            description: r.message.replace(/^Forbidden: /, ''),
          }),
        },
        ...(r.tool ? { tool: r.tool, args: r.args } : {}),
      };
    },
    readOnly: (principal) => !principal || !canWrite(principal, opts),
    metadata: (path) => (paths.has(path) ? document : undefined),
    describe: `OAuth access tokens of ${opts.issuer} for ${opts.audience}`,
  };
}
