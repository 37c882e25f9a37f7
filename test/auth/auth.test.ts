// The resource server's parts on their own: settings, metadata and
// challenges, scope policy and the key mapping.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeyMap } from '../../src/auth/keys.js';
import {
  challenge,
  metadataPaths,
  metadataUrl,
  protectedResourceMetadata,
} from '../../src/auth/metadata.js';
import { oauthOptions } from '../../src/auth/options.js';
import { canRead, canWrite, readOnlyInventory, scopeRefusal } from '../../src/auth/scopes.js';
import { metadataUrls, type Principal } from '../../src/auth/verify.js';
import { ConfigError } from '../../src/config/config.js';
import { buildInventory, readSwitches } from '../../src/inventory/inventory.js';
import { allTools } from '../../src/tools/index.js';

const base = {
  oauthIssuer: 'https://login.example.com/',
  oauthAudience: 'https://mcp.example.com/mcp',
};
const opts = oauthOptions(base)!;
const who = (scopes: string[], extra: Partial<Principal> = {}): Principal => ({
  subject: 'u1',
  scopes,
  groups: [],
  ...extra,
});

describe('OAuth settings', () => {
  it('has defaults for scopes and skew', () => {
    expect(opts).toMatchObject({
      readScope: 'environments:read',
      writeScope: 'environments:write',
      clockSkewSeconds: 30,
      jwksCooldownSeconds: 30,
      groupClaim: 'groups',
    });
    expect(oauthOptions({})).toBeUndefined();
    expect(oauthOptions({ ...base, oauthReadScope: '' })!.readScope).toBeUndefined();
  });

  it.each([
    [{ oauthAudience: 'https://mcp.example.com/mcp' }, /--oauth-audience .* needs --oauth-issuer/],
    [{ oauthIssuer: 'https://login.example.com/' }, /--oauth-audience .* is needed/],
    [{ ...base, oauthIssuer: 'http://login.example.com/' }, /--oauth-issuer .*must be https/],
    [{ ...base, oauthAudience: 'https://u:p@mcp.example.com/mcp' }, /must not hold a user name/],
    [{ ...base, oauthWriteScope: 'has space' }, /--oauth-write-scope .* is not a scope name/],
    [{ ...base, oauthIntrospectionClientId: 'rs' }, /go together/],
  ])('refuses %o', (values, message) => {
    expect(() => oauthOptions(values)).toThrow(ConfigError);
    expect(() => oauthOptions(values)).toThrow(message);
  });
});

describe('metadata and challenges', () => {
  it('places the document at the path-suffixed address of the resource', () => {
    expect(metadataUrl(opts)).toBe(
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    );
    expect(metadataPaths(opts, '/mcp')).toEqual([
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]);
    expect(protectedResourceMetadata(opts, 'n')).toMatchObject({
      resource: opts.audience,
      authorization_servers: [opts.issuer],
    });
  });

  it('keeps challenges well-formed whatever the description says', () => {
    expect(challenge(opts, { error: 'invalid_token', description: 'a "quoted" \\ thing\n' })).toBe(
      'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", error="invalid_token", error_description="a quoted  thing"',
    );
  });

  it("looks for the issuer's metadata where RFC 8414 and OpenID Connect put it", () => {
    expect(metadataUrls('https://login.example.com/tenant')).toEqual([
      'https://login.example.com/.well-known/oauth-authorization-server/tenant',
      'https://login.example.com/.well-known/openid-configuration/tenant',
      'https://login.example.com/tenant/.well-known/openid-configuration',
    ]);
  });
});

describe('scopes', () => {
  const full = buildInventory(allTools, readSwitches({}, allTools));
  const call = (name: string) => ({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name, arguments: { environment_id: 'env_1' } },
  });
  it('the write scope implies read; read-only inventories hold only read-only tools', () => {
    expect(canRead(who(['environments:write']), opts)).toBe(true);
    expect(canWrite(who(['environments:read']), opts)).toBe(false);
    const ro = readOnlyInventory(full);
    expect(ro.entries.length).toBeGreaterThan(0);
    expect(ro.entries.length).toBeLessThan(full.entries.length);
    expect(ro.entries.every((e) => e.tool.annotations.readOnlyHint)).toBe(true);
  });

  it('refuses a write tool without the write scope, in a batch too, and any request without read', () => {
    const reader = who(['environments:read']);
    expect(scopeRefusal(call('get_environment'), reader, opts, full)).toBeNull();
    expect(
      scopeRefusal([call('get_environment'), call('delete_environment')], reader, opts, full),
    ).toMatchObject({ tool: 'delete_environment', scope: 'environments:read environments:write' });
    expect(
      scopeRefusal(call('delete_environment'), who(['environments:write']), opts, full),
    ).toBeNull();
    expect(scopeRefusal({ method: 'initialize' }, who(['openid']), opts, full)?.message).toMatch(
      /lacks the environments:read scope/,
    );
    expect(scopeRefusal(call('get_environment'), who(['openid']), opts, full)).toMatchObject({
      tool: 'get_environment',
      args: { environment_id: 'env_1' },
    });
  });
});

describe('key mapping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const write = (doc: unknown) => {
    const f = join(dir, `${Math.random()}.json`);
    writeFileSync(f, JSON.stringify(doc));
    return f;
  };
  const keyFile = join(dir, 'env-key');
  writeFileSync(keyFile, 'envkey-from-file-0123\n');
  const env = { A_KEY: 'sk-a-0123456789', B_KEY: 'sk-b-0123456789' };

  it("picks the subject first, then the first group in the file's order, then the default", () => {
    const map = loadKeyMap(
      write({
        subjects: { alice: 'a' },
        groups: { ops: 'b', dev: 'a' },
        default: 'b',
        keys: {
          a: { apiKey: { env: 'A_KEY' }, environmentKey: { file: keyFile } },
          b: { apiKey: { env: 'B_KEY' } },
        },
      }),
      env,
    );
    expect(map.keysFor(who([], { subject: 'alice', groups: ['ops'] }))).toEqual({
      name: 'a',
      credentials: { apiKey: env.A_KEY, environmentKey: 'envkey-from-file-0123' },
    });
    expect(map.keysFor(who([], { subject: 'bob', groups: ['dev', 'ops'] }))?.name).toBe('b');
    expect(map.keysFor(who([], { subject: 'carol', groups: ['dev'] }))?.name).toBe('a');
    expect(map.keysFor(who([], { subject: 'dan' }))?.name).toBe('b');
    const strict = loadKeyMap(
      write({ subjects: { alice: 'a' }, keys: { a: { apiKey: { env: 'A_KEY' } } } }),
      env,
    );
    expect(strict.keysFor(who([], { subject: 'dan' }))).toBeUndefined();
  });

  it.each([
    [{ keys: { a: { apiKey: 'sk-inline-key-0123' } } }, /must be \{"env"/],
    [{ keys: { a: { apiKey: { env: 'MISSING_KEY' } } } }, /MISSING_KEY is not set/],
    [{ subjects: { x: 'nope' }, keys: {} }, /subjects\.x: names no key set/],
    [{ users: {} }, /unknown field "users"/],
    [
      { keys: { a: { secretKey: { env: 'A_KEY' } } } },
      /unknown \(allowed: apiKey, environmentKey\)/,
    ],
  ])('refuses %o, naming the field and never a key', (doc, message) => {
    const f = write(doc);
    expect(() => loadKeyMap(f, env)).toThrow(message);
    try {
      loadKeyMap(f, env);
    } catch (err) {
      expect((err as Error).message).not.toContain('sk-inline-key-0123');
    }
  });
});
