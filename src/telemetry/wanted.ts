// Whether traces are on, decided without loading OpenTelemetry: `--otel`, or
// the standard OTEL_EXPORTER_OTLP_* variables naming where to send them.
// Off, nothing of OpenTelemetry is imported (./tracing.ts loads lazily).
import type { Values } from '../config/config.js';

export function tracingWanted(
  values: Pick<Values, 'otel'>,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (values.otel === false) return false;
  if (/^true$/i.test(env.OTEL_SDK_DISABLED ?? '') || env.OTEL_TRACES_EXPORTER === 'none')
    return false;
  return (
    values.otel === true ||
    !!env.OTEL_EXPORTER_OTLP_ENDPOINT ||
    !!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  );
}
