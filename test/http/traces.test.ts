// Traces end to end: the built server in --http mode with the standard
// OTEL_EXPORTER_OTLP_ENDPOINT set exports over OTLP/HTTP to a local receiver;
// the trace context comes from the request's traceparent header or the
// call's _meta. The audit line of the same call goes to stderr (HTTP default).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startHttp, type HttpServer } from '../support/http.js';
import { apiError, json, startRecorder, type Recorder } from '../support/recorder.js';
import { ENV_ID, environment } from '../support/samples.js';

const API_KEY = 'sk-ant-traces-key-0123456789abcdef';
type OtlpSpan = {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
};

let receiver: Server;
const spans: OtlpSpan[] = [];
let rec: Recorder;
let srv: HttpServer;

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v === undefined
    ? undefined
    : (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue));
};

async function spansOf(traceId: string, count: number): Promise<OtlpSpan[]> {
  for (let i = 0; i < 100; i++) {
    const found = spans.filter((s) => s.traceId === traceId);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  return spans.filter((s) => s.traceId === traceId);
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const doc = JSON.parse(body) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const r of doc.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  rec = await startRecorder();
  rec.fallback = json(200, environment);
  srv = await startHttp({
    args: ['--base-url', rec.url, '--no-confirm'],
    env: {
      ANTHROPIC_API_KEY: API_KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: '50',
    },
  });
});

afterAll(async () => {
  expect(await srv?.stop()).toBe(0);
  await rec?.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('OpenTelemetry over OTLP', () => {
  it('continues the traceparent header: a tool-call span and one child per API attempt', async () => {
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const mcp = await connectHttp(srv.url, { traceparent: `00-${trace}-b7ad6b7169203331-01` });
    rec.respond(apiError(529, 'overloaded_error', 'busy'));
    const r = await mcp.call('update_environment', {
      environment_id: ENV_ID,
      description: 'secret-ish free text',
    });
    expect(r.isError).toBeFalsy();
    await mcp.close();
    const found = await spansOf(trace, 3);
    const call = found.find((s) => s.name === 'tools/call update_environment')!;
    expect(call.parentSpanId).toBe('b7ad6b7169203331');
    expect([attr(call, 'mcp.method.name'), attr(call, 'gen_ai.tool.name')]).toEqual([
      'tools/call',
      'update_environment',
    ]);
    const attempts = found.filter((s) => s.parentSpanId === call.spanId);
    expect(
      attempts.map((s) => [
        s.name,
        attr(s, 'http.response.status_code'),
        attr(s, 'http.request.resend_count'),
      ]),
    ).toEqual([
      ['POST /v1/environments/{environment_id}', 529, undefined],
      ['POST /v1/environments/{environment_id}', 200, 1],
    ]);
    expect(attr(attempts[1]!, 'anthropic.request_id')).toBe('req_test_200');
    expect(JSON.stringify(found)).not.toContain('free text');
    expect(JSON.stringify(spans)).not.toContain(API_KEY);
    // The same call's audit line, on stderr.
    const audit = srv
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{"audit"'))
      .map((l) => JSON.parse(l).audit);
    expect(audit).toContainEqual(
      expect.objectContaining({
        who: 'http',
        tool: 'update_environment',
        target: { environment_id: ENV_ID },
        outcome: { status: 'ok', http_status: 200, request_id: 'req_test_200' },
      }),
    );
  });

  it("takes the trace context from the call's _meta over the header", async () => {
    const trace = '11111111111111112222222222222222';
    const mcp = await connectHttp(srv.url, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await mcp.client.callTool({
      name: 'get_environment',
      arguments: { environment_id: ENV_ID },
      _meta: { traceparent: `00-${trace}-3333333333333333-01` },
    });
    await mcp.close();
    const [call] = (await spansOf(trace, 2)).filter((s) => s.name === 'tools/call get_environment');
    expect(call!.parentSpanId).toBe('3333333333333333');
  });
});
