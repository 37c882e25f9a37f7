// Both protocol generations, from both SDKs' clients, on both transports: the
// v2 Client at 2026-07-28 (server/discover, per-request _meta) and at
// 2025-11-25 (initialize), and the 1.x Client (2025-11-25), each listing and
// calling every tool of the built server over stdio and over Streamable HTTP.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allTools } from '../src/tools/index.js';
import { CLIENT_KINDS, drive, type ClientKind, type Driven } from './support/clients.js';
import { startHttp, type HttpServer } from './support/http.js';
import { resultJson } from './support/mcp.js';
import { json, startRecorder, type Recorder } from './support/recorder.js';
import { apiResponder } from './support/fixtures.js';
import {
  API_KEY,
  ENV_ID,
  ENVIRONMENT_KEY,
  KEY_HEADERS,
  REQUIRED_BETA,
  SAMPLE_NAMES,
  TOOL_NAMES,
  environment,
  expectContractRequest,
  samples,
} from './support/samples.js';

const ENV = {
  ANTHROPIC_API_KEY: API_KEY,
  ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY,
  AGENT_ENVIRONMENTS_MAX_RETRIES: '0',
};
const PROTOCOL: Record<ClientKind, string> = {
  'v2-modern': '2026-07-28',
  'v2-legacy': '2025-11-25',
  v1: '2025-11-25',
};

let rec: Recorder;
let http: HttpServer;
beforeAll(async () => {
  rec = await startRecorder();
  http = await startHttp({ args: ['--base-url', rec.url], env: ENV });
});
afterAll(async () => {
  expect(await http?.stop()).toBe(0);
  await rec?.close();
});
beforeEach(() => {
  rec.reset();
  rec.fallback = json(200, environment);
});

const TRANSPORTS = ['stdio', 'http'] as const;

describe.each(TRANSPORTS)('over %s', (transport) => {
  describe.each(CLIENT_KINDS)('the %s client', (kind) => {
    let c: Driven;
    beforeAll(async () => {
      c = await drive(kind, transport === 'stdio' ? { stdio: true } : { url: http.url }, {
        env: { ...ENV, ANTHROPIC_BASE_URL: rec.url },
      });
    });
    afterAll(() => c?.close());

    it('speaks its generation and meets the same server', () => {
      expect(c.protocol()).toBe(PROTOCOL[kind]);
      expect(c.serverInfo()).toMatchObject({ name: 'agent-environments-mcp' });
      expect(c.serverInfo()?.icons).toHaveLength(1);
      expect(c.instructions()).toContain('ANTHROPIC_API_KEY');
    });

    it('lists all 15 tools, in the order of the tool table', async () => {
      const tools = await c.listTools();
      expect(tools.map((t) => t.name)).toEqual(allTools.map((t) => t.name));
      expect(tools).toHaveLength(TOOL_NAMES.length);
      expect(
        tools
          .filter((t) => t._meta?.['anthropic/requiresUserInteraction'] === true)
          .map((t) => t.name)
          .sort(),
      ).toEqual(['archive_environment', 'delete_environment', 'stop_work_item']);
    });

    it.each(SAMPLE_NAMES)(
      '%s sends the contract request and returns the API JSON',
      async (name) => {
        const sample = samples[name];
        rec.respond(json(200, sample.response));
        const result = await c.call(name, sample.args);
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        const expected = sample.result ?? sample.response;
        expect(result.structuredContent).toEqual(expected);
        expect(resultJson(result)).toEqual(expected);
        expect(rec.requests).toHaveLength(1);
        expectContractRequest(rec.requests[0]!, sample, {
          beta: REQUIRED_BETA,
          credentials: KEY_HEADERS,
        });
      },
    );

    it('diagnose_work_queue reads the queue and reports', async () => {
      rec.fallback = apiResponder();
      const result = await c.call('diagnose_work_queue', { environment_id: ENV_ID });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({
        environment_id: ENV_ID,
        summary: expect.any(String),
      });
      expect(rec.requests.length).toBeGreaterThan(0);
    });

    it('an API failure is a tool result with isError, and the server keeps serving', async () => {
      rec.respond(
        json(
          404,
          { type: 'error', error: { type: 'not_found_error', message: 'no such environment' } },
          { 'request-id': 'req_gen_404' },
        ),
      );
      const failed = await c.call('get_environment', { environment_id: ENV_ID });
      expect(failed.isError).toBe(true);
      expect(resultJson(failed).error).toMatchObject({
        status: 404,
        type: 'not_found_error',
        request_id: 'req_gen_404',
      });
      rec.respond(json(200, environment));
      expect(
        (await c.call('get_environment', { environment_id: ENV_ID })).structuredContent,
      ).toEqual(environment);
    });
  });
});

describe('the v2 client at 2026-07-28 on stdio', () => {
  it('connects with one process: no respawn after the probe', async () => {
    const c = await drive(
      'v2-modern',
      { stdio: true },
      { env: { ...ENV, ANTHROPIC_BASE_URL: rec.url } },
    );
    try {
      const pid = c.pid!();
      expect(pid).toBeGreaterThan(0);
      expect(c.protocol()).toBe('2026-07-28');
      rec.respond(json(200, environment));
      expect(
        (await c.call('get_environment', { environment_id: ENV_ID })).structuredContent,
      ).toEqual(environment);
      expect(c.pid!()).toBe(pid);
    } finally {
      await c.close();
    }
  });

  it('a client that knows the server from before sends no opening: its first message is a call', async () => {
    const first = await drive(
      'v2-modern',
      { stdio: true },
      { env: { ...ENV, ANTHROPIC_BASE_URL: rec.url } },
    );
    const discover = first.discover!();
    await first.close();
    expect(discover).toMatchObject({ supportedVersions: ['2026-07-28'] });
    const c = await drive(
      'v2-modern',
      { stdio: true },
      { env: { ...ENV, ANTHROPIC_BASE_URL: rec.url }, prior: discover },
    );
    try {
      expect(c.protocol()).toBe('2026-07-28');
      rec.respond(json(200, environment));
      expect(
        (await c.call('get_environment', { environment_id: ENV_ID })).structuredContent,
      ).toEqual(environment);
      expect(await c.listTools()).toHaveLength(TOOL_NAMES.length);
    } finally {
      await c.close();
    }
  });

  it('connects at 2026-07-28 through its own stdio transport too (which probes on a sibling process)', async () => {
    const c = await drive(
      'v2-modern',
      { stdio: true },
      { env: { ...ENV, ANTHROPIC_BASE_URL: rec.url }, siblingProbe: true },
    );
    try {
      expect(c.protocol()).toBe('2026-07-28');
      expect(await c.listTools()).toHaveLength(TOOL_NAMES.length);
    } finally {
      await c.close();
    }
  });
});
