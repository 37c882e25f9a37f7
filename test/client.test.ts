// The API client against a recording HTTP server on a real loopback socket:
// the requests it builds, the credential each operation takes, and its retry,
// timeout, cancellation and response-handling decisions.
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAllPools, createApiClient, type AttemptRecord } from '../src/api/client.js';
import { ApiError, MissingCredentialError, TransportError } from '../src/api/errors.js';
import type { OperationName } from '../src/api/operations.js';
import { retryAfterMs, retryDelayMs } from '../src/api/retry.js';
import type { Config } from '../src/config/config.js';
import { testConfig, until } from './support/config.js';
import {
  apiError,
  json,
  startRecorder,
  type Recorder,
  type Responder,
} from './support/recorder.js';
import {
  API_KEY,
  AUTH_TOKEN,
  ENV_ID,
  ENVIRONMENT_KEY,
  KEY_HEADERS,
  POLLED_ID,
  REQUIRED_BETA,
  SAMPLE_NAMES,
  SESSIONS_TOKEN,
  WORK_ID,
  environment,
  expectContractRequest,
  polledItem,
  samples,
  workItem,
} from './support/samples.js';

let rec: Recorder;
beforeEach(async () => {
  rec = await startRecorder();
  rec.fallback = json(200, environment);
});
afterEach(async () => {
  await closeAllPools();
  await rec.close();
});

function client(
  overrides: Partial<Config> = {},
  env: Record<string, string> = {},
  onAttempt?: (r: AttemptRecord) => void,
) {
  return createApiClient(testConfig(rec.url, { deadlineMs: 20_000, ...overrides }, env), {
    onAttempt,
  });
}

/** The error a call rejects with. */
async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

const hang: Responder = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const get = { environment_id: ENV_ID };
const work = { environment_id: ENV_ID, work_id: WORK_ID };
const at = (...statuses: number[]) => statuses;

describe('requests', () => {
  it.each(SAMPLE_NAMES)('%s sends the request of the contract', async (name) => {
    const s = samples[name];
    rec.respond(json(200, s.response));
    const c = client(
      {},
      { ANTHROPIC_BETA: 'extra-one, extra-two', ANTHROPIC_WORKSPACE_ID: 'wrkspc_01' },
    );
    expect(await c.call(name, s.args as never)).toEqual(s.response);
    expect(rec.requests).toHaveLength(1);
    expectContractRequest(rec.requests[0]!, s, {
      workspaceId: 'wrkspc_01',
      beta: `extra-one,extra-two,${REQUIRED_BETA}`,
      credentials: KEY_HEADERS,
    });
  });

  it('sends only the required beta and no workspace header by default', async () => {
    await client().call('get_environment', get);
    const h = rec.requests[0]!.headers;
    expect(h['anthropic-beta']).toBe(REQUIRED_BETA);
    expect(h['anthropic-workspace-id']).toBeUndefined();
  });

  it('does not repeat the required beta when it is configured too', async () => {
    await client({}, { ANTHROPIC_BETA: `${REQUIRED_BETA},other` }).call('get_environment', get);
    expect(rec.requests[0]!.headers['anthropic-beta']).toBe(`other,${REQUIRED_BETA}`);
  });

  it('sends the configured anthropic-version', async () => {
    await client({}, { ANTHROPIC_VERSION: '2026-10-21' }).call('get_environment', get);
    expect(rec.requests[0]!.headers['anthropic-version']).toBe('2026-10-21');
  });

  it('percent-encodes path segments', async () => {
    // Tool input forbids such ids; the client encodes anyway, so nothing can escape its segment.
    await client().call('get_work_item', { environment_id: 'a b/../c?d#e%f', work_id: 'ü' });
    expect(rec.requests[0]!.url).toBe('/v1/environments/a%20b%2F..%2Fc%3Fd%23e%25f/work/%C3%BC');
  });

  it('keeps the path of a base URL', async () => {
    await createApiClient(testConfig(`${rec.url}/proxy/`)).call('get_environment', get);
    expect(rec.requests[0]!.url).toBe(`/proxy/v1/environments/${ENV_ID}`);
  });

  it('leaves out query parameters that were not given, and keeps falsy ones that were', async () => {
    const c = client();
    await c.call('list_environments', {});
    await c.call('list_environments', { include_archived: false });
    rec.respond(json(200, null));
    await c.call('poll_work_item', { environment_id: ENV_ID });
    rec.respond(json(200, samples.heartbeat_work_item.response));
    await c.call('heartbeat_work_item', { ...work, expected_last_heartbeat: 'NO_HEARTBEAT' });
    expect(rec.requests.map((r) => r.url)).toEqual([
      '/v1/environments',
      '/v1/environments?include_archived=false',
      `/v1/environments/${ENV_ID}/work/poll`,
      `/v1/environments/${ENV_ID}/work/${WORK_ID}/heartbeat?expected_last_heartbeat=NO_HEARTBEAT`,
    ]);
    expect(rec.requests[2]!.headers['anthropic-worker-id']).toBeUndefined();
  });

  it('sends only the given arguments in a body', async () => {
    const c = client();
    await c.call('create_environment', { name: 'x' });
    await c.call('update_environment', {
      environment_id: ENV_ID,
      description: '',
      name: undefined,
      scope: 'account',
    });
    await c.call('stop_work_item', work);
    await c.call('stop_work_item', { ...work, force: false });
    expect(rec.requests.map((r) => r.body)).toEqual([
      '{"name":"x"}',
      '{"description":"","scope":"account"}',
      '{}',
      '{"force":false}',
    ]);
    // Stop without force still has a body, so it says what it is.
    expect(rec.requests[2]!.headers['content-type']).toBe('application/json');
  });

  it('reuses keep-alive connections for calls to the same origin, across clients', async () => {
    const ports: number[] = [];
    rec.fallback = (r, res, raw) => {
      ports.push(raw.socket.remotePort!);
      json(200, environment)(r, res, raw);
    };
    // undici may open a second connection while the first is being released,
    // so the proof is that six calls needed fewer than six connections.
    const clients = [client(), client()];
    for (let i = 0; i < 6; i++) await clients[i % 2]!.call('get_environment', get);
    expect(ports).toHaveLength(6);
    expect(new Set(ports).size).toBeLessThan(6);
  });

  it('describes a request without its credential', () => {
    const d = client().describe('create_environment', { name: 'x' });
    expect(d).toMatchObject({
      method: 'POST',
      url: `${rec.url}/v1/environments`,
      body: { name: 'x' },
    });
    expect(JSON.stringify(d)).not.toContain(API_KEY);
  });
});

describe('credentials', () => {
  it('sends the auth token as a Bearer where the API key is missing', async () => {
    await client({ apiKey: undefined, authToken: AUTH_TOKEN }).call('get_environment', get);
    expect(rec.requests[0]!.headers.authorization).toBe(`Bearer ${AUTH_TOKEN}`);
    expect(rec.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('prefers the API key over the auth token', async () => {
    await client({ authToken: AUTH_TOKEN }).call('get_environment', get);
    expect(rec.requests[0]!.headers['x-api-key']).toBe(API_KEY);
    expect(rec.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('stops with the environment key when there is no API key', async () => {
    await client({ apiKey: undefined }).call('stop_work_item', work);
    expect(rec.requests[0]!.headers.authorization).toBe(`Bearer ${ENVIRONMENT_KEY}`);
  });

  it('heartbeats (and stops) with the per-item token of a polled secret', async () => {
    const c = client({ apiKey: undefined });
    rec.respond(json(200, polledItem));
    const polled = { environment_id: ENV_ID, work_id: POLLED_ID };
    await c.call('poll_work_item', { environment_id: ENV_ID });
    await c.call('heartbeat_work_item', polled);
    await c.call('stop_work_item', polled);
    await c.call('heartbeat_work_item', work);
    expect(rec.requests.slice(1).map((r) => r.headers.authorization)).toEqual([
      `Bearer ${SESSIONS_TOKEN}`,
      `Bearer ${SESSIONS_TOKEN}`,
      `Bearer ${ENVIRONMENT_KEY}`,
    ]);
    expect(c.secrets()).toContain(SESSIONS_TOKEN);
  });

  it('reads a secret in standard, padded base64 too (as the SDK does)', async () => {
    const c = client();
    const secret = Buffer.from(JSON.stringify({ sessions_token: 'tok?>>' })).toString('base64');
    expect(secret).toMatch(/[+/=]/);
    rec.respond(json(200, { ...workItem, secret }));
    await c.call('poll_work_item', { environment_id: ENV_ID });
    await c.call('heartbeat_work_item', work);
    expect(rec.requests[1]!.headers.authorization).toBe('Bearer tok?>>');
  });

  it('falls back to the environment key when a secret holds no token', async () => {
    const c = client();
    rec.respond(json(200, { ...workItem, secret: 'not-base64-json' }));
    await c.call('poll_work_item', { environment_id: ENV_ID });
    await c.call('heartbeat_work_item', work);
    expect(rec.requests[1]!.headers.authorization).toBe(`Bearer ${ENVIRONMENT_KEY}`);
  });

  it('prefers the API key for stop even with a polled token', async () => {
    const c = client();
    rec.respond(json(200, polledItem));
    await c.call('poll_work_item', { environment_id: ENV_ID });
    await c.call('stop_work_item', { environment_id: ENV_ID, work_id: POLLED_ID });
    expect(rec.requests[1]!.headers['x-api-key']).toBe(API_KEY);
    expect(rec.requests[1]!.headers.authorization).toBeUndefined();
  });

  const missing: [OperationName, Record<string, unknown>, string[]][] = [
    ['get_environment', get, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN']],
    ['get_work_queue_stats', get, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN']],
    ['list_work_items', get, ['ANTHROPIC_ENVIRONMENT_KEY']],
    ['poll_work_item', get, ['ANTHROPIC_ENVIRONMENT_KEY']],
    ['heartbeat_work_item', work, ['ANTHROPIC_ENVIRONMENT_KEY']],
    [
      'stop_work_item',
      work,
      ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_ENVIRONMENT_KEY'],
    ],
  ];
  it.each(missing)(
    '%s without its credential names the variable and sends nothing',
    async (name, params, variables) => {
      const err = await rejection(
        client({ apiKey: undefined, environmentKey: undefined }).call(name, params as never),
      );
      expect(err).toBeInstanceOf(MissingCredentialError);
      expect(err.variables).toEqual(variables);
      expect(err.message).toContain(name);
      for (const v of variables) expect(err.message).toContain(v);
      expect(rec.requests).toHaveLength(0);
    },
  );
});

describe('retries', () => {
  it('retries a 429 after retry-after-ms', async () => {
    rec.respond(apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after-ms': '10' }));
    expect(await client().call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it('retries a 429 after retry-after (seconds)', async () => {
    rec.respond(apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after': '0' }));
    expect(await client().call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it('honours retry-after: a wait past the deadline answers at once with the API error', async () => {
    // Its own backoff (≤ 0.5 s) would fit the deadline; the asked 30 s does not.
    rec.respond(apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after': '30' }));
    const err = await rejection(client({ deadlineMs: 5_000 }).call('get_environment', get));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, type: 'rate_limit_error', retryAfterSeconds: 30 });
    expect(rec.requests).toHaveLength(1);
  });

  it('ignores a retry-after of a minute or more and backs off on its own (as the SDK does)', async () => {
    rec.respond(apiError(503, 'overloaded_error', 'busy', {}, { 'retry-after': '120' }));
    expect(await client({ deadlineMs: 10_000 }).call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it('prefers retry-after-ms over retry-after', async () => {
    rec.respond(
      apiError(
        429,
        'rate_limit_error',
        'slow down',
        {},
        { 'retry-after-ms': '10', 'retry-after': '30' },
      ),
    );
    expect(await client({ deadlineMs: 5_000 }).call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it.each(at(408, 409, 500, 502, 503, 504, 529))('retries %i', async (status) => {
    rec.respond(apiError(status, 'api_error', 'try again', {}, { 'retry-after-ms': '0' }));
    expect(await client().call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it.each(at(400, 401, 403, 404, 412, 413, 422))('does not retry %i', async (status) => {
    rec.respond(apiError(status, 'invalid_request_error', 'no', {}, { 'retry-after-ms': '0' }));
    const err = await rejection(client().call('get_environment', get));
    expect(err).toMatchObject({ status });
    expect(rec.requests).toHaveLength(1);
  });

  it('x-should-retry: false stops a retry of a 5xx', async () => {
    rec.respond(
      apiError(
        503,
        'overloaded_error',
        'busy',
        {},
        { 'x-should-retry': 'false', 'retry-after-ms': '0' },
      ),
    );
    expect(await rejection(client().call('get_environment', get))).toMatchObject({ status: 503 });
    expect(rec.requests).toHaveLength(1);
  });

  it('x-should-retry: true retries a 4xx', async () => {
    rec.respond(
      apiError(
        400,
        'invalid_request_error',
        'flaky',
        {},
        { 'x-should-retry': 'true', 'retry-after-ms': '0' },
      ),
    );
    expect(await client().call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it.each([0, 1, 3])('gives up after max retries (%i)', async (maxRetries) => {
    rec.fallback = apiError(500, 'api_error', 'down', {}, { 'retry-after-ms': '0' });
    const attempts: AttemptRecord[] = [];
    const err = await rejection(
      client({ maxRetries }, {}, (a) => attempts.push(a)).call('get_environment', get),
    );
    expect(err).toMatchObject({ status: 500, type: 'api_error', message: 'down' });
    expect(rec.requests).toHaveLength(maxRetries + 1);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual(
      rec.requests.map((_, i) => [i, 500]),
    );
  });

  it.each(at(502, 504))(
    'does not retry create after a %i: the outcome is unknown',
    async (status) => {
      rec.respond(apiError(status, 'api_error', 'gateway', {}, { 'retry-after-ms': '0' }));
      const err = await rejection(client().call('create_environment', { name: 'x' }));
      expect(err).toBeInstanceOf(TransportError);
      expect(err.outcomeUnknown).toBe(true);
      expect(err.message).toMatch(/may or may not/);
      expect(rec.requests).toHaveLength(1);
    },
  );

  it('retries create on other retryable statuses, and on a 502 the API says to retry', async () => {
    rec.respond(
      apiError(503, 'api_error', 'busy', {}, { 'retry-after-ms': '0' }),
      apiError(
        502,
        'api_error',
        'gateway',
        {},
        { 'retry-after-ms': '0', 'x-should-retry': 'true' },
      ),
    );
    expect(await client().call('create_environment', { name: 'x' })).toEqual(environment);
    expect(rec.requests).toHaveLength(3);
  });

  it('does not retry create when the response is lost: the outcome is unknown', async () => {
    rec.respond((_r, res) => void res.socket?.destroy());
    const err = await rejection(client().call('create_environment', { name: 'x' }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'network', outcomeUnknown: true });
    expect(err.message).toMatch(/may or may not/);
    expect(rec.requests).toHaveLength(1);
  });

  it('retries a read whose response is lost', async () => {
    rec.respond((_r, res) => void res.socket?.destroy());
    expect(await client().call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
  });

  it('a refused connection never reached the API: create is retried and its outcome is known', async () => {
    const closed = await startRecorder();
    await closed.close();
    const attempts: AttemptRecord[] = [];
    const c = createApiClient(testConfig(closed.url, { maxRetries: 1 }), {
      onAttempt: (a) => attempts.push(a),
    });
    const err = await rejection(c.call('create_environment', { name: 'x' }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'network', outcomeUnknown: false });
    expect(err.message).toContain('ECONNREFUSED');
    expect(attempts).toHaveLength(2);
  });
});

describe('time limits and cancellation', () => {
  it('a slow attempt times out and is retried', async () => {
    rec.respond(hang);
    // Generous: the retried attempt must answer within it on a loaded machine.
    expect(await client({ timeoutMs: 1_000 }).call('get_environment', get)).toEqual(environment);
    expect(rec.requests).toHaveLength(2);
    await until(() => rec.closedEarly === 1, 5_000, 'the timed-out socket to close');
  });

  it('a timed-out create is not retried: the outcome is unknown', async () => {
    rec.respond(hang);
    const err = await rejection(
      client({ timeoutMs: 1_000 }).call('create_environment', { name: 'x' }),
    );
    expect(err).toMatchObject({ failure: 'timeout', outcomeUnknown: true });
    expect(rec.requests).toHaveLength(1);
  });

  it('the deadline ends a call, whatever the attempt timeout', async () => {
    rec.fallback = hang;
    const err = await rejection(
      client({ timeoutMs: 60_000, deadlineMs: 1_000 }).call('get_environment', get),
    );
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('deadline');
    expect(err.message).toMatch(/deadline/);
    expect(rec.requests).toHaveLength(1);
  });

  it('cancelling closes the socket and retries nothing', async () => {
    rec.fallback = hang;
    const ctrl = new AbortController();
    const call = rejection(client().call('get_environment', get, { signal: ctrl.signal }));
    await until(() => rec.requests.length === 1, 5_000, 'the request');
    ctrl.abort();
    const err = await call;
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'cancelled', outcomeUnknown: false });
    await until(() => rec.closedEarly === 1, 5_000, 'the socket to close');
    await sleep(200);
    expect(rec.requests).toHaveLength(1);
  });

  it('cancelling a write says its outcome is unknown', async () => {
    rec.fallback = hang;
    const ctrl = new AbortController();
    const call = rejection(
      client().call('create_environment', { name: 'x' }, { signal: ctrl.signal }),
    );
    await until(() => rec.requests.length === 1, 5_000, 'the request');
    ctrl.abort();
    expect(await call).toMatchObject({ failure: 'cancelled', outcomeUnknown: true });
  });

  it('cancelling during the wait before a retry ends the call without the retry', async () => {
    rec.respond(apiError(429, 'rate_limit_error', 'slow down', {}, { 'retry-after-ms': '20000' }));
    const attempts: AttemptRecord[] = [];
    const ctrl = new AbortController();
    const call = rejection(
      client({ deadlineMs: 60_000 }, {}, (a) => attempts.push(a)).call('get_environment', get, {
        signal: ctrl.signal,
      }),
    );
    await until(() => attempts.length === 1, 5_000, 'the first attempt');
    ctrl.abort();
    expect(await call).toMatchObject({ failure: 'cancelled' });
    await sleep(200);
    expect(rec.requests).toHaveLength(1);
  });

  it('an already cancelled call sends nothing', async () => {
    const err = await rejection(
      client().call('get_environment', get, { signal: AbortSignal.abort() }),
    );
    expect(err).toMatchObject({ failure: 'cancelled' });
    await sleep(100);
    expect(rec.requests).toHaveLength(0);
  });
});

describe('responses', () => {
  const cap = { maxResponseBytes: 1024 };
  const body = (n: number) => JSON.stringify({ ...environment, description: 'x'.repeat(n) });

  it('accepts a response at the size cap', async () => {
    const text = body(1024 - body(0).length);
    expect(Buffer.byteLength(text)).toBe(1024);
    rec.respond(
      (_r, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(text),
    );
    expect(await client(cap).call('get_environment', get)).toMatchObject({ id: ENV_ID });
  });

  it('refuses a response whose content-length is over the cap, without retrying', async () => {
    rec.respond(
      (_r, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(body(2000)),
    );
    const err = await rejection(client(cap).call('get_environment', get));
    expect(err).toMatchObject({ failure: 'too_large' });
    expect(err.message).toContain('AGENT_ENVIRONMENTS_MAX_RESPONSE_BYTES');
    expect(rec.requests).toHaveLength(1);
  });

  it('refuses a chunked response that grows over the cap', async () => {
    rec.respond((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = body(5000);
      res.write(text.slice(0, 600));
      setTimeout(() => res.end(text.slice(600)), 20);
    });
    const err = await rejection(client(cap).call('get_environment', get));
    expect(err).toMatchObject({ failure: 'too_large' });
    expect(rec.requests).toHaveLength(1);
  });

  const notJson: [string, (res: ServerResponse) => void][] = [
    [
      'an HTML page',
      (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy login</html>'),
    ],
    [
      'truncated JSON',
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"env_'),
    ],
    ['an empty body', (res) => res.writeHead(200, { 'content-type': 'application/json' }).end()],
  ];
  it.each(notJson)('a 200 with %s is a clear error, not a crash', async (_what, send) => {
    rec.respond((_r, res) => send(res));
    const err = await rejection(client().call('get_environment', get));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('bad_body');
    expect(err.message).toMatch(/not valid JSON/);
    expect(rec.requests).toHaveLength(1);
  });

  it('a body cut off by a closed connection is a clear error', async () => {
    rec.fallback = (_r, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': '500',
        'request-id': 'req_cut',
      });
      res.write('{"id":"env_');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await rejection(client({ maxRetries: 0 }).call('get_environment', get));
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ failure: 'network', outcomeUnknown: false, requestId: 'req_cut' });
    expect(err.message).toMatch(
      /get_environment: the API answered 200 but the connection closed before the whole response arrived/,
    );
    const write = await rejection(client().call('create_environment', { name: 'x' }));
    expect(write).toMatchObject({ failure: 'network', outcomeUnknown: true });
    expect(rec.requests).toHaveLength(2);
  });

  it('an error status with a non-JSON body says so', async () => {
    rec.respond(
      (_r, res) =>
        void res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>'),
    );
    const err = await rejection(client({ maxRetries: 0 }).call('get_environment', get));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 502, type: 'api_error' });
    expect(err.message).toMatch(/text\/html.*not an API error/);
  });

  it('an API error carries status, type, message, request id and details', async () => {
    const details = {
      error_code: 'heartbeat_precondition_failed',
      current_state: { last_heartbeat: 'x', lease_extended: false, state: 'active' },
    };
    rec.respond(apiError(412, 'precondition_failed_error', 'mismatch', { details }));
    const err = await rejection(client().call('heartbeat_work_item', work));
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 412,
      type: 'precondition_failed_error',
      message: 'mismatch',
      requestId: 'req_test_412',
      details,
    });
  });

  it('takes the request id from the body when the header is missing', async () => {
    rec.respond((_r, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          type: 'error',
          error: { type: 'not_found_error', message: 'nope' },
          request_id: 'req_body',
        }),
      );
    });
    expect(await rejection(client().call('get_environment', get))).toMatchObject({
      status: 404,
      requestId: 'req_body',
    });
  });

  it('returns a bare JSON null (poll with no work)', async () => {
    rec.respond(json(200, null));
    expect(await client().call('poll_work_item', { environment_id: ENV_ID })).toBeNull();
  });

  it.each(at(301, 302, 307, 308))('does not follow a %i redirect', async (status) => {
    rec.respond(
      (_r, res) => void res.writeHead(status, { location: `${rec.url}/elsewhere` }).end(),
    );
    const err = await rejection(client().call('get_environment', get));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe('redirect');
    expect(err.message).toContain('ANTHROPIC_BASE_URL');
    expect(rec.requests).toHaveLength(1);
  });
});

describe('retry policy functions', () => {
  it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
    const now = Date.parse('2026-05-01T10:00:00Z');
    expect(retryAfterMs({ 'retry-after-ms': '250' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'Fri, 01 May 2026 10:00:03 GMT' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('uses the asked wait below 60 s, else exponential backoff with jitter capped at 8 s', () => {
    expect(retryDelayMs(0, 1500)).toBe(1500);
    expect(retryDelayMs(0, 0)).toBe(0);
    expect(retryDelayMs(0, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(0, -5, () => 0)).toBe(500);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(375);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(1000);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(8000);
  });
});
