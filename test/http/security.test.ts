// Secure by default: DNS-rebinding protection, the access token, limits, and
// refusing to start exposed without a token.
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectHttp, runCli, startHttp, type HttpServer } from '../support/http.js';
import { json, startRecorder, type Recorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

const TOKEN = 'http-access-token-0123456789abcdef';
const API_KEY = 'sk-ant-api-security-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

/** The HTTP status of a refused request: the SDK's StreamableHTTPError carries it as `code`. */
async function refusal(promise: Promise<unknown>): Promise<number> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { code?: number },
  );
  expect(err, 'the request should have been refused').toBeInstanceOf(Error);
  expect(err!.message).not.toContain(TOKEN);
  return err!.code!;
}

/** POST one JSON-RPC message with plain fetch, as a non-SDK client would. */
function post(url: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...bearer,
      ...headers,
    },
    body,
  });
}

describe('an HTTP server with an access token', () => {
  let rec: Recorder;
  let srv: HttpServer;

  beforeAll(async () => {
    rec = await startRecorder();
    rec.fallback = json(200, environment);
    srv = await startHttp({
      args: [
        '--base-url',
        rec.url,
        '--allowed-origins',
        'https://app.example.com',
        '--http-max-body-bytes',
        '65536',
      ],
      env: { AGENT_ENVIRONMENTS_HTTP_TOKEN: TOKEN, ANTHROPIC_API_KEY: API_KEY },
    });
  });

  afterAll(async () => {
    expect(await srv?.stop()).toBe(0);
    await rec?.close();
  });

  it('serves a client that sends the token', async () => {
    const mcp = await connectHttp(srv.url, bearer);
    const result = await mcp.call('get_environment', { environment_id: ENV_ID });
    expect(result.isError).toBeFalsy();
    await mcp.close();
  });

  it('refuses a missing token and a wrong one with 401', async () => {
    expect(await refusal(connectHttp(srv.url))).toBe(401);
    expect(await refusal(connectHttp(srv.url, { authorization: `Bearer ${TOKEN}x` }))).toBe(401);
    expect(await refusal(connectHttp(srv.url, { authorization: TOKEN }))).toBe(401);
    const res = await post(srv.url, '{"jsonrpc":"2.0","id":1,"method":"tools/list"}', {
      authorization: 'Bearer nope',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.text()).not.toContain(TOKEN);
  });

  it('refuses a foreign Host with 403, as after DNS rebinding', async () => {
    // A name that resolves to this machine, as an attacker's rebound name would.
    const lookup: LookupFunction = (_host, opts, cb) =>
      opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
    const rebound = new Agent({ connect: { lookup } });
    const port = new URL(srv.url).port;
    const viaRebound = ((input: string | URL, init?: RequestInit) =>
      undiciFetch(input, { ...(init as object), dispatcher: rebound })) as unknown as typeof fetch;
    expect(
      await refusal(
        connectHttp(`http://rebound.example:${port}/mcp`, bearer, { fetch: viaRebound }),
      ),
    ).toBe(403);
    // Control: the same route under a name we answer to is served.
    const local = await connectHttp(`http://localhost:${port}/mcp`, bearer, { fetch: viaRebound });
    expect((await local.client.listTools()).tools.length).toBeGreaterThan(0);
    await local.close();
    await rebound.close();
  });

  it('refuses a foreign Origin with 403 and accepts an allowed one', async () => {
    expect(await refusal(connectHttp(srv.url, { ...bearer, origin: 'https://evil.example' }))).toBe(
      403,
    );
    expect(await refusal(connectHttp(srv.url, { ...bearer, origin: 'null' }))).toBe(403);
    const allowed = await connectHttp(srv.url, { ...bearer, origin: 'https://app.example.com' });
    expect((await allowed.client.listTools()).tools.length).toBeGreaterThan(0);
    await allowed.close();
  });

  it('refuses an oversized body with 413 and keeps serving', async () => {
    const mcp = await connectHttp(srv.url, bearer);
    expect(
      await refusal(
        mcp.call('create_environment', { name: 'big', description: 'x'.repeat(100_000) }),
      ),
    ).toBe(413);
    // Without a Content-Length the body is counted as it arrives.
    const chunks = [
      Buffer.from('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"'),
      Buffer.alloc(70_000, 'x'),
      Buffer.from('"}}'),
    ];
    const streamed = await fetch(srv.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...bearer,
      },
      body: new ReadableStream({
        pull: (c) => (chunks.length ? c.enqueue(chunks.shift()!) : c.close()),
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // The same client, the same server: still answered.
    expect((await mcp.call('get_environment', { environment_id: ENV_ID })).isError).toBeFalsy();
    await mcp.close();
  });

  it('answers malformed requests with clear errors', async () => {
    const bad = await post(srv.url, '{not json');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/not valid JSON/);
    const get = await fetch(srv.url, { headers: { ...bearer, accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const elsewhere = await fetch(new URL('/other', srv.url), { headers: bearer });
    expect(elsewhere.status).toBe(404);
    // A plain client (curl sends Accept: */*) still gets JSON.
    const plain = await post(srv.url, '{"jsonrpc":"2.0","id":7,"method":"tools/list"}', {
      accept: '*/*',
    });
    expect(plain.status).toBe(200);
    expect(((await plain.json()) as any).id).toBe(7);
  });

  it('answers /healthz without a token and without details', async () => {
    const res = await fetch(new URL('/healthz', srv.url));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('never logs the token or the API key', () => {
    expect(srv.stderr()).not.toContain(TOKEN);
    expect(srv.stderr()).not.toContain(API_KEY);
    expect(srv.stderr()).toMatch(/"status":401/);
  });
});

describe('starting the HTTP server', () => {
  it('refuses a non-loopback address without a token (exit 2, one clear line)', async () => {
    const { code, stderr } = await runCli(['--http', '--host', '0.0.0.0', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a loopback address.*access token/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses a token that is too short, and never prints it', async () => {
    const { code, stderr } = await runCli(['--http', '--port', '0'], {
      AGENT_ENVIRONMENTS_HTTP_TOKEN: 'short-tok',
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/at least 16 characters/);
    expect(stderr).not.toContain('short-tok');
  });

  it('reads the token from --http-token-file and enforces it on loopback too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aem-http-'));
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    const srv = await startHttp({ args: ['--http-token-file', file] });
    try {
      expect(await refusal(connectHttp(srv.url))).toBe(401);
      const mcp = await connectHttp(srv.url, bearer);
      expect((await mcp.client.listTools()).tools.length).toBeGreaterThan(0);
      await mcp.close();
    } finally {
      expect(await srv.stop()).toBe(0);
    }
  });

  it('answers 504 when a request outlives its time limit, and cancels the API call', async () => {
    const rec = await startRecorder();
    rec.fallback = () => {}; // never answers
    const srv = await startHttp({
      args: [
        '--base-url',
        rec.url,
        '--http-request-timeout-ms',
        '1000',
        '--timeout-ms',
        '600000',
        '--deadline-ms',
        '600000',
      ],
      env: { ANTHROPIC_API_KEY: API_KEY },
    });
    try {
      const mcp = await connectHttp(srv.url);
      expect(await refusal(mcp.call('get_environment', { environment_id: ENV_ID }))).toBe(504);
      await vi.waitFor(() => expect(rec.closedEarly).toBe(1), { timeout: 5000 });
      await mcp.close();
    } finally {
      expect(await srv.stop()).toBe(0);
      await rec.close();
    }
  });
});
