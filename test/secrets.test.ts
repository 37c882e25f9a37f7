// Secret hygiene: distinctive credentials and a distinctive work `secret`
// never appear in a tool result, an error text, a stderr line or an MCP log
// message, even when the API (or a proxy) echoes the request headers back,
// answers with them in a body, or a request fails before it is sent.
import { spawnSync } from 'node:child_process';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoHeaders } from './support/faults.js';
import { answerFor, apiResponder, environment, workItem } from './support/fixtures.js';
import { CLI, cleanEnv, resultJson, spawnServer, type Spawned } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';

const API_KEY = 'sk-ant-api03-CANARYapikey-Zx9_q';
const ENVIRONMENT_KEY = 'envkey-CANARYenvkey-Qw7';
// Quotes and a backslash: an echo JSON-escapes them, so a plain search for the key would miss it.
const AUTH_TOKEN = 'oauth-"quoted"\\back-CANARYauth';
const SESSIONS_TOKEN = 'sess-CANARYsession-Lp4';
const WORK_SECRET = Buffer.from(
  JSON.stringify({ sessions_token: SESSIONS_TOKEN, note: 'CANARYpayload' }),
).toString('base64url');
const CANARIES = ['CANARYapikey', 'CANARYenvkey', 'CANARYauth', 'CANARYsession', WORK_SECRET];

let api: Recorder;
const servers: Spawned[] = [];
/** Every text the outside world got from the servers: results, errors, log messages. */
const seen: string[] = [];

async function start(env: Record<string, string>): Promise<Spawned> {
  const server = await spawnServer({
    env: {
      ANTHROPIC_BASE_URL: api.url,
      AGENT_ENVIRONMENTS_LOG_LEVEL: 'debug',
      AGENT_ENVIRONMENTS_MAX_RETRIES: '1',
      ...env,
    },
  });
  server.client.setNotificationHandler(
    LoggingMessageNotificationSchema,
    (n) => void seen.push(JSON.stringify(n)),
  );
  await server.client.setLoggingLevel('debug');
  servers.push(server);
  return server;
}

async function call(server: Spawned, name: string, args: Record<string, unknown>) {
  const result = await server.call(name, args);
  seen.push(JSON.stringify(result));
  return result;
}

beforeAll(async () => {
  api = await startRecorder();
  api.fallback = apiResponder({ pollSecret: WORK_SECRET });
});

afterAll(async () => {
  for (const s of servers) await s.close();
  await api?.close();
});

const ENV = { environment_id: 'env_secret' };
const WORK = { ...ENV, work_id: 'work_polled' };

describe('with an API key, an environment key and a polled work secret', () => {
  let server: Spawned;
  beforeAll(async () => {
    server = await start({
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY,
    });
  });

  it('poll hides the work secret, and heartbeat uses its token without showing it', async () => {
    const polled = await call(server, 'poll_work_item', { ...ENV, worker_id: 'worker-1' });
    expect((polled.structuredContent as any).work.secret).toBe('[redacted]');
    api.reset();
    const beat = await call(server, 'heartbeat_work_item', {
      ...WORK,
      expected_last_heartbeat: 'NO_HEARTBEAT',
    });
    expect(beat.isError).toBeFalsy();
    // The per-item token really is in play (so the checks below can catch a leak of it).
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${SESSIONS_TOKEN}`);
  });

  it('every tool answers without a credential in its result', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['create_environment', { name: 'n' }],
      ['list_environments', {}],
      ['get_environment', ENV],
      ['update_environment', { ...ENV, name: 'm' }],
      ['archive_environment', ENV],
      ['delete_environment', ENV],
      ['list_work_items', ENV],
      ['get_work_item', WORK],
      ['update_work_item', { ...WORK, metadata: { a: 'b' } }],
      ['stop_work_item', WORK],
      ['get_work_queue_stats', ENV],
      ['ack_work_item', WORK],
    ];
    for (const [name, args] of calls)
      expect((await call(server, name, args)).isError, name).toBeFalsy();
  });

  it('a work item answer that carries the secret outside poll still hides it', async () => {
    api.respond(json(200, workItem('env_secret', 'work_polled', { secret: WORK_SECRET })));
    const got = await call(server, 'get_work_item', WORK);
    expect((got.structuredContent as any).secret).toBe('[redacted]');
    api.respond(
      json(200, {
        data: [workItem('env_secret', 'work_polled', { secret: WORK_SECRET })],
        next_page: null,
      }),
    );
    const listed = await call(server, 'list_work_items', ENV);
    expect((listed.structuredContent as any).data[0].secret).toBe('[redacted]');
  });

  it('an API error that echoes the request headers is redacted', async () => {
    for (const [name, args] of [
      ['get_environment', ENV],
      ['list_work_items', ENV],
      ['heartbeat_work_item', WORK],
    ] as const) {
      api.respond(echoHeaders(400, 'json'));
      const result = await call(server, name, args);
      expect(result.isError).toBe(true);
      // The echo reached us and was scrubbed (so this test can tell a leak from no echo).
      expect(resultJson(result).error.message).toContain('[redacted]');
    }
  });

  it('a proxy error page that echoes the headers is not passed through', async () => {
    api.respond(echoHeaders(502, 'html'), echoHeaders(502, 'html'));
    const result = await call(server, 'get_environment', ENV);
    expect(resultJson(result).error).toMatchObject({ status: 502 });
  });

  it('a successful answer that quotes a credential is redacted', async () => {
    api.respond(
      json(
        200,
        environment('env_secret', {
          description: `configured with ${API_KEY} and ${SESSIONS_TOKEN}`,
        }),
      ),
    );
    const result = await call(server, 'get_environment', ENV);
    expect((result.structuredContent as any).description).toBe(
      'configured with [redacted] and [redacted]',
    );
  });

  it('a credential passed back in as an argument is not shown either', async () => {
    api.respond(echoHeaders(400, 'json'));
    const result = await call(server, 'poll_work_item', { ...ENV, worker_id: API_KEY });
    expect(result.isError).toBe(true);
    const invalid = await call(server, 'get_environment', {
      environment_id: ENVIRONMENT_KEY.replace(/-/g, '/'),
    });
    expect(invalid.isError).toBe(true);
  });
});

describe('errors raised before a request is sent', () => {
  it('a missing credential names the variable, never the credentials that are set', async () => {
    const server = await start({ ANTHROPIC_API_KEY: API_KEY });
    api.reset();
    const result = await call(server, 'list_work_items', ENV);
    expect(resultJson(result).error).toMatchObject({
      type: 'missing_credential',
      variables: ['ANTHROPIC_ENVIRONMENT_KEY'],
    });
    expect(api.requests).toHaveLength(0);
  });
});

describe('a setting that could not be sent as a header', () => {
  it('stops the start naming the variable, never a credential', () => {
    const run = spawnSync(process.execPath, [CLI], {
      env: cleanEnv({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_VERSION: '2023-06-01\u2603' }),
      input: '',
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ANTHROPIC_VERSION: must be visible ASCII/);
    expect(run.stdout).toBe('');
    seen.push(run.stderr);
  });
});

describe('with an auth token holding quotes and a backslash', () => {
  it('is sent as a Bearer token and redacted in its JSON-escaped echo', async () => {
    const server = await start({ ANTHROPIC_AUTH_TOKEN: AUTH_TOKEN });
    api.reset();
    api.respond(echoHeaders(400, 'json'));
    const result = await call(server, 'get_environment', ENV);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${AUTH_TOKEN}`);
    expect(resultJson(result).error.message).toContain('[redacted]');
    api.respond((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ ...(answerFor(req) as object), description: `token ${AUTH_TOKEN}` }),
      );
    });
    const ok = await call(server, 'get_environment', ENV);
    expect((ok.structuredContent as any).description).toBe('token [redacted]');
  });
});

describe('everything the servers said', () => {
  it('holds no credential and no work secret: results, errors, MCP log messages, stderr', async () => {
    // Let the last log notifications and stderr lines arrive.
    await new Promise((r) => setTimeout(r, 200));
    const stderr = servers.map((s) => s.stderr()).join('\n');
    expect(stderr).toMatch(/"api":"GET \/v1\/environments\/\{environment_id\}"/); // debug logs were on
    expect(
      seen.some((s) => s.includes('notifications/message') || s.includes('"level":"debug"')),
    ).toBe(true);
    for (const canary of CANARIES) {
      expect(stderr).not.toContain(canary);
      for (const text of seen) expect(text).not.toContain(canary);
    }
  });
});
