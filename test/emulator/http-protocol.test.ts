// What holds for every route: error bodies and request ids, required
// headers, credentials (lenient and strict), faults on demand, the clock.
import { afterEach, describe, expect, it } from 'vitest';
import {
  EMULATOR_API_KEY,
  EMULATOR_ENVIRONMENT_KEY,
  type EmulatorHandle,
} from '../../src/emulator/index.js';
import { sessionsTokenFromSecret } from '../../src/api/credentials.js';
import { frozenEmulator, selfHosted, type Api } from './support.js';

let emulator: EmulatorHandle | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(opts: Parameters<typeof frozenEmulator>[0] = {}): Promise<Api> {
  const started = await frozenEmulator(opts);
  emulator = started.emulator;
  return started.api;
}

describe('errors and request ids', () => {
  it('every answer carries a request-id header, echoed in error bodies', async () => {
    const api = await start();
    const answers = [
      await api('GET', '/v1/environments'),
      await api('GET', '/v1/environments/env_none'),
      await api('GET', '/v1/nothing'),
      await api('GET', '/_emulator/clock'),
      await api('GET', '/_emulator/nothing'),
    ];
    const ids = answers.map((a) => a.headers.get('request-id'));
    for (const id of ids) expect(id).toMatch(/^req_011C[1-9A-Za-z]{20}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of answers.filter((x) => x.status >= 400)) {
      expect(a.json).toEqual({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
        request_id: a.headers.get('request-id'),
      });
      expect(a.headers.get('content-type')).toBe('application/json');
    }
  });

  it('an unknown path is 404 not_found_error', async () => {
    const api = await start();
    const res = await api('GET', '/v1/environments/env_x/things');
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual({
      type: 'not_found_error',
      message: 'Not found: GET /v1/environments/env_x/things',
    });
  });

  it('a known path with another method is 405 with an allow header', async () => {
    const api = await start();
    const res = await api('PUT', '/v1/environments');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, GET');
    expect(res.json.error.type).toBe('invalid_request_error');
  });

  it('a body that is not JSON, or not an object, is 400', async () => {
    const api = await start();
    let res = await api('POST', '/v1/environments', { rawBody: '{"name":' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^body: not valid JSON/);
    res = await api('POST', '/v1/environments', { body: ['name'] });
    expect(res.json.error.message).toMatch(/^body: must be a JSON object/);
  });

  it('a body over 1 MiB is 413 request_too_large', async () => {
    const api = await start();
    const res = await api('POST', '/v1/environments', {
      rawBody: JSON.stringify({ name: 'x', description: 'd'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(res.json.error.type).toBe('request_too_large');
  });

  it('the server keeps serving after bad requests', async () => {
    const api = await start();
    await api('POST', '/v1/environments', { rawBody: 'nope' });
    await api('GET', '/v1/environments?limit=-1');
    expect((await api('POST', '/v1/environments', { body: { name: 'fine' } })).status).toBe(200);
  });
});

describe('required headers', () => {
  it('anthropic-version is required', async () => {
    const api = await start();
    const res = await api('GET', '/v1/environments', { headers: { 'anthropic-version': '' } });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toMatch(/^anthropic-version: /);
  });

  it('anthropic-beta must include managed-agents-2026-04-01 (among others)', async () => {
    const api = await start();
    expect(
      (await api('GET', '/v1/environments', { headers: { 'anthropic-beta': 'other-beta' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await api('GET', '/v1/environments', {
          headers: { 'anthropic-beta': 'other-beta, managed-agents-2026-04-01' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('credentials, lenient (default)', () => {
  it('any non-empty x-api-key or Bearer token is accepted, on every route', async () => {
    const api = await start();
    expect((await api('GET', '/v1/environments', { key: 'whatever' })).status).toBe(200);
    expect(
      (
        await api('GET', '/v1/environments', {
          key: null,
          headers: { authorization: 'Bearer anything' },
        })
      ).status,
    ).toBe(200);
  });

  it('no credential is 401 authentication_error', async () => {
    const api = await start();
    for (const headers of [
      {},
      { authorization: 'Bearer ' },
      { 'x-api-key': '  ' },
      { authorization: 'Basic abc' },
    ] as Record<string, string>[]) {
      const res = await api('GET', '/v1/environments', { key: null, headers });
      expect(res.status).toBe(401);
      expect(res.json.error.type).toBe('authentication_error');
    }
  });

  it('the emulator routes need none', async () => {
    const api = await start();
    expect((await api('GET', '/_emulator/faults', { key: null })).status).toBe(200);
  });
});

describe('credentials, strict', () => {
  const bearer = (token: string) => ({ key: null, headers: { authorization: `Bearer ${token}` } });

  async function strictSetup() {
    const api = await start({
      strictAuth: { apiKeys: ['sk-api', 'oauth-token'], environmentKeys: ['env-key'] },
    });
    const env = await selfHosted((m, p, o = {}) => api(m, p, { ...o, key: 'sk-api' }));
    const work = (suffix = '') => `/v1/environments/${env}/work${suffix}`;
    const item = emulator!.enqueue(env).id as string;
    return { api, env, work, item };
  }

  it('an unknown credential is 401; a missing one too', async () => {
    const { api } = await strictSetup();
    expect((await api('GET', '/v1/environments', { key: 'sk-wrong' })).status).toBe(401);
    expect((await api('GET', '/v1/environments', { key: null })).status).toBe(401);
  });

  it('environment endpoints take the API key (x-api-key or Bearer) or auth token, not the environment key', async () => {
    const { api } = await strictSetup();
    expect((await api('GET', '/v1/environments', { key: 'sk-api' })).status).toBe(200);
    expect((await api('GET', '/v1/environments', bearer('sk-api'))).status).toBe(200);
    expect((await api('GET', '/v1/environments', bearer('oauth-token'))).status).toBe(200);
    const res = await api('GET', '/v1/environments', bearer('env-key'));
    expect(res.status).toBe(403);
    expect(res.json.error).toEqual({
      type: 'permission_error',
      message: 'list_environments does not accept the environment key; use an API key',
    });
  });

  it('work list takes the environment key and rejects the API key', async () => {
    const { api, work } = await strictSetup();
    expect((await api('GET', work(), bearer('env-key'))).status).toBe(200);
    expect((await api('GET', work(), { key: 'sk-api' })).status).toBe(403);
  });

  it('work get, update and stats take the API key and reject the environment key and the work token', async () => {
    const { api, work, item } = await strictSetup();
    const token = sessionsTokenFromSecret(
      (await api('GET', work('/poll'), bearer('env-key'))).json.secret,
    )!;
    for (const [method, path, body] of [
      ['GET', work(`/${item}`)],
      ['POST', work(`/${item}`), { metadata: { a: '1' } }],
      ['GET', work('/stats')],
    ] as const) {
      expect((await api(method, path, { key: 'sk-api', body })).status).toBe(200);
      expect((await api(method, path, { ...bearer('env-key'), body })).status).toBe(403);
      expect((await api(method, path, { ...bearer(token), body })).status).toBe(403);
    }
  });

  it("poll takes the environment key only; ack takes it or the item's token", async () => {
    const { api, work, item } = await strictSetup();
    expect((await api('GET', work('/poll'), { key: 'sk-api' })).status).toBe(403);
    const polled = await api('GET', work('/poll'), bearer('env-key'));
    const token = sessionsTokenFromSecret(polled.json.secret)!;
    expect((await api('POST', work(`/${item}/ack`), { key: 'sk-api' })).status).toBe(403);
    expect((await api('POST', work(`/${item}/ack`), bearer(token))).status).toBe(200);
    expect((await api('POST', work(`/${item}/ack`), bearer('env-key'))).status).toBe(200);
  });

  it("heartbeat takes the item's token or the environment key; a token of another item is 403", async () => {
    const { api, env, work, item } = await strictSetup();
    const other = emulator!.enqueue(env).id as string;
    const first = await api('GET', work('/poll'), bearer('env-key'));
    const second = await api('GET', work('/poll'), bearer('env-key'));
    expect([first.json.id, second.json.id]).toEqual([item, other]);
    const token = sessionsTokenFromSecret(first.json.secret)!;
    await api('POST', work(`/${item}/ack`), bearer('env-key'));
    expect((await api('POST', work(`/${item}/heartbeat`), { key: 'sk-api' })).status).toBe(403);
    expect((await api('POST', work(`/${item}/heartbeat`), bearer(token))).status).toBe(200);
    expect((await api('POST', work(`/${item}/heartbeat`), bearer('env-key'))).status).toBe(200);
    const wrong = await api('POST', work(`/${other}/heartbeat`), bearer(token));
    expect(wrong.status).toBe(403);
    expect(wrong.json.error.message).toContain('another work item');
  });

  it('stop takes any of the three', async () => {
    const { api, env, work } = await strictSetup();
    const ids = [
      emulator!.enqueue(env).id,
      emulator!.enqueue(env).id,
      emulator!.enqueue(env).id,
    ] as string[];
    const polled = await api('GET', work('/poll'), bearer('env-key'));
    const token = sessionsTokenFromSecret(polled.json.secret)!;
    expect(
      (await api('POST', work(`/${polled.json.id}/stop`), { ...bearer(token), body: {} })).status,
    ).toBe(200);
    const rest = ids.filter((id) => id !== polled.json.id);
    expect((await api('POST', work(`/${rest[0]}/stop`), { key: 'sk-api', body: {} })).status).toBe(
      200,
    );
    expect(
      (await api('POST', work(`/${rest[1]}/stop`), { ...bearer('env-key'), body: {} })).status,
    ).toBe(200);
  });

  it('strictAuth: true accepts the placeholder keys', async () => {
    const api = await start({ strictAuth: true });
    expect((await api('GET', '/v1/environments', { key: EMULATOR_API_KEY })).status).toBe(200);
    expect((await api('GET', '/v1/environments', { key: EMULATOR_ENVIRONMENT_KEY })).status).toBe(
      403,
    );
    expect((await api('GET', '/v1/environments', { key: 'anything' })).status).toBe(401);
  });
});

describe('faults on demand', () => {
  it('the next N requests of an operation fail with the status and its error body', async () => {
    const api = await start();
    const fault = await api('POST', '/_emulator/faults', {
      body: { operation: 'list_environments', status: 529, count: 2 },
    });
    expect(fault.json).toMatchObject({
      id: 1,
      operation: 'list_environments',
      status: 529,
      count: 2,
      remaining: 2,
    });
    expect(
      (await api('POST', '/v1/environments', { body: { name: 'other routes pass' } })).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await api('GET', '/v1/environments');
      expect(res.status).toBe(529);
      expect(res.json).toMatchObject({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Emulated fault: HTTP 529' },
      });
      expect(res.json.request_id).toBe(res.headers.get('request-id'));
    }
    expect((await api('GET', '/v1/environments')).status).toBe(200);
  });

  it('with retry-after, retry-after-ms, x-should-retry, a type, message and error_code of choice', async () => {
    const api = await start();
    await api('POST', '/_emulator/faults', {
      body: {
        status: 429,
        retry_after: 3,
        retry_after_ms: 2500,
        should_retry: false,
        message: 'slow down',
        error_code: 'rate_limited',
        type: 'rate_limit_error',
      },
    });
    const res = await api('GET', '/v1/environments');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('retry-after-ms')).toBe('2500');
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(res.json.error).toEqual({
      type: 'rate_limit_error',
      message: 'slow down',
      details: { error_code: 'rate_limited' },
    });
  });

  it('a delay holds the answer back, then answers normally', async () => {
    const api = await start();
    await api('POST', '/_emulator/faults', {
      body: { operation: 'list_environments', delay_ms: 200 },
    });
    const started = performance.now();
    const res = await api('GET', '/v1/environments');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('drop closes the connection without an answer', async () => {
    const api = await start();
    emulator!.faults.add({ operation: 'get_environment', drop: true });
    await expect(api('GET', '/v1/environments/env_x')).rejects.toThrow();
    expect((await api('GET', '/v1/environments/env_x')).status).toBe(404);
  });

  it('faults are listed in order, and cleared', async () => {
    const api = await start();
    emulator!.faults.add({ operation: 'poll_work_item', status: 500, count: 3 });
    await api('POST', '/_emulator/faults', { body: { status: 503 } });
    expect(
      (await api('GET', '/_emulator/faults')).json.data.map((f: { status: number }) => f.status),
    ).toEqual([500, 503]);
    expect((await api('DELETE', '/_emulator/faults')).json).toEqual({ data: [] });
    expect((await api('GET', '/v1/environments')).status).toBe(200);
  });

  it('a fault needs a status, delay or drop, and a known operation', async () => {
    const api = await start();
    expect(
      (await api('POST', '/_emulator/faults', { body: { operation: 'poll_work_item' } })).json.error
        .message,
    ).toContain('a fault needs status, delay_ms or drop');
    expect(
      (await api('POST', '/_emulator/faults', { body: { operation: 'nope', status: 500 } })).json
        .error.message,
    ).toMatch(/^operation: /);
  });
});

describe('the clock route', () => {
  it('tells the time and moves it forward', async () => {
    const api = await start();
    expect((await api('GET', '/_emulator/clock')).json).toEqual({
      now: '2026-01-01T00:00:00.000Z',
      frozen: true,
    });
    expect((await api('POST', '/_emulator/clock', { body: { advance_ms: 90_000 } })).json.now).toBe(
      '2026-01-01T00:01:30.000Z',
    );
    const created = await api('POST', '/v1/environments', { body: { name: 'later' } });
    expect(created.json.created_at).toBe('2026-01-01T00:01:30.000000Z');
    expect((await api('POST', '/_emulator/clock', { body: { advance_ms: -1 } })).status).toBe(400);
  });

  it('an unknown emulator route is 404 listing the real ones', async () => {
    const api = await start();
    const res = await api('GET', '/_emulator/environments');
    expect(res.status).toBe(404);
    expect(res.json.error.message).toContain('/_emulator/faults');
  });
});
