// A hostile HTTPS proxy, end to end: the built server behind a CONNECT proxy
// that hangs up after reading the CONNECT, or accepts it and never answers.
// Every tool call (and doctor) ends by its deadline or its cancel, the
// connection attempts are bounded by --max-retries, and no traffic goes on
// once the call is over.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from './support/config.js';
import { spawnServer } from './support/mcp.js';
import { runCli } from './support/run.js';
import { API_KEY, ENV_ID } from './support/samples.js';

type Mode = 'hang_up' | 'silent';

let proxy: Server;
let port: number;
let mode: Mode = 'hang_up';
let connects = 0;
const open = new Set<Socket>();

beforeAll(async () => {
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (_req, socket: Socket) => {
    connects++;
    socket.on('error', () => {});
    if (mode === 'hang_up') return void socket.destroy();
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // http servers allow half-open sockets: close ours when the server under test closes its end.
    socket.on('end', () => socket.destroy());
  });
  port = await new Promise<number>((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as AddressInfo).port)),
  );
});

afterAll(async () => {
  for (const s of open) s.destroy();
  await new Promise((r) => proxy.close(r));
});

beforeEach(() => {
  connects = 0;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function env(extra: Record<string, string> = {}): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    ANTHROPIC_BASE_URL: 'https://api.hostile-proxy.invalid',
    ANTHROPIC_API_KEY: API_KEY,
    HTTPS_PROXY: url,
    https_proxy: url,
    HTTP_PROXY: '',
    http_proxy: '',
    NO_PROXY: '',
    no_proxy: '',
    AGENT_ENVIRONMENTS_TIMEOUT_MS: '500',
    AGENT_ENVIRONMENTS_DEADLINE_MS: '3000',
    AGENT_ENVIRONMENTS_MAX_RETRIES: '2',
    ...extra,
  };
}

describe.each<Mode>(['hang_up', 'silent'])('a proxy that %s after CONNECT', (m) => {
  beforeAll(() => {
    mode = m;
  });

  it('the call ends with an error by its deadline; connection attempts are bounded and stop with the call', async () => {
    const server = await spawnServer({ env: env() });
    try {
      const result = await server.call('get_environment', { environment_id: ENV_ID });
      expect(result.isError).toBe(true);
      const text = JSON.stringify(result.content);
      expect(text).toMatch(
        m === 'hang_up' ? /could not be opened/ : /did not answer in time|deadline/,
      );
      // One CONNECT per attempt: the first and --max-retries (2) more.
      expect(connects).toBeLessThanOrEqual(3);
      expect(connects).toBeGreaterThanOrEqual(1);
      const after = connects;
      await sleep(500);
      expect(connects).toBe(after);
      await until(() => open.size === 0, 3_000, 'the tunnels to close');
    } finally {
      await server.close();
    }
  });

  it('cancelling the call stops its traffic', async () => {
    const server = await spawnServer({
      env: env({
        AGENT_ENVIRONMENTS_DEADLINE_MS: '60000',
        AGENT_ENVIRONMENTS_TIMEOUT_MS: '30000',
        AGENT_ENVIRONMENTS_MAX_RETRIES: '10',
      }),
    });
    try {
      const ctrl = new AbortController();
      const call = server.client.callTool(
        { name: 'get_environment', arguments: { environment_id: ENV_ID } },
        undefined,
        { signal: ctrl.signal },
      );
      call.catch(() => {});
      await until(() => connects >= 1, 5_000, 'the first CONNECT');
      ctrl.abort();
      await until(() => open.size === 0, 3_000, 'the tunnels to close');
      await sleep(300);
      const after = connects;
      await sleep(700);
      expect(connects).toBe(after);
      // Backoff between attempts: even before the cancel, never a storm of CONNECTs.
      expect(after).toBeLessThanOrEqual(3);
      // The session goes on.
      expect((await server.client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('doctor ends with a FAIL line and stops connecting', async () => {
    const r = await runCli(['doctor'], { env: env(), timeoutMs: 20_000 });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/FAIL +network/);
    expect(connects).toBeLessThanOrEqual(3);
  });
});
