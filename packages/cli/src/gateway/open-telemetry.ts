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
  /** Exports the spans still batched, then stops the SDK. */
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK of `ai.matey.telemetry.otel` for the `telemetry:` section. The
 * package is imported here and only here, so a gateway without the section never loads it.
 */
export async function openTelemetry(config: TelemetryConfig): Promise<GatewayTelemetry> {
  const { startOtelTelemetry } = await import('ai.matey.telemetry.otel');
  const telemetry = startOtelTelemetry({
    endpoint: config.endpoint,
    serviceName: config.serviceName,
    samplingRatio: config.samplingRatio,
    ...(config.headers ? { headers: config.headers } : {}),
  });
  return {
    middleware: createTelemetryMiddleware({ tracer: telemetry.getTracer('ai.matey.middleware') }),
    http: async (c, next) => {
      // After the handler ran, Hono's routePath is the matched route (`*` for none).
      const route = () => (c.req.routePath === '*' ? undefined : c.req.routePath);
      await telemetry.traceHttpRequest(c.env.incoming, c.env.outgoing, next, route);
    },
    shutdown: () => telemetry.shutdown(),
  };
}
