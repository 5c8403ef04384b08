import { type Attributes, context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { reportExportFailures } from './report-export-failures.ts';
import { createHttpServerTracing, type HttpServerTracing } from './trace-http-request.ts';

/** Where and how spans are exported. */
export interface OtelTelemetryOptions {
  /**
   * The collector's OTLP/HTTP endpoint: a base URL (`http://localhost:4318`, to which
   * `/v1/traces` is added) or the full traces URL (one ending in `/v1/traces`).
   */
  endpoint: string;
  /** `service.name` of the exported resource. Default `ai-matey-gateway`. */
  serviceName?: string;
  /** `service.version` of the exported resource. */
  serviceVersion?: string;
  /**
   * Share of new traces recorded, 0 to 1 (trace-id ratio). A caller's `traceparent` decides for
   * the traces it starts: sampled there, sampled here. Default 1.
   */
  samplingRatio?: number;
  /** Headers sent with every export (a collector token, say); never recorded in spans. */
  headers?: Record<string, string>;
  /**
   * Trace outgoing undici calls (the provider calls of `ai.matey.backend`) as CLIENT spans and
   * send them a W3C `traceparent`, so the provider call is part of the trace. Default true.
   */
  traceUpstreamCalls?: boolean;
  /** Longest wait before a batch of ended spans is exported. Default 5,000 ms. */
  exportDelayMs?: number;
  /**
   * Longest time one export may take, retries included; it also bounds `shutdown()` when the
   * collector is down. Default 10,000 ms.
   */
  exportTimeoutMs?: number;
  /**
   * Told when exports start failing (collector down, refused, …), once until one succeeds
   * again. By default failures are silent, as OpenTelemetry's are.
   */
  onExportError?: (error: Error) => void;
}

/** A running OpenTelemetry SDK, registered as the process's global one. */
export interface OtelTelemetry {
  readonly tracerProvider: TracerProvider;
  /** A tracer of this SDK (give it to `createTelemetryMiddleware({ tracer })`). */
  getTracer(name: string, version?: string): Tracer;
  /** Runs an HTTP request handler inside a SERVER span that continues the caller's `traceparent`. */
  readonly traceHttpRequest: HttpServerTracing;
  /** Exports every ended span now. */
  forceFlush(): Promise<void>;
  /** Exports what is left, then unregisters the SDK; rejects when that last export failed. */
  shutdown(): Promise<void>;
}

const SCOPE = 'ai.matey.telemetry.otel';

/**
 * Starts the OpenTelemetry trace SDK for an ai.matey process: a tracer provider with a
 * parent-based trace-id-ratio sampler and a batch processor exporting OTLP/HTTP (JSON), the
 * AsyncLocalStorage context manager and the W3C trace-context and baggage propagators, all
 * registered globally, so `createTelemetryMiddleware()` records through it. Call it once, before
 * the first request; an application that already runs its own SDK should not call it.
 *
 * @example
 * const telemetry = startOtelTelemetry({ endpoint: 'http://localhost:4318', serviceName: 'my-app' });
 * const bridge = new Bridge({ backend, middleware: [createTelemetryMiddleware()] });
 * process.on('SIGTERM', () => telemetry.shutdown());
 */
export function startOtelTelemetry(options: OtelTelemetryOptions): OtelTelemetry {
  const ratio = options.samplingRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) throw new RangeError(`samplingRatio must be from 0 to 1 (got ${ratio})`);
  const exportTimeoutMs = options.exportTimeoutMs ?? 10_000;
  const otlp = new OTLPTraceExporter({
    url: tracesUrl(options.endpoint),
    timeoutMillis: exportTimeoutMs,
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const exporter = options.onExportError ? reportExportFailures(otlp, options.onExportError) : otlp;
  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': options.serviceName ?? 'ai-matey-gateway',
      ...(options.serviceVersion ? { 'service.version': options.serviceVersion } : {}),
    }),
  );
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: options.exportDelayMs ?? 5_000,
        exportTimeoutMillis: exportTimeoutMs,
      }),
    ],
  });

  if (!trace.setGlobalTracerProvider(tracerProvider)) {
    throw new Error('An OpenTelemetry tracer provider is already registered in this process');
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const ownsContext = context.setGlobalContextManager(contextManager);
  const ownsPropagation = propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  // Subscribes to undici's diagnostics channels on construction (no module patching).
  const undici =
    options.traceUpstreamCalls === false
      ? undefined
      : new UndiciInstrumentation({ startSpanHook: redactedUrlAttributes });
  undici?.setTracerProvider(tracerProvider);

  let stopping: Promise<void> | undefined;
  return {
    tracerProvider,
    getTracer: (name, version) => tracerProvider.getTracer(name, version),
    traceHttpRequest: createHttpServerTracing(tracerProvider.getTracer(SCOPE)),
    forceFlush: () => tracerProvider.forceFlush(),
    shutdown() {
      stopping ??= (async () => {
        undici?.disable();
        try {
          await tracerProvider.shutdown();
        } finally {
          trace.disable();
          if (ownsPropagation) propagation.disable();
          if (ownsContext) context.disable();
        }
      })();
      return stopping;
    },
  };
}

/**
 * `url.full` and `url.query` with every query value replaced: a key or token a URL carries
 * (`?key=` for some providers and proxies) must not reach a span.
 */
function redactedUrlAttributes(request: { origin: string; path: string }): Attributes {
  const url = new URL(request.path, request.origin);
  if (!url.search) return {};
  for (const name of new Set(url.searchParams.keys())) url.searchParams.set(name, 'REDACTED');
  return { 'url.full': url.toString(), 'url.query': url.search };
}

/** The OTLP/HTTP traces URL: a base URL gets `/v1/traces`, as `OTEL_EXPORTER_OTLP_ENDPOINT` does. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (!url.pathname.endsWith('/v1/traces')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/traces`;
  return url.toString();
}
