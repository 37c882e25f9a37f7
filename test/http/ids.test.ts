// No JSON-RPC error body carries "id": null, on either transport: the
// request's id is echoed when it is known, else `id` is left out
// (@ai-sdk/mcp rejects a null id and reports two uncaught errors).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttp, type HttpServer } from '../support/http.js';
import { spawnRaw } from '../support/raw.js';

const TOKEN = 'ids-access-token-0123456789abcdef';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'ids', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

let srv: HttpServer;
beforeAll(async () => {
  srv = await startHttp({
    env: { AGENT_ENVIRONMENTS_HTTP_TOKEN: TOKEN, ANTHROPIC_API_KEY: 'sk-ant-api-ids-0123456789' },
  });
});
afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
});

/** One request over a plain socket (so that even the Host header is ours to set). */
function send(init: {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  path?: string;
}) {
  const url = new URL(init.path ?? '', srv.url);
  return new Promise<{ status: number; text: string; json: Record<string, any> }>(
    (resolve, reject) => {
      const req = request(
        init.path ? url : new URL(srv.url),
        {
          method: init.method ?? 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            authorization: `Bearer ${TOKEN}`,
            ...init.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                text,
                json: JSON.parse(text) as Record<string, any>,
              });
            } catch (err) {
              reject(
                new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}: ${String(err)}`),
              );
            }
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    },
  );
}

describe('HTTP error bodies', () => {
  const request = (id: number | string, method: string, params: object = {}) =>
    JSON.stringify({ jsonrpc: '2.0', id, method, params });
  const cases: [string, Parameters<typeof send>[0], number | string | undefined][] = [
    [
      'no access token',
      { headers: { authorization: '' }, body: request(1, 'tools/list') },
      undefined,
    ],
    [
      'a foreign Host',
      { headers: { host: 'evil.example.com' }, body: request(2, 'tools/list') },
      undefined,
    ],
    ['GET on the endpoint', { method: 'GET' }, undefined],
    ['another path', { path: '/elsewhere', body: request(3, 'tools/list') }, undefined],
    ['a body that is not JSON', { body: '{"jsonrpc":"2.0","id":4,' }, undefined],
    [
      'a 2025 request under an unknown MCP-Protocol-Version header',
      { headers: { 'mcp-protocol-version': '1999-01-01' }, body: request(5, 'tools/list') },
      5,
    ],
    [
      'a 2026-07-28 request naming an unknown revision',
      {
        body: request('six', 'tools/list', {
          _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
        }),
      },
      'six',
    ],
    [
      "server/discover without an envelope (a 2025 client's guess)",
      { body: request(7, 'server/discover') },
      7,
    ],
  ];
  it.each(cases)('%s', async (_name, init, id) => {
    const r = await send(init);
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.json.error, r.text).toBeDefined();
    expect(r.text).not.toMatch(/"id"\s*:\s*null/);
    if (id === undefined) expect('id' in r.json).toBe(false);
    else expect(r.json.id).toBe(id);
  });
});

describe('stdio error answers', () => {
  it('echo the id when known and leave it out when not', async () => {
    const s = spawnRaw({ ANTHROPIC_API_KEY: 'sk-ant-api-ids-0123456789' });
    try {
      s.write('this is not json\n');
      // A revision nobody serves is refused before the connection picks a generation; then a 2025 request.
      s.write({
        jsonrpc: '2.0',
        id: 'x2',
        method: 'tools/list',
        params: { _meta: { ...ENVELOPE, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      });
      s.write({ jsonrpc: '2.0', id: 'x1', method: 'no/such/method', params: {} });
      await s.next((m) => m.id === 'x2');
      await s.next((m) => m.id === 'x1');
      const errors = s.messages.filter((m) => m.error);
      expect(errors.length).toBeGreaterThanOrEqual(3);
      expect(s.stdout()).not.toMatch(/"id"\s*:\s*null/);
      expect(errors.filter((m) => !('id' in m))).toHaveLength(1);
      s.assertJsonOnly();
    } finally {
      s.kill();
    }
  });
});
