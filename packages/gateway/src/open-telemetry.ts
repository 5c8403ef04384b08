import type { Middleware } from 'ai.matey.core';
import type { GatewayOptions } from 'ai.matey.http';
import { createTelemetryMiddleware } from 'ai.matey.middleware';
import type { TelemetryConfig } from './telemetry-config-schema.ts';

type HttpMiddleware = NonNullable<GatewayOptions['use']>[number];

/** What the gateway needs from a started OpenTelemetry SDK. */
export interface GatewayTelemetry {
  /** The gen_ai span of every call (first in the Bridge's chain). */
  middleware: Middleware;
  /** The SERVER span of every HTTP request, continuing an inbound `traceparent`. */
  http: HttpMiddleware;
  /** Exports the spans still batched (within 5 s), then stops the SDK; never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK of `ai.matey.telemetry.otel` for the `telemetry:` section. The
 * package is imported here and only here, so a gateway without the section never loads it.
 */
export async function openTelemetry(config: TelemetryConfig): Promise<GatewayTelemetry> {
  const { startOtelTelemetry } = await import('ai.matey.telemetry.otel').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // A TypeError is reported as a config error (exit 2) by `matey serve`.
    throw new TypeError(
      `telemetry: needs the optional package ai.matey.telemetry.otel (npm install ai.matey.telemetry.otel) (${(error as Error).message})`,
    );
  });
  const telemetry = startOtelTelemetry({
    endpoint: config.endpoint,
    serviceName: config.serviceName,
    samplingRatio: config.samplingRatio,
    ...(config.headers ? { headers: config.headers } : {}),
    // Bounds the last export at shutdown when the collector is down.
    exportTimeoutMs: 5_000,
    onExportError: (error) =>
      // The origin only: a URL's user-info could hold a credential.
      console.error(
        `telemetry: exporting spans to ${new URL(config.endpoint).origin} failed (${error.message})`,
      ),
  });
  return {
    middleware: createTelemetryMiddleware({ tracer: telemetry.getTracer('ai.matey.middleware') }),
    http: async (c, next) => {
      // After the handler ran, Hono's routePath is the matched route; `/*` (this middleware's
      // own) when none matched, which must not become a span name.
      const route = () => (c.req.routePath.endsWith('*') ? undefined : c.req.routePath);
      await telemetry.traceHttpRequest(c.env.incoming, c.env.outgoing, next, route);
    },
    // A collector that is down must not turn a clean shutdown into a failed one; say so once.
    shutdown: () =>
      telemetry.shutdown().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        console.error(`telemetry: the last spans were not exported (${reason})`);
      }),
  };
}
