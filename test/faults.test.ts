// Faults end to end: the MCP SDK Client drives the built server over stdio,
// and the server talks over loopback HTTP to a recorder that misbehaves the
// way networks, proxies and an overloaded API do. Every fault ends in a
// success after retries or a clear isError result in bounded time, and the
// next call works.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiError, startRecorder, type Recorder, type Responder } from './support/recorder.js';
import { apiResponder } from './support/fixtures.js';
import { startEmulator, type EmulatorHandle } from '../src/emulator/index.js';
import {
  dropConnection,
  forward,
  hang,
  html,
  oversized,
  rawBody,
  redirect,
  trickle,
  truncated,
} from './support/faults.js';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';

const TIMEOUT_MS = 800;
const DEADLINE_MS = 2500;
const CAP = 64 * 1024;
// "Bounded" with room for a loaded machine: the deadline plus slack.
const BOUND_MS = DEADLINE_MS + 5000;

let api: Recorder;
let elsewhere: Recorder;
let server: Spawned;

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = apiResponder();
  elsewhere = await startRecorder();
  server = await spawnServer({
    env: {
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: 'sk-ant-faults-api-key',
      ANTHROPIC_ENVIRONMENT_KEY: 'faults-environment-key',
      AGENT_ENVIRONMENTS_TIMEOUT_MS: String(TIMEOUT_MS),
      AGENT_ENVIRONMENTS_DEADLINE_MS: String(DEADLINE_MS),
      AGENT_ENVIRONMENTS_MAX_RESPONSE_BYTES: String(CAP),
    },
  });
});

afterAll(async () => {
  await server?.close();
  await api?.close();
  await elsewhere?.close();
});

beforeEach(() => {
  api.reset();
  elsewhere.reset();
});

const GET = ['get_environment', { environment_id: 'env_faults' }] as const;
const CREATE = ['create_environment', { name: 'faults-env', config: { type: 'cloud' } }] as const;

async function run(call: readonly [string, Record<string, unknown>], ...responders: Responder[]) {
  api.reset();
  api.respond(...responders);
  const started = performance.now();
  const result = await server.call(call[0], call[1]);
  const ms = performance.now() - started;
  const requests = api.requests.length;
  const methods = api.requests.map((r) => `${r.method} ${r.path}`);
  api.reset();
  // Whatever happened, the next call is served normally.
  const next = await server.call(...GET);
  expect(next.isError, JSON.stringify(next)).toBeFalsy();
  expect(next.structuredContent).toMatchObject({ id: 'env_faults', type: 'environment' });
  return { result, body: resultJson(result), requests, methods, ms };
}

describe('retried faults end in success', () => {
  it('429 with retry-after (seconds) waits as asked, then succeeds', async () => {
    const r = await run(
      GET,
      apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after': '1' }),
    );
    expect(r.result.isError).toBeFalsy();
    expect(r.body).toMatchObject({ id: 'env_faults' });
    expect(r.requests).toBe(2);
    expect(r.ms).toBeGreaterThanOrEqual(900); // the wait was honoured (a lower bound: safe under load)
  });

  it('429 with retry-after-ms, then succeeds', async () => {
    const r = await run(
      GET,
      apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after-ms': '40' }),
    );
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(2);
  });

  it('500 (default back-off), then succeeds', async () => {
    const r = await run(GET, apiError(500, 'api_error', 'internal'));
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(2);
  });

  it('502 with an HTML body from a gateway, then succeeds', async () => {
    const r = await run(
      GET,
      html(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'retry-after-ms': '10' }),
    );
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(2);
  });

  it('503 twice, then succeeds on the last allowed retry', async () => {
    const unavailable = apiError(503, 'api_error', 'unavailable', {}, { 'retry-after-ms': '10' });
    const r = await run(GET, unavailable, unavailable);
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(3);
  });

  it('a dropped connection on a read, then succeeds', async () => {
    const r = await run(GET, dropConnection);
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(2);
  });

  it('a body cut short of its content-length, then succeeds', async () => {
    const r = await run(GET, truncated('{"id":"env_faults","type":"envir'));
    expect(r.result.isError).toBeFalsy();
    expect(r.requests).toBe(2);
  });

  it('a create refused with 429 is retried: the API did not act on it', async () => {
    const r = await run(
      CREATE,
      apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after-ms': '10' }),
    );
    expect(r.result.isError).toBeFalsy();
    expect(r.body).toMatchObject({ type: 'environment', name: 'faults-env' });
    expect(r.requests).toBe(2);
  });
});

describe('final faults end in a clear isError result', () => {
  it('529 overloaded_error on every attempt: status, type, message, request id and hint', async () => {
    const overloaded = apiError(
      529,
      'overloaded_error',
      'Overloaded',
      {},
      { 'retry-after-ms': '10' },
    );
    const r = await run(GET, overloaded, overloaded, overloaded);
    expect(r.result.isError).toBe(true);
    expect(r.body.error).toMatchObject({
      status: 529,
      type: 'overloaded_error',
      message: 'Overloaded',
      request_id: 'req_test_529',
    });
    expect(r.body.error.hint).toMatch(/overloaded/i);
    expect(r.requests).toBe(3);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it('429 on every attempt reports retry_after_seconds', async () => {
    const limited = apiError(
      429,
      'rate_limit_error',
      'Rate limited',
      {},
      { 'retry-after-ms': '20' },
    );
    const r = await run(GET, limited, limited, limited);
    expect(r.body.error).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      retry_after_seconds: 1,
    });
    expect(r.requests).toBe(3);
  });

  it('x-should-retry: false on a 500 is not retried', async () => {
    const r = await run(
      GET,
      apiError(500, 'api_error', 'do not retry me', {}, { 'x-should-retry': 'false' }),
    );
    expect(r.result.isError).toBe(true);
    expect(r.body.error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'do not retry me',
    });
    expect(r.requests).toBe(1);
  });

  it('an HTML 502 on every attempt says it was not an API answer', async () => {
    const page = html(502, '<html><body>Bad Gateway</body></html>', { 'retry-after-ms': '10' });
    const r = await run(GET, page, page, page);
    expect(r.body.error).toMatchObject({ status: 502, type: 'api_error' });
    expect(r.body.error.message).toMatch(/text\/html.*not an API error/);
    expect(r.body.error.message).not.toContain('<html>');
  });

  it('a server that accepts and never answers: a timeout within the deadline', async () => {
    const r = await run(GET, hang, hang, hang);
    expect(r.result.isError).toBe(true);
    expect(['timeout', 'deadline']).toContain(r.body.error.type);
    expect(r.body.error.message).toMatch(/time/);
    expect(r.body.error.outcome_unknown).toBe(false);
    expect(r.requests).toBeGreaterThanOrEqual(1);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it('a body that trickles past the time limit is cut off', async () => {
    const slow = trickle(50);
    const r = await run(GET, slow, slow, slow);
    expect(r.result.isError).toBe(true);
    expect(['timeout', 'deadline']).toContain(r.body.error.type);
    expect(r.ms).toBeLessThan(BOUND_MS);
  });

  it('malformed JSON in a 200 answer', async () => {
    const r = await run(GET, rawBody(200, '{"id": "env_faults", oops}'));
    expect(r.body.error).toMatchObject({ type: 'bad_body', request_id: 'req_raw' });
    expect(r.body.error.message).toMatch(/not valid JSON/);
    expect(r.requests).toBe(1);
  });

  it('JSON truncated inside a complete HTTP answer', async () => {
    const r = await run(GET, rawBody(200, '{"id": "env_faults", "type": "environ'));
    expect(r.body.error.type).toBe('bad_body');
  });

  it('a streamed body over --max-response-bytes is refused, not buffered', async () => {
    const r = await run(GET, oversized(4 * CAP));
    expect(r.body.error.type).toBe('too_large');
    expect(r.body.error.message).toContain(String(CAP));
    expect(r.requests).toBe(1);
  });

  it('a declared content-length over the cap is refused before reading', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(2 * CAP) });
    const r = await run(GET, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(big)),
      });
      res.end(big);
    });
    expect(r.body.error.type).toBe('too_large');
  });

  for (const status of [301, 302, 307, 308]) {
    it(`a ${status} redirect to another origin is not followed: credentials stay home`, async () => {
      const r = await run(GET, redirect(status, `${elsewhere.url}/v1/environments/env_faults`));
      expect(r.result.isError).toBe(true);
      expect(r.body.error.type).toBe('redirect');
      expect(r.body.error.message).toMatch(/not followed/);
      expect(r.requests).toBe(1);
      expect(elsewhere.requests).toHaveLength(0);
    });
  }
});

describe('a create whose answer is lost is never sent twice', () => {
  // create_environment is the one call that is not safe to repeat: a second
  // POST makes a second environment. When the request may have reached the
  // API but no answer came back, the server does not retry it and says the
  // outcome is unknown.
  function expectUnknown(r: Awaited<ReturnType<typeof run>>) {
    expect(r.result.isError).toBe(true);
    expect(r.body.error.outcome_unknown).toBe(true);
    expect(r.body.error.message).toMatch(/may or may not have been/);
    expect(r.body.error.message).toMatch(/list_environments/);
    expect(r.methods).toEqual(['POST /v1/environments']);
  }

  it('connection dropped after the request was read', async () => {
    expectUnknown(await run(CREATE, dropConnection));
  });

  it('no answer before the time limit', async () => {
    expectUnknown(await run(CREATE, hang));
  });

  it('an answer cut short', async () => {
    expectUnknown(await run(CREATE, truncated('{"id":"env_new","type":"environment"')));
  });

  it('a gateway 502 or 504 (the origin may have written)', async () => {
    expectUnknown(await run(CREATE, html(502, '<html>Bad Gateway</html>')));
    expectUnknown(await run(CREATE, html(504, '<html>Gateway Timeout</html>')));
  });

  it('connection refused before sending is safe to retry', async () => {
    // Nothing listens at this port: the request never left, so a retry cannot duplicate.
    const closed = await startRecorder();
    const url = closed.url;
    await closed.close();
    const other = await spawnServer({
      env: {
        ANTHROPIC_BASE_URL: url,
        ANTHROPIC_API_KEY: 'sk-ant-faults-api-key',
        AGENT_ENVIRONMENTS_DEADLINE_MS: String(DEADLINE_MS),
      },
    });
    try {
      const result = await other.call(...CREATE);
      const body = resultJson(result);
      expect(result.isError).toBe(true);
      expect(body.error).toMatchObject({ type: 'network', outcome_unknown: false });
      expect(body.error.message).toMatch(/ECONNREFUSED/);
    } finally {
      await other.close();
    }
  });
});

describe('a create whose answer is lost after the API made the environment', () => {
  // The server talks to the emulator through the recorder acting as a proxy
  // that carries the request out and then loses the answer: the one case
  // where a retry would make a duplicate.
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  async function namedInEmulator(name: string): Promise<number> {
    const res = await fetch(`${emulator.url}/v1/environments?limit=1000`, {
      headers: {
        'x-api-key': 'any',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'managed-agents-2026-04-01',
      },
    });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { data: { name: string }[] };
    return list.data.filter((e) => e.name === name).length;
  }

  it('is not retried, says the outcome is unknown, and the environment exists once', async () => {
    api.reset();
    api.respond(forward(emulator.url, { loseAnswer: true }));
    const result = await server.call('create_environment', {
      name: 'lost-answer',
      config: { type: 'self_hosted' },
    });
    const error = resultJson(result).error;
    expect(result.isError).toBe(true);
    expect(error.outcome_unknown).toBe(true);
    expect(error.message).toMatch(/OUTCOME UNKNOWN/);
    expect(api.requests).toHaveLength(1);
    expect(await namedInEmulator('lost-answer')).toBe(1);

    // Following the advice finds it, through the same (now healthy) path.
    api.fallback = forward(emulator.url);
    try {
      const listed = await server.call('list_environments', { limit: 100 });
      expect(
        (listed.structuredContent as { data: { name: string }[] }).data.filter(
          (e) => e.name === 'lost-answer',
        ),
      ).toHaveLength(1);
    } finally {
      api.fallback = apiResponder();
    }
  });

  it('a create refused with 429 and then made is made once', async () => {
    emulator.faults.add({ operation: 'create_environment', status: 429, retry_after_ms: 10 });
    api.reset();
    api.fallback = forward(emulator.url);
    try {
      const result = await server.call('create_environment', { name: 'after-429' });
      expect(result.isError).toBeFalsy();
      expect(api.requests).toHaveLength(2);
      expect(await namedInEmulator('after-429')).toBe(1);
    } finally {
      api.fallback = apiResponder();
    }
  });
});
