// Cancellation and shutdown. An MCP cancel (the SDK Client's AbortSignal)
// aborts the in-flight HTTP request, so the API sees the socket close, and no
// retry fires after it. Closing stdin or SIGTERM/SIGINT while calls are in
// flight ends them and exits 0 within 2 s, with no child process left and
// no socket open.
import { readdirSync, readFileSync } from 'node:fs';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hang } from './support/faults.js';
import { apiResponder } from './support/fixtures.js';
import { spawnServer, type Spawned } from './support/mcp.js';
import { INITIALIZE, spawnRaw } from './support/raw.js';
import { until } from './support/config.js';
import { apiError, startRecorder, type Recorder } from './support/recorder.js';

let api: Recorder;

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = apiResponder();
});

afterAll(async () => {
  await api?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('MCP cancel', () => {
  let server: Spawned;
  beforeAll(async () => {
    // A long per-attempt time limit: only the cancel can end the hung call.
    server = await spawnServer({
      env: {
        ANTHROPIC_BASE_URL: api.url,
        ANTHROPIC_API_KEY: 'sk-ant-cancel-key',
        AGENT_ENVIRONMENTS_TIMEOUT_MS: '60000',
      },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function cancelled(
    args: Record<string, unknown>,
    whenToCancel: () => boolean,
    thenWaitMs = 0,
  ) {
    const controller = new AbortController();
    const call = server.client.callTool(
      { name: 'get_environment', arguments: args },
      CallToolResultSchema,
      { signal: controller.signal },
    );
    const settled = call.then(
      () => 'answered',
      () => 'rejected',
    );
    await until(whenToCancel);
    await sleep(thenWaitMs);
    controller.abort();
    expect(await settled).toBe('rejected');
  }

  it('aborts the in-flight HTTP request: the API sees the socket close', async () => {
    api.reset();
    const closedBefore = api.closedEarly;
    api.respond(hang);
    await cancelled({ environment_id: 'env_hung' }, () => api.requests.length === 1);
    await until(() => api.closedEarly > closedBefore);
    // A retry would come within the back-off (≤ 0.5 s); give it three times that.
    await sleep(1500);
    expect(api.requests).toHaveLength(1);
  });

  it('during a back-off wait, no retry fires afterwards', async () => {
    api.reset();
    api.respond(apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after-ms': '700' }));
    // Cancel once the 429 has been answered, i.e. while the server waits to retry.
    await cancelled({ environment_id: 'env_backoff' }, () => api.requests.length === 1, 200);
    await sleep(1500);
    expect(api.requests).toHaveLength(1);
  });

  it('the session carries on after cancels', async () => {
    const result = await server.call('get_environment', { environment_id: 'env_next' });
    expect(result.structuredContent).toMatchObject({ id: 'env_next' });
  });
});

/** Pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return kids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each([
  ['stdin closes', (raw: ReturnType<typeof spawnRaw>) => raw.child.stdin.end()],
  ['SIGTERM', (raw: ReturnType<typeof spawnRaw>) => raw.child.kill('SIGTERM')],
  ['SIGINT', (raw: ReturnType<typeof spawnRaw>) => raw.child.kill('SIGINT')],
])('shutdown when %s with calls in flight', (_how, stop) => {
  it('ends them and exits 0 within 2 s, leaving no child process and no open socket', async () => {
    api.reset();
    api.respond(hang, hang, hang);
    const closedBefore = api.closedEarly;
    const raw = spawnRaw({
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: 'sk-ant-shutdown-key',
      AGENT_ENVIRONMENTS_TIMEOUT_MS: '60000',
    });
    try {
      await raw.request('initialize', INITIALIZE);
      raw.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
      for (let i = 0; i < 3; i++) {
        raw.write({
          jsonrpc: '2.0',
          id: `inflight-${i}`,
          method: 'tools/call',
          params: { name: 'get_environment', arguments: { environment_id: `env_${i}` } },
        });
      }
      await until(() => api.requests.length === 3);
      expect(api.openSockets()).toBeGreaterThanOrEqual(3);
      const pid = raw.child.pid!;
      expect(childrenOf(pid)).toEqual([]);

      const started = performance.now();
      stop(raw);
      const { code, signal } = await raw.exited;
      const ms = performance.now() - started;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(ms).toBeLessThan(2000);
      expect(alive(pid)).toBe(false);
      // The API saw every in-flight request's socket close, and none is left open.
      await until(() => api.closedEarly - closedBefore === 3 && api.openSockets() === 0, 2000);
      raw.assertJsonOnly();
    } finally {
      raw.kill();
    }
  });
});
