import { z } from 'zod';

/**
 * The `telemetry:` section: export OpenTelemetry traces (gen_ai spans, the gateway's server spans
 * and the upstream calls) over OTLP/HTTP. Absent: no tracing, and the SDK is never loaded.
 */
export const telemetryConfigSchema = z
  .object({
    /** The collector's OTLP/HTTP endpoint: `http://localhost:4318` (`/v1/traces` is added) or the full traces URL. */
    endpoint: z.url({ protocol: /^https?$/ }),
    /** `service.name` of every span. */
    serviceName: z.string().min(1).default('ai-matey-gateway'),
    /** Share of new traces recorded, 0 to 1; a caller's sampled `traceparent` is always followed. */
    samplingRatio: z.number().min(0).max(1).default(1),
    /** Sent with each export (a collector token: use `${VAR}`); never recorded in spans. */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .optional();

export type TelemetryConfig = NonNullable<z.infer<typeof telemetryConfigSchema>>;
