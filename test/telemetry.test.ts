// Traces with the SDK's in-memory exporter: one span per tool call after the
// MCP semantic conventions, a child per API attempt, the request's trace
// context continued; and OpenTelemetry stays out of the start when off.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../src/api/client.js';
import { attemptObserved, watched, type CallInfo } from '../src/calls/observe.js';
import { startTracing } from '../src/telemetry/tracing.js';
import { tracingWanted } from '../src/telemetry/wanted.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const info: CallInfo = {
  tool: 'delete_environment',
  readOnly: false,
  args: { environment_id: 'env_01', name: 'free text stays out' },
  who: 'alice',
  traceparent: `00-${TRACE}-${PARENT}-01`,
};
const attempt = (
  n: number,
  status: number | undefined,
  extra: Partial<AttemptRecord> = {},
): AttemptRecord => ({
  operation: 'delete_environment',
  method: 'DELETE',
  route: '/v1/environments/{environment_id}',
  status,
  durationMs: 12,
  requestId: status ? `req_${n}` : undefined,
  attempt: n,
  ...extra,
});

describe('tracing', () => {
  it("makes a tool-call span with a child per attempt, inside the caller's trace", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await startTracing({
      name: 'agent-environments-mcp',
      version: '0.0.0',
      exporter,
    });
    const result = await watched(tracing.observer, info, async (mode) => {
      attemptObserved(attempt(0, 529));
      attemptObserved(attempt(1, 200));
      mode.value = 'confirmed';
      return { content: [{ type: 'text', text: '{}' }] };
    });
    expect(result.isError).toBeUndefined();
    // (The in-memory exporter forgets its spans on shutdown: read them first.)
    const spans = exporter.getFinishedSpans();
    const call = spans.find((s) => s.name === 'tools/call delete_environment')!;
    expect(call.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'delete_environment',
      'gen_ai.operation.name': 'execute_tool',
      'agent_environments.environment_id': 'env_01',
      'agent_environments.mode': 'confirmed',
    });
    expect(call.attributes['error.type']).toBeUndefined();
    expect(call.spanContext().traceId).toBe(TRACE);
    expect(call.parentSpanContext?.spanId).toBe(PARENT);
    const children = spans.filter((s) => s.parentSpanContext?.spanId === call.spanContext().spanId);
    expect(
      children.map((s) => [
        s.name,
        s.attributes['http.response.status_code'],
        s.attributes['http.request.resend_count'],
        s.attributes['anthropic.request_id'],
      ]),
    ).toEqual([
      ['DELETE /v1/environments/{environment_id}', 529, undefined, 'req_0'],
      ['DELETE /v1/environments/{environment_id}', 200, 1, 'req_1'],
    ]);
    expect(children[0]!.attributes['url.template']).toBe('/v1/environments/{environment_id}');
    expect(children[0]!.attributes['error.type']).toBe('529');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('free text');
    await tracing.shutdown();
  });

  it("marks a failed call with error.type tool_error and the result's own type", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = await startTracing({ name: 'x', version: '0', exporter });
    await watched(tracing.observer, { ...info, traceparent: undefined }, async () => {
      attemptObserved(attempt(0, undefined, { error: 'timeout' }));
      return {
        isError: true,
        content: [
          { type: 'text', text: JSON.stringify({ error: { type: 'timeout', message: 'late' } }) },
        ],
      };
    });
    const [child, call] = exporter.getFinishedSpans();
    expect(call!.attributes).toMatchObject({
      'error.type': 'tool_error',
      'agent_environments.error_type': 'timeout',
    });
    expect(call!.status.code).toBe(2);
    expect(call!.parentSpanContext).toBeUndefined();
    expect(child!.attributes['error.type']).toBe('timeout');
    await tracing.shutdown();
  });

  it('is on with --otel or an OTLP endpoint variable, and off otherwise or when disabled', () => {
    expect(tracingWanted({}, {})).toBe(false);
    expect(tracingWanted({ otel: true }, {})).toBe(true);
    expect(tracingWanted({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(
      tracingWanted({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }),
    ).toBe(true);
    expect(
      tracingWanted({ otel: false }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }),
    ).toBe(false);
    expect(tracingWanted({ otel: true }, { OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('only dist/telemetry/tracing.js imports OpenTelemetry, and only by a dynamic import', () => {
    const dist = new URL('../dist/', import.meta.url).pathname;
    const files = (readdirSync(dist, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.js'),
    );
    const importers = files.filter((f) =>
      /from '@opentelemetry\//.test(readFileSync(join(dist, f), 'utf8')),
    );
    expect(importers).toEqual(['telemetry/tracing.js']);
    const loaders = files.filter((f) =>
      readFileSync(join(dist, f), 'utf8').includes('telemetry/tracing.js'),
    );
    expect(loaders).toEqual(['server/start.js']);
    expect(readFileSync(join(dist, 'server/start.js'), 'utf8')).toMatch(
      /await import\('\.\.\/telemetry\/tracing\.js'\)/,
    );
  });
});
