// Every tool works over Streamable HTTP, exactly as on stdio: the contract's
// request goes out and the API's JSON comes back (samples.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  accessLog,
  connectHttp,
  startHttp,
  type Connected,
  type HttpServer,
} from '../support/http.js';
import { resultJson, spawnServer } from '../support/mcp.js';
import { apiError, json, startRecorder, type Recorder } from '../support/recorder.js';
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
  workSecret,
} from '../support/samples.js';

describe('every tool over Streamable HTTP', () => {
  let rec: Recorder;
  let srv: HttpServer;
  let mcp: Connected;
  const contentTypes: string[] = [];

  beforeAll(async () => {
    rec = await startRecorder();
    srv = await startHttp({
      args: ['--base-url', rec.url, '--max-retries', '0'],
      env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_ENVIRONMENT_KEY: ENVIRONMENT_KEY },
    });
    // Records the form of each answer (JSON or SSE) the client got.
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      contentTypes.push(res.headers.get('content-type') ?? '');
      return res;
    };
    mcp = await connectHttp(srv.url, {}, { fetch: recording });
    // Listing makes the SDK Client check every structuredContent against its output schema.
    await mcp.client.listTools();
  });

  afterAll(async () => {
    await mcp?.close();
    expect(await srv?.stop()).toBe(0);
    await rec?.close();
  });

  beforeEach(() => {
    rec.reset();
    rec.fallback = json(200, environment);
  });

  it('lists the same tools as the stdio server', async () => {
    const stdio = await spawnServer();
    try {
      const [overHttp, overStdio] = await Promise.all([
        mcp.client.listTools(),
        stdio.client.listTools(),
      ]);
      expect(overHttp.tools.map((t) => t.name).sort()).toEqual([...TOOL_NAMES].sort());
      expect(overHttp.tools).toEqual(overStdio.tools);
    } finally {
      await stdio.close();
    }
  });

  it.each(SAMPLE_NAMES)('%s sends the contract request and returns the API JSON', async (name) => {
    const sample = samples[name];
    rec.respond(json(200, sample.response));
    const result = await mcp.call(name, sample.args);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toEqual(sample.result ?? sample.response);
    expect(rec.requests).toHaveLength(1);
    expectContractRequest(rec.requests[0]!, sample, {
      beta: REQUIRED_BETA,
      credentials: KEY_HEADERS,
    });
    const text = JSON.stringify(result);
    for (const secret of [API_KEY, ENVIRONMENT_KEY, workSecret()])
      expect(text).not.toContain(secret);
  });

  it('returns API failures as tool results with isError', async () => {
    rec.respond(apiError(404, 'not_found_error', 'no such environment'));
    const result = await mcp.call('get_environment', { environment_id: ENV_ID });
    expect(result.isError).toBe(true);
    expect(resultJson(result).error).toMatchObject({
      status: 404,
      type: 'not_found_error',
      request_id: 'req_test_404',
    });
  });

  it('answers in JSON, and in SSE when the call carries a progress token', async () => {
    contentTypes.length = 0;
    await mcp.call('get_environment', { environment_id: ENV_ID });
    expect(contentTypes).toEqual([expect.stringContaining('application/json')]);

    contentTypes.length = 0;
    const result = await mcp.client.callTool(
      { name: 'get_environment', arguments: { environment_id: ENV_ID } },
      undefined,
      {
        onprogress: () => {},
      },
    );
    expect(result.isError).toBeFalsy();
    expect(contentTypes).toEqual([expect.stringContaining('text/event-stream')]);
  });

  it('writes one access-log line per request, without credentials', () => {
    const lines = accessLog(srv.stderr());
    const calls = lines.filter((l) => l.mcp === 'tools/call');
    expect(calls.map((l) => l.tool)).toEqual(expect.arrayContaining(SAMPLE_NAMES));
    for (const line of lines) {
      expect(line).toMatchObject({
        path: '/mcp',
        status: expect.any(Number),
        ms: expect.any(Number),
        time: expect.any(String),
      });
      // The SDK client probes for a server stream; stateless, we have none.
      if (line.method === 'GET') expect(line.status).toBe(405);
      else expect(line.method).toBe('POST');
    }
    expect(lines.some((l) => l.mcp === 'initialize')).toBe(true);
    expect(srv.stderr()).not.toContain(API_KEY);
    expect(srv.stderr()).not.toContain(ENVIRONMENT_KEY);
  });
});
