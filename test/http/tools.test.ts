// Every tool works over Streamable HTTP, exactly as on stdio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAnswers, EVERY_TOOL } from '../support/api-answers.js';
import { accessLog, connectHttp, startHttp, type Connected, type HttpServer } from '../support/http.js';
import { resultJson, spawnServer } from '../support/mcp.js';
import { startRecorder, type Recorder } from '../support/recorder.js';

const API_KEY = 'sk-ant-api-http-tools-0123456789';
const ENV_KEY = 'sk-ant-env-http-tools-0123456789';

describe('every tool over Streamable HTTP', () => {
  let rec: Recorder;
  let srv: HttpServer;
  let mcp: Connected;
  const contentTypes: string[] = [];

  beforeAll(async () => {
    rec = await startRecorder();
    rec.fallback = apiAnswers();
    srv = await startHttp({
      args: ['--base-url', rec.url, '--max-retries', '0'],
      env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_ENVIRONMENT_KEY: ENV_KEY },
    });
    // Records the form of each answer (JSON or SSE) the client got.
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      contentTypes.push(res.headers.get('content-type') ?? '');
      return res;
    };
    mcp = await connectHttp(srv.url, {}, { fetch: recording });
  });

  afterAll(async () => {
    await mcp?.close();
    expect(await srv?.stop()).toBe(0);
    await rec?.close();
  });

  it('lists the same tools as the stdio server', async () => {
    const stdio = await spawnServer();
    try {
      const [overHttp, overStdio] = await Promise.all([mcp.client.listTools(), stdio.client.listTools()]);
      expect(overHttp.tools.length).toBe(EVERY_TOOL.length);
      expect(overHttp.tools).toEqual(overStdio.tools);
    } finally {
      await stdio.close();
    }
  });

  it('calls every tool and sends each its request', async () => {
    for (const { tool, args, method, path } of EVERY_TOOL) {
      const before = rec.requests.length;
      const result = await mcp.call(tool, args);
      expect(result.isError, `${tool}: ${JSON.stringify(result.content)}`).toBeFalsy();
      expect(result.structuredContent, tool).toBeTypeOf('object');
      expect(rec.requests.length, tool).toBe(before + 1);
      const sent = rec.requests.at(-1)!;
      expect(`${sent.method} ${sent.path}`).toBe(`${method} ${path}`);
      const text = JSON.stringify(result);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(ENV_KEY);
    }
    // The right credential went with each kind of call.
    const byPath = (p: string) => rec.requests.find((r) => r.path === p)!;
    expect(byPath('/v1/environments/env_1/work').headers.authorization).toBe(`Bearer ${ENV_KEY}`);
    expect(byPath('/v1/environments/env_1/work/stats').headers['x-api-key']).toBe(API_KEY);
  });

  it('returns API failures as tool results with isError', async () => {
    rec.respond((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json', 'request-id': 'req_404' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'no such environment' } }));
    });
    const result = await mcp.call('get_environment', { environment_id: 'env_missing' });
    expect(result.isError).toBe(true);
    expect(resultJson(result).error).toMatchObject({ status: 404, type: 'not_found_error', request_id: 'req_404' });
  });

  it('answers in JSON, and in SSE when the call carries a progress token', async () => {
    contentTypes.length = 0;
    await mcp.call('get_environment', { environment_id: 'env_1' });
    expect(contentTypes).toEqual([expect.stringContaining('application/json')]);

    contentTypes.length = 0;
    const result = await mcp.client.callTool({ name: 'get_environment', arguments: { environment_id: 'env_1' } }, undefined, {
      onprogress: () => {},
    });
    expect(result.isError).toBeFalsy();
    expect(contentTypes).toEqual([expect.stringContaining('text/event-stream')]);
  });

  it('writes one access-log line per request, without credentials', () => {
    const lines = accessLog(srv.stderr());
    const calls = lines.filter((l) => l.mcp === 'tools/call');
    expect(calls.length).toBeGreaterThanOrEqual(EVERY_TOOL.length);
    expect(calls.map((l) => l.tool)).toEqual(expect.arrayContaining(EVERY_TOOL.map((t) => t.tool)));
    for (const line of lines) {
      expect(line).toMatchObject({ path: '/mcp', status: expect.any(Number), ms: expect.any(Number), time: expect.any(String) });
      // The SDK client probes for a server stream; stateless, we have none.
      if (line.method === 'GET') expect(line.status).toBe(405);
      else expect(line.method).toBe('POST');
    }
    expect(lines.some((l) => l.mcp === 'initialize')).toBe(true);
    expect(srv.stderr()).not.toContain(API_KEY);
    expect(srv.stderr()).not.toContain(ENV_KEY);
  });
});
