// Two replicas with OAuth behind a round-robin proxy (no affinity): a person
// signs in once through the proxy's address and any replica checks the token
// and answers; each replica writes the audit lines of the calls it served.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHttp, type HttpServer } from '../support/http.js';
import { SigningInClient, signingKey, startOidc, type Oidc } from '../support/oidc.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { roundRobin, type RoundRobin } from '../support/round-robin.js';
import { ENV_ID, environment } from '../support/samples.js';

let oidc: Oidc;
let rec: Recorder;
let lb: RoundRobin;
const replicas: HttpServer[] = [];

beforeAll(async () => {
  oidc = await startOidc({ keys: [await signingKey('key-1')] });
  rec = await startRecorder();
  rec.fallback = json(200, environment);
  lb = await roundRobin();
  const options = {
    args: ['--base-url', rec.url, '--oauth-issuer', oidc.issuer, '--oauth-audience', lb.url],
    env: { ANTHROPIC_API_KEY: 'sk-ant-api-replicas-0123456789' },
  };
  replicas.push(...(await Promise.all([startHttp(options), startHttp(options)])));
  lb.upstreams.push(...replicas.map((r) => r.url));
});

afterAll(async () => {
  await lb?.close();
  for (const r of replicas) expect(await r.stop()).toBe(0);
  await oidc?.close();
  await rec?.close();
});

describe('two OAuth replicas behind a proxy', () => {
  it('serves a signed-in person from either replica', async () => {
    const provider = new SigningInClient('bob');
    const transport = new StreamableHTTPClientTransport(new URL(lb.url), {
      authProvider: provider,
    });
    await expect(
      new Client({ name: 'host', version: '1' }).connect(transport),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    await transport.finishAuth(provider.code!);

    const client = new Client({ name: 'host', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(lb.url), { authProvider: provider }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('update_environment');
    for (let i = 0; i < 4; i++) {
      const r = (await client.callTool({
        name: 'update_environment',
        arguments: { environment_id: ENV_ID, description: `d${i}` },
      })) as CallToolResult;
      expect(r.isError).toBeFalsy();
    }
    await client.close();
    expect(lb.served.filter((i) => i === 0).length).toBeGreaterThanOrEqual(3);
    expect(lb.served.filter((i) => i === 1).length).toBeGreaterThanOrEqual(3);
    const audited = (r: HttpServer) =>
      r
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('{"audit"') && l.includes('"who":"bob"')).length;
    await vi.waitFor(() => expect(audited(replicas[0]!) + audited(replicas[1]!)).toBe(4));
    expect(audited(replicas[0]!)).toBeGreaterThanOrEqual(1);
    expect(audited(replicas[1]!)).toBeGreaterThanOrEqual(1);
  });
});
