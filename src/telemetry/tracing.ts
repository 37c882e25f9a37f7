// Traces of tool calls (loaded only when tracing is on, see ./wanted.ts): one
// span per tool call as the MCP semantic conventions name it (mcp.method.name,
// gen_ai.tool.name, error.type), a child span per API attempt (route
// template, status, request id, retry count), continuing the trace context
// the request carried (traceparent in _meta, else in the HTTP headers).
// Spans hold no argument values: ids are enough to find a call.
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { CallInfo, CallObserver } from '../calls/observe.js';

export interface Tracing {
  observer: CallObserver;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  name: string;
  version: string;
  /** Tests pass an in-memory exporter (spans are then handed over at once). */
  exporter?: SpanExporter;
}

const propagator = new W3CTraceContextPropagator();
const ID = /^[A-Za-z0-9_-]{1,128}$/;

function parentOf(info: CallInfo) {
  if (!info.traceparent) return ROOT_CONTEXT;
  const carrier = {
    traceparent: info.traceparent,
    ...(info.tracestate ? { tracestate: info.tracestate } : {}),
  };
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** The type a failed result's error names (not_found_error, deadline…), when a plain word. */
function resultErrorType(text: string | undefined): string {
  try {
    const type = (JSON.parse(text ?? '') as { error?: { type?: unknown } }).error?.type;
    return typeof type === 'string' && /^[a-z0-9_]{1,64}$/.test(type) ? type : 'tool_error';
  } catch {
    return 'tool_error';
  }
}

export function tracingObserver(tracer: Tracer): CallObserver {
  return {
    begin(info) {
      const span = tracer.startSpan(
        `tools/call ${info.tool}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'mcp.method.name': 'tools/call',
            'gen_ai.operation.name': 'execute_tool',
            'gen_ai.tool.name': info.tool,
            ...(typeof info.args.environment_id === 'string' && ID.test(info.args.environment_id)
              ? { 'agent_environments.environment_id': info.args.environment_id }
              : {}),
            ...(typeof info.args.work_id === 'string' && ID.test(info.args.work_id)
              ? { 'agent_environments.work_id': info.args.work_id }
              : {}),
          },
        },
        parentOf(info),
      );
      const inside = trace.setSpan(ROOT_CONTEXT, span);
      return {
        attempt(r) {
          const end = Date.now();
          const child = tracer.startSpan(
            `${r.method} ${r.route}`,
            {
              kind: SpanKind.CLIENT,
              startTime: end - r.durationMs,
              attributes: {
                'http.request.method': r.method,
                'url.template': r.route,
                'agent_environments.operation': r.operation,
                ...(r.attempt > 0 ? { 'http.request.resend_count': r.attempt } : {}),
                ...(r.status !== undefined ? { 'http.response.status_code': r.status } : {}),
                ...(r.requestId && ID.test(r.requestId)
                  ? { 'anthropic.request_id': r.requestId }
                  : {}),
              },
            },
            inside,
          );
          const failed =
            r.error ??
            (r.status === undefined || r.status >= 400 ? String(r.status ?? 'error') : undefined);
          if (failed) {
            child.setAttribute('error.type', failed);
            child.setStatus({ code: SpanStatusCode.ERROR });
          }
          child.end(end);
        },
        end({ result, mode }) {
          span.setAttribute('agent_environments.mode', mode);
          if (result.isError) {
            const first = result.content?.[0];
            // The MCP conventions: a result with isError is error.type tool_error; ours says which.
            span.setAttribute('error.type', 'tool_error');
            span.setAttribute(
              'agent_environments.error_type',
              resultErrorType(first?.type === 'text' ? first.text : undefined),
            );
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },
  };
}

/**
 * A tracer provider of our own, not registered globally: it exports through
 * OTLP over HTTP, configured by the standard OTEL_EXPORTER_OTLP_* variables.
 */
export async function startTracing(opts: TracingOptions): Promise<Tracing> {
  let exporter = opts.exporter;
  if (!exporter) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    exporter = new OTLPTraceExporter();
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': process.env.OTEL_SERVICE_NAME || opts.name,
      'service.version': opts.version,
    }),
    spanProcessors: [
      opts.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  return {
    observer: tracingObserver(provider.getTracer(opts.name, opts.version)),
    shutdown: () => provider.shutdown().catch(() => {}),
  };
}
