export {
  type OtelTelemetry,
  type OtelTelemetryOptions,
  startOtelTelemetry,
  tracesUrl,
} from './start-otel-telemetry.ts';
export { createHttpServerTracing, type HttpServerTracing } from './trace-http-request.ts';
