// The HTTP server as an OAuth 2.1 resource server, against a real OpenID
// provider on loopback (test/support/oidc.ts): discovery (RFC 9728), a person
// signing in through authorization code + PKCE with the MCP SDK's own OAuth
// client, client credentials, scopes deciding tools, every kind of bad token,
// key rotation, per-user Anthropic keys and the audit log. The built server
// runs as a process; its API is a local recorder.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog, connectHttp, runCli, startHttp, type HttpServer } from '../support/http.js';
import { resultJson } from '../support/mcp.js';
import {
  READ,
  SigningInClient,
  WRITE,
  signingKey,
  startOidc,
  type Oidc,
  type SigningKey,
} from '../support/oidc.js';
import { freePort, INITIALIZE, post } from '../support/raw-mcp.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

const SERVER_KEY = 'sk-ant-server-own-key-0123456789';
const TEAM_A_KEY = 'sk-ant-team-a-key-0123456789abcdef';
const MACHINE_KEY = 'sk-ant-machine-key-0123456789abcdef';

let oidc: Oidc;
let key1: SigningKey;
let rec: Recorder;
let srv: HttpServer;
let port: number;
let resource: string;
let auditFile: string;
const issued: string[] = [];

const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: oidc.issuer,
  aud: resource,
  sub: 'mallory',
  scope: `${READ} ${WRITE}`,
  iat: now(),
  exp: now() + 300,
  ...extra,
});
const auditLines = () =>
  readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, any>);

/** The first audit line that matches; lines are appended after the answer, so wait a little (bounded). */
async function auditLine(
  match: (l: Record<string, any>) => boolean,
): Promise<Record<string, any> | undefined> {
  for (let i = 0; i < 50; i++) {
    const found = auditLines().find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

beforeAll(async () => {
  key1 = await signingKey('key-1');
  oidc = await startOidc({ keys: [key1], groups: { alice: ['platform'] } });
  rec = await startRecorder();
  rec.fallback = (req, res) => {
    const list = req.method === 'GET' && req.path === '/v1/environments';
    json(200, list ? { data: [environment], next_page: null } : environment)(
      req,
      res,
      undefined as never,
    );
  };
  port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  const dir = mkdtempSync(join(tmpdir(), 'oauth-'));
  auditFile = join(dir, 'audit.jsonl');
  const keyMap = join(dir, 'keys.json');
  writeFileSync(
    keyMap,
    JSON.stringify({
      subjects: { 'machine-client': 'machines' },
      groups: { platform: 'team-a' },
      keys: {
        'team-a': { apiKey: { env: 'TEAM_A_KEY' } },
        machines: { apiKey: { env: 'MACHINE_KEY' } },
      },
    }),
  );
  srv = await startHttp({
    args: [
      '--port',
      String(port),
      '--base-url',
      rec.url,
      '--no-confirm',
      '--oauth-issuer',
      oidc.issuer,
      '--oauth-audience',
      resource,
      '--oauth-key-map',
      keyMap,
      '--oauth-jwks-cooldown-seconds',
      '0',
      '--oauth-clock-skew-seconds',
      '5',
      '--audit-log',
      auditFile,
    ],
    env: { ANTHROPIC_API_KEY: SERVER_KEY, TEAM_A_KEY, MACHINE_KEY },
  });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  await oidc?.close();
  await rec?.close();
  // Nothing the server wrote holds a token or a key.
  const written = `${srv?.stderr() ?? ''}\n${readFileSync(auditFile, 'utf8')}`;
  for (const secret of [...issued, SERVER_KEY, TEAM_A_KEY, MACHINE_KEY])
    expect(written).not.toContain(secret);
});

describe('discovery (RFC 9728)', () => {
  it('publishes the protected resource metadata at the path-suffixed and the bare address', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        resource,
        authorization_servers: [oidc.issuer],
        scopes_supported: [READ, WRITE],
        bearer_methods_supported: ['header'],
        resource_name: 'agent-environments-mcp',
      });
    }
  });

  it('serves the metadata to a page of another origin too (it is public)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`, {
      headers: { origin: 'https://claude.ai' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    // The MCP endpoint itself still refuses that origin.
    expect(
      (
        await fetch(resource, {
          method: 'POST',
          headers: { origin: 'https://claude.ai', 'content-type': 'application/json' },
          body: INITIALIZE,
        })
      ).status,
    ).toBe(403);
  });

  it('answers a request without a token with 401 and the metadata address', async () => {
    const res = await post(resource, INITIALIZE);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
  });
});

describe('signing in', () => {
  it('a person signs in through authorization code + PKCE, then lists and calls tools with their own key', async () => {
    const provider = new SigningInClient('alice');
    const first = new Client({ name: 'host', version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(resource), {
      authProvider: provider,
    });
    // The SDK finds the metadata from the 401, the provider from the metadata, and sends the person there.
    await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.code).toEqual(expect.any(String));
    await transport.finishAuth(provider.code!);
    const token = provider.tokens()!.access_token;
    issued.push(token);
    expect(provider.tokens()!.scope?.split(' ').sort()).toEqual([READ, WRITE].sort());

    const client = new Client({ name: 'host', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('create_environment');
    rec.reset();
    const created = (await client.callTool({
      name: 'create_environment',
      arguments: { name: 'alice-env', config: { type: 'self_hosted' } },
    })) as CallToolResult;
    expect(created.isError).toBeFalsy();
    // alice is in the platform group: team-a's key, never the server's own, and never her token.
    expect(rec.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${TEAM_A_KEY}`]);
    expect(JSON.stringify(rec.requests.map((r) => r.headers))).not.toContain(token);
    await client.close();

    const line = await auditLine((l) => l.who === 'alice' && l.tool === 'create_environment');
    expect(line).toMatchObject({
      mode: 'call',
      target: { result_id: ENV_ID },
      outcome: { status: 'ok', http_status: 200, request_id: 'req_test_200' },
    });
    expect(line!.duration_ms).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toContain('alice-env');
  });

  it('a machine signs in with client credentials and uses the key its subject is mapped to', async () => {
    const token = await oidc.clientCredentials(resource, `${READ} ${WRITE}`);
    issued.push(token);
    const mcp = await connectHttp(resource, { authorization: `Bearer ${token}` });
    rec.reset();
    const r = await mcp.call('update_environment', {
      environment_id: ENV_ID,
      description: 'by a machine',
    });
    expect(r.isError).toBeFalsy();
    expect(rec.requests.map((x) => x.headers.authorization)).toEqual([`Bearer ${MACHINE_KEY}`]);
    await mcp.close();
    expect(
      await auditLine((l) => l.who === 'machine-client' && l.tool === 'update_environment'),
    ).toMatchObject({
      target: { environment_id: ENV_ID },
      outcome: { status: 'ok' },
    });
  });

  it("someone the key mapping does not name gets no key at all, not the server's", async () => {
    const token = await oidc.handMade(key1, claims({ sub: 'mallory' }));
    const mcp = await connectHttp(resource, { authorization: `Bearer ${token}` });
    rec.reset();
    const r = await mcp.call('get_environment', { environment_id: ENV_ID });
    expect(r.isError).toBe(true);
    expect(resultJson(r).error).toMatchObject({ type: 'missing_credential' });
    expect(resultJson(r).error.message).toMatch(/--oauth-key-map/);
    expect(rec.requests).toHaveLength(0);
    await mcp.close();
  });
});

describe('scopes decide tools', () => {
  it('a read-scope token sees only the read-only tools, and a write call is refused with insufficient_scope', async () => {
    const token = await oidc.clientCredentials(resource, READ);
    issued.push(token);
    const mcp = await connectHttp(resource, { authorization: `Bearer ${token}` });
    const { tools } = await mcp.client.listTools();
    expect(tools.length).toBeGreaterThan(3);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect((await mcp.call('list_environments')).isError).toBeFalsy();
    await mcp.close();

    rec.reset();
    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'delete_environment', arguments: { environment_id: ENV_ID } },
    });
    const res = await post(resource, call, token);
    expect(res.status).toBe(403);
    const header = res.headers.get('www-authenticate')!;
    expect(header).toContain('error="insufficient_scope"');
    expect(header).toContain(`scope="${READ} ${WRITE}"`);
    expect(header).toContain(
      `resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(((await res.json()) as { id: unknown }).id).toBe(7);
    expect(rec.requests).toHaveLength(0);
    expect(
      await auditLine((l) => l.tool === 'delete_environment' && l.mode === 'refused'),
    ).toMatchObject({
      who: 'machine-client',
      target: { environment_id: ENV_ID },
      outcome: { status: 'refused', error_type: 'insufficient_scope' },
    });
  });

  it('a token without the read scope is refused with 403 insufficient_scope', async () => {
    const token = await oidc.handMade(key1, claims({ scope: 'openid' }));
    const res = await post(resource, INITIALIZE, token);
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
  });
});

describe('bad tokens', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'expired',
      () => oidc.handMade(key1, claims({ iat: now() - 600, exp: now() - 60 })),
      /expired/,
    ],
    [
      'for another resource (real token)',
      () => oidc.clientCredentials('http://127.0.0.1:1/other', READ),
      /aud/,
    ],
    [
      'from another issuer',
      () => oidc.handMade(key1, claims({ iss: 'http://127.0.0.1:9/' })),
      /issuer/,
    ],
    ['not valid yet', () => oidc.handMade(key1, claims({ nbf: now() + 600 })), /nbf/],
    [
      'signed by a key the issuer does not publish',
      async () => oidc.handMade(await signingKey('stranger'), claims()),
      /no key/,
    ],
    [
      'alg none',
      async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`,
      /algorithm|not valid/,
    ],
    [
      'with a forged signature',
      async () => {
        const [h, , s] = (await oidc.handMade(key1, claims())).split('.');
        return `${h}.${b64(claims({ sub: 'admin' }))}.${s}`;
      },
      /signature/,
    ],
    [
      'opaque, with no introspection configured',
      async () => 'opaque-token-0123456789abcdef',
      /not a JWT/,
    ],
  ];
  it.each(cases)(
    '%s: 401 invalid_token with the reason and the metadata address',
    async (_name, make, reason) => {
      const token = await make();
      issued.push(token);
      const res = await post(resource, INITIALIZE, token);
      expect(res.status).toBe(401);
      const header = res.headers.get('www-authenticate')!;
      expect(header).toMatch(
        /^Bearer resource_metadata="[^"]+", error="invalid_token", error_description="[^"]+"$/,
      );
      expect(header).toMatch(reason);
      const text = await res.text();
      expect(text).not.toContain(token);
    },
  );
});

describe('key rotation', () => {
  it('picks up a key the issuer adds, and keeps accepting the old one while published', async () => {
    const before = await oidc.clientCredentials(resource, READ);
    expect((await post(resource, INITIALIZE, before)).status).toBe(200);
    // The issuer restarts with a new signing key first and the old one still published.
    const key2 = await signingKey('key-2');
    const issuerPort = oidc.port;
    await oidc.close();
    oidc = await startOidc({
      keys: [key2, key1],
      port: issuerPort,
      groups: { alice: ['platform'] },
    });
    const after = await oidc.clientCredentials(resource, READ);
    issued.push(before, after);
    expect(JSON.parse(Buffer.from(after.split('.')[0]!, 'base64url').toString()).kid).toBe('key-2');
    expect((await post(resource, INITIALIZE, after)).status).toBe(200);
    expect((await post(resource, INITIALIZE, before)).status).toBe(200);
  });
});

describe('settings at start', () => {
  it.each([
    [['--oauth-issuer', 'https://login.example.com/'], {}, /--oauth-audience .* is needed/],
    [
      [
        '--oauth-issuer',
        'https://login.example.com/',
        '--oauth-audience',
        'https://mcp.example.com/mcp',
      ],
      { AGENT_ENVIRONMENTS_HTTP_TOKEN: 'static-token-0123456789abcdef' },
      /exclude each other/,
    ],
    [
      [
        '--oauth-issuer',
        'https://login.example.com/',
        '--oauth-audience',
        'https://mcp.example.com/mcp',
        '--oauth-key-map',
        '/nonexistent.json',
        '--credentials',
        'from-request',
      ],
      {},
      /exclude each other/,
    ],
    [
      [
        '--oauth-issuer',
        'https://login.example.com/',
        '--oauth-audience',
        'https://mcp.example.com/mcp',
        '--oauth-key-map',
        '/nonexistent.json',
      ],
      {},
      /--oauth-key-map \/nonexistent\.json: cannot read it \(ENOENT\)/,
    ],
    [
      ['--audit-log', '/nonexistent-dir/audit.jsonl'],
      {},
      /--audit-log .* cannot write it \(ENOENT\)/,
    ],
  ])('%o exits 2 naming the setting', async (args, env, message) => {
    const { code, stderr } = await runCli(['--http', '--port', '0', ...args], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('answers 503 with Retry-After while the issuer cannot be reached, and says why in the access log', async () => {
    const down = await startHttp({
      args: ['--oauth-issuer', 'http://127.0.0.1:1', '--oauth-audience', 'http://127.0.0.1:1/mcp'],
    });
    const token = await oidc.handMade(key1, claims());
    const res = await post(down.url, INITIALIZE, token);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /cannot be checked now: the issuer's metadata could not be read/,
    );
    expect(await down.stop()).toBe(0);
    const line = accessLog(down.stderr()).find((l) => l.status === 503);
    expect(line?.refused).toMatch(/cannot be checked now/);
    expect(down.stderr()).not.toContain(token);
  });

  it('binds beyond loopback with OAuth and no static token', async () => {
    const other = await startHttp({
      args: [
        '--host',
        '0.0.0.0',
        '--allowed-hosts',
        'mcp.example.com',
        '--oauth-issuer',
        oidc.issuer,
        '--oauth-audience',
        'https://mcp.example.com/mcp',
      ],
    });
    expect(other.stderr()).toMatch(
      /OAuth access tokens of http:\/\/127\.0\.0\.1:\d+ for https:\/\/mcp\.example\.com\/mcp/,
    );
    expect(await other.stop()).toBe(0);
  });
});
