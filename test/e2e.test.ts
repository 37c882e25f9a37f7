// The built server, spawned over stdio and driven by the MCP SDK's Client,
// against a recording HTTP server: every tool's request and result, errors as
// tool results, arguments refused before any request, and a server that keeps
// serving through all of it.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DATA_NOTICE } from '../src/calls/results.js';
import {
  ErrorCode,
  LoggingMessageNotificationSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from './support/config.js';
import { resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { apiError, json, startRecorder, type Recorder } from './support/recorder.js';
import {
  API_KEY,
  ENV_ID,
  ENVIRONMENT_KEY,
  KEY_HEADERS,
  POLLED_ID,
  REQUIRED_BETA,
  SAMPLE_NAMES,
  SESSIONS_TOKEN,
  TOOL_NAMES,
  WORK_ID,
  environment,
  expectContractRequest,
  polledItem,
  samples,
  workSecret,
} from './support/samples.js';

let rec: Recorder;
let s: Spawned;
const clientErrors: Error[] = [];

function serverEnv(url: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY,
    ANTHROPIC_WORKSPACE_ID: 'wrkspc_01',
    ANTHROPIC_BETA: 'extra-beta',
    AGENT_ENVIRONMENTS_MAX_RETRIES: '0',
    AGENT_ENVIRONMENTS_LOG_LEVEL: 'debug',
  };
}

beforeAll(async () => {
  rec = await startRecorder();
  s = await spawnServer({ env: serverEnv(rec.url) });
  // Anything on stdout that is not JSON-RPC would show up here.
  s.client.onerror = (e) => clientErrors.push(e);
  // Listing makes the SDK Client check every structuredContent against its output schema.
  await s.client.listTools();
});
afterAll(async () => {
  await s?.close();
  await rec?.close();
});
beforeEach(() => {
  rec.reset();
  rec.fallback = json(200, environment);
});

function errorOf(result: CallToolResult): Record<string, any> {
  expect(result.isError).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  return resultJson(result).error;
}

async function expectStillServing(): Promise<void> {
  rec.respond(json(200, environment));
  const result = await s.call('get_environment', { environment_id: ENV_ID });
  expect(result.isError).toBeFalsy();
  expect(result.structuredContent).toEqual(environment);
}

describe('every tool', () => {
  it('lists exactly the 14 tools of the contract, diagnose_work_queue and the app-only work_queue_snapshot', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(SAMPLE_NAMES).toHaveLength(14);
  });

  it('introduces itself: name and version of the package, instructions for the model', async () => {
    const pkg = createRequire(import.meta.url)('../package.json') as {
      name: string;
      version: string;
    };
    expect(s.client.getServerVersion()).toMatchObject({ name: pkg.name, version: pkg.version });
    const instructions = s.client.getInstructions() ?? '';
    expect(instructions).toMatch(/queued\b.*→ starting\b.*→ active\b.*→ stopping\b.*→ stopped\b/);
    expect(instructions).toContain('ANTHROPIC_API_KEY');
    expect(instructions).toContain('ANTHROPIC_ENVIRONMENT_KEY');
    expect(instructions).not.toContain('EMULATOR');
  });

  it.each(SAMPLE_NAMES)('%s sends the contract request and returns the API JSON', async (name) => {
    const sample = samples[name];
    rec.respond(json(200, sample.response));
    const result = await s.call(name, sample.args);
    expect(result.isError).toBeFalsy();
    const expected = sample.result ?? sample.response;
    expect(result.structuredContent).toEqual(expected);
    // The JSON, then the notice that it is the API's data (not instructions).
    expect(result.content).toHaveLength(2);
    expect(result.content[1]).toEqual({ type: 'text', text: DATA_NOTICE });
    expect(resultJson(result)).toEqual(expected);
    expect(rec.requests).toHaveLength(1);
    expectContractRequest(rec.requests[0]!, sample, {
      workspaceId: 'wrkspc_01',
      beta: `extra-beta,${REQUIRED_BETA}`,
      credentials: KEY_HEADERS,
    });
  });
});

describe('poll', () => {
  it('answers {work: null} when there is no work', async () => {
    rec.respond(json(200, null));
    const result = await s.call('poll_work_item', { environment_id: ENV_ID });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ work: null });
    expect((result.content[0] as { text: string }).text).toBe('{"work":null}');
  });

  it('redacts the secret but heartbeats with its token', async () => {
    rec.respond(json(200, polledItem));
    const polled = await s.call('poll_work_item', { environment_id: ENV_ID });
    expect(polled.structuredContent).toMatchObject({
      work: { id: POLLED_ID, secret: '[redacted]' },
    });
    const text = (polled.content[0] as { text: string }).text;
    expect(text).not.toContain(workSecret());
    rec.respond(json(200, samples.heartbeat_work_item.response));
    const beat = await s.call('heartbeat_work_item', {
      environment_id: ENV_ID,
      work_id: POLLED_ID,
      expected_last_heartbeat: 'NO_HEARTBEAT',
    });
    expect(beat.isError).toBeFalsy();
    expect(rec.requests[1]!.headers.authorization).toBe(`Bearer ${SESSIONS_TOKEN}`);
  });

  it('keeps a null secret null', async () => {
    rec.respond(json(200, { ...polledItem, secret: null }));
    const result = await s.call('poll_work_item', { environment_id: ENV_ID });
    expect(result.structuredContent).toMatchObject({ work: { secret: null } });
  });

  const optIns: [string, { args?: string[]; env?: Record<string, string> }][] = [
    ['--reveal-work-secret', { args: ['--reveal-work-secret'] }],
    [
      'AGENT_ENVIRONMENTS_REVEAL_WORK_SECRET=true',
      { env: { AGENT_ENVIRONMENTS_REVEAL_WORK_SECRET: 'true' } },
    ],
  ];
  it.each(optIns)('reveals the secret with %s', async (_how, opts) => {
    const other = await spawnServer({
      args: opts.args,
      env: { ...serverEnv(rec.url), ...opts.env },
    });
    try {
      rec.respond(json(200, polledItem));
      const result = await other.call('poll_work_item', { environment_id: ENV_ID });
      expect(result.structuredContent).toEqual({ work: polledItem });
      expect(resultJson(result)).toEqual({ work: polledItem });
    } finally {
      await other.close();
    }
  });
});

describe('API errors are tool results', () => {
  it('404 names status, type, message, request id, and points at the list tools', async () => {
    rec.respond(apiError(404, 'not_found_error', 'Environment not found'));
    const error = errorOf(await s.call('get_environment', { environment_id: ENV_ID }));
    expect(error).toMatchObject({
      status: 404,
      type: 'not_found_error',
      message: 'Environment not found',
      request_id: 'req_test_404',
    });
    expect(error.hint).toContain('list_environments');
    await expectStillServing();
  });

  it('401 names the variable to check', async () => {
    rec.respond(apiError(401, 'authentication_error', 'invalid x-api-key'));
    const error = errorOf(await s.call('list_environments', {}));
    expect(error).toMatchObject({
      status: 401,
      type: 'authentication_error',
      request_id: 'req_test_401',
    });
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    await expectStillServing();
  });

  it('a 412 heartbeat carries details.current_state', async () => {
    const details = {
      error_code: 'heartbeat_precondition_failed',
      current_state: {
        last_heartbeat: '2026-05-01T10:00:05Z',
        lease_extended: false,
        state: 'active',
      },
    };
    rec.respond(
      apiError(412, 'precondition_failed_error', 'expected_last_heartbeat does not match', {
        details,
      }),
    );
    const error = errorOf(
      await s.call('heartbeat_work_item', {
        environment_id: ENV_ID,
        work_id: WORK_ID,
        expected_last_heartbeat: 'NO_HEARTBEAT',
      }),
    );
    expect(error).toMatchObject({
      status: 412,
      type: 'precondition_failed_error',
      request_id: 'req_test_412',
      details,
    });
    expect(error.hint).toContain('current_state');
    await expectStillServing();
  });

  it('a 5xx after the retries are spent', async () => {
    rec.respond(apiError(500, 'api_error', 'Internal server error'));
    const error = errorOf(await s.call('get_work_queue_stats', { environment_id: ENV_ID }));
    expect(error).toMatchObject({
      status: 500,
      type: 'api_error',
      message: 'Internal server error',
    });
    expect(rec.requests).toHaveLength(1);
    await expectStillServing();
  });

  it('a transport failure (non-JSON body) says what happened', async () => {
    rec.respond(
      (_r, res) =>
        void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>'),
    );
    const error = errorOf(await s.call('get_environment', { environment_id: ENV_ID }));
    expect(error).toMatchObject({ type: 'bad_body', outcome_unknown: false });
    expect(error.message).toMatch(/not valid JSON/);
    await expectStillServing();
  });

  const odd: [string, string, unknown, RegExp][] = [
    ['a bare null', 'get_environment', null, /\(result\): expected an object, got null/],
    ['an array', 'get_environment', [environment], /\(result\): expected an object, got array/],
    [
      'a wrong field type',
      'get_work_queue_stats',
      { ...(samples.get_work_queue_stats.response as object), depth: '3' },
      /depth: expected integer, got string/,
    ],
    ['a missing field', 'get_environment', { ...environment, id: undefined }, /id: missing/],
    [
      'an array for a work item',
      'poll_work_item',
      [polledItem],
      /work: expected object or null, got array/,
    ],
  ];
  it.each(odd)(
    'a 2xx with %s is a readable error, with the JSON in it',
    async (_what, tool, body, problem) => {
      rec.respond(json(200, body));
      const error = errorOf(await s.call(tool, { environment_id: ENV_ID }));
      expect(error.type).toBe('unexpected_response');
      expect(error.message).toMatch(problem);
      const sent = JSON.parse(JSON.stringify(body));
      // A work secret is hidden once the server has seen it (a poll earlier in this file).
      const shown =
        tool === 'poll_work_item'
          ? { work: (sent as object[]).map((w) => ({ ...w, secret: expect.any(String) })) }
          : sent;
      expect(error.response).toEqual(shown);
      await expectStillServing();
    },
  );

  it('a credential the API echoes back is redacted', async () => {
    rec.respond(
      apiError(401, 'authentication_error', `invalid key ${API_KEY} for ${ENVIRONMENT_KEY}`),
    );
    const result = await s.call('list_environments', {});
    const text = (result.content[0] as { text: string }).text;
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(ENVIRONMENT_KEY);
    expect(errorOf(result).message).toBe('invalid key [redacted] for [redacted]');
  });

  it('cancelling the MCP request aborts the HTTP request', async () => {
    rec.respond(() => {}); // never answers
    const ctrl = new AbortController();
    const call = s.client.callTool(
      { name: 'get_environment', arguments: { environment_id: ENV_ID } },
      undefined,
      { signal: ctrl.signal },
    );
    await until(() => rec.requests.length === 1, 10_000, 'the request');
    const closedBefore = rec.closedEarly;
    ctrl.abort();
    await expect(call).rejects.toThrow();
    await until(
      () => rec.closedEarly === closedBefore + 1,
      10_000,
      'the HTTP request to be aborted',
    );
    await expectStillServing();
  });
});

describe('invalid arguments are refused before any request', () => {
  const cases: [string, string, Record<string, unknown>, RegExp][] = [
    ['a missing id', 'get_environment', {}, /environment_id/],
    [
      'a path-escaping id',
      'get_environment',
      { environment_id: '../admin' },
      /environment_id: must be an id like/,
    ],
    ['an id with a slash', 'get_work_item', { environment_id: ENV_ID, work_id: 'a/b' }, /work_id/],
    ['an empty id', 'delete_environment', { environment_id: '' }, /environment_id/],
    ['block_ms over 999', 'poll_work_item', { environment_id: ENV_ID, block_ms: 1000 }, /block_ms/],
    ['a fractional limit', 'list_environments', { limit: 2.5 }, /limit/],
    ['a limit that is text', 'list_work_items', { environment_id: ENV_ID, limit: '5' }, /limit/],
    [
      'an id with a slash',
      'get_work_item',
      { environment_id: ENV_ID, work_id: 'work_1/../x' },
      /work_id/,
    ],
    [
      'an unknown argument',
      'get_environment',
      { environment_id: ENV_ID, api_key: 'x' },
      /api_key: unknown argument \(allowed: environment_id\)/,
    ],
    ['a bad config type', 'create_environment', { name: 'x', config: { type: 'vm' } }, /config/],
    [
      'a bad networking field',
      'create_environment',
      {
        name: 'x',
        config: { type: 'cloud', networking: { type: 'limited', allowed_hosts: 'a.com' } },
      },
      /config\.networking\.allowed_hosts/,
    ],
    ['a bad scope', 'update_environment', { environment_id: ENV_ID, scope: 'world' }, /scope/],
    [
      'a metadata value that is a number',
      'update_work_item',
      { environment_id: ENV_ID, work_id: WORK_ID, metadata: { k: 5 } },
      /metadata\.k: must be a string or null/,
    ],
    [
      'a worker id with a newline',
      'poll_work_item',
      { environment_id: ENV_ID, worker_id: 'w\r\nx-api-key: stolen' },
      /worker_id/,
    ],
    [
      'a heartbeat value that is a number',
      'heartbeat_work_item',
      { environment_id: ENV_ID, work_id: WORK_ID, expected_last_heartbeat: 5 },
      /expected_last_heartbeat/,
    ],
    [
      'a string for a boolean',
      'stop_work_item',
      { environment_id: ENV_ID, work_id: WORK_ID, force: 'yes' },
      /force/,
    ],
  ];
  it.each(cases)('%s', async (_what, tool, args, names) => {
    const error = errorOf(await s.call(tool, args));
    expect(error.type).toBe('invalid_arguments');
    expect(error.message).toMatch(names);
    expect(error.message).toContain(tool);
    expect(rec.requests).toHaveLength(0);
    await expectStillServing();
  });

  // A thin client: what the reference does not limit goes to the API, which judges it.
  it.each([
    ['limit 0', 'list_work_items', { environment_id: ENV_ID, limit: 0 }, '?limit=0'],
    [
      '17 metadata keys',
      'update_work_item',
      {
        environment_id: ENV_ID,
        work_id: WORK_ID,
        metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])),
      },
      '',
    ],
    [
      'a heartbeat value it did not answer',
      'heartbeat_work_item',
      { environment_id: ENV_ID, work_id: WORK_ID, expected_last_heartbeat: 'yesterday' },
      '?expected_last_heartbeat=yesterday',
    ],
    ['a null block_ms', 'poll_work_item', { environment_id: ENV_ID, block_ms: null }, '?block_ms='],
  ] as const)('sends %s to the API', async (_what, tool, args, query) => {
    rec.respond(apiError(400, 'invalid_request_error', 'the API says no'));
    const error = errorOf(await s.call(tool, args));
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: 'the API says no',
    });
    expect(rec.requests).toHaveLength(1);
    expect(rec.requests[0]!.url.slice(rec.requests[0]!.path.length)).toBe(query);
  });

  it('an unknown tool is a protocol error', async () => {
    const err = await s.call('drop_database', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(McpError);
    expect((err as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((err as McpError).message).toContain('drop_database');
    expect(rec.requests).toHaveLength(0);
    await expectStillServing();
  });
});

describe('hygiene', () => {
  it('sends log messages to a client that asks, without a credential', async () => {
    const messages: unknown[] = [];
    s.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      messages.push(n.params.data);
    });
    await s.client.setLoggingLevel('debug');
    rec.respond(apiError(401, 'authentication_error', `bad key ${API_KEY}`));
    await s.call('get_environment', { environment_id: ENV_ID });
    await until(() => messages.length > 0, 10_000, 'a log message');
    expect(messages).toContainEqual(
      expect.objectContaining({ api: 'GET /v1/environments/{environment_id}', status: 401 }),
    );
    expect(JSON.stringify(messages)).not.toContain(API_KEY);
  });

  it('wrote only JSON-RPC to stdout and logged each call to stderr without a credential', () => {
    expect(clientErrors).toEqual([]);
    const log = s.stderr();
    expect(log).toContain('"api":"GET /v1/environments/{environment_id}"');
    for (const secret of [API_KEY, ENVIRONMENT_KEY, SESSIONS_TOKEN, workSecret()])
      expect(log).not.toContain(secret);
  });
});
