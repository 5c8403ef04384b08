import { HttpTransport } from 'ai.matey.backend';
import type { KeyConcurrencyOptions } from 'ai.matey.http';
import { type BulkheadLimits, type BulkheadMiddleware, createBulkheadMiddleware } from 'ai.matey.middleware';
import type { BulkheadsConfig } from './bulkheads-config-schema.ts';

/** The gateway's bulkheads, from its `bulkheads:` section. */
export interface GatewayBulkheads {
  /** One bulkhead per provider, for the Router's `attemptMiddleware` (none without the section). */
  providers: BulkheadMiddleware | undefined;
  /**
   * `bulkheads.keys` and `retryAfterMs` for the policy's per-key bulkhead (`keyConcurrency`),
   * which reads each key's own limits first (a database key's `maxConcurrent`).
   */
  keys: KeyConcurrencyOptions;
  /**
   * A transport of the provider's own whose sockets per origin match its cap, so a hung
   * provider holds at most `maxConcurrent` sockets; undefined for an uncapped provider.
   */
  transportFor(provider: string): HttpTransport | undefined;
  /** Closes the transports made here. */
  close(): Promise<void>;
}

/**
 * Builds the bulkheads a config asks for: per provider (`default` for those without an entry)
 * refusing with 503 `bulkhead_full`, so the Router falls back; per key refusing with 429.
 */
export function gatewayBulkheads(config: BulkheadsConfig | undefined): GatewayBulkheads {
  const transports: HttpTransport[] = [];
  if (!config)
    return { providers: undefined, keys: {}, transportFor: () => undefined, close: async () => {} };
  const retryAfter = config.retryAfterMs === undefined ? {} : { retryAfterMs: config.retryAfterMs };
  const limitsOf = (provider: string): BulkheadLimits | undefined =>
    Object.hasOwn(config.providers, provider) ? config.providers[provider] : config.default;
  const capped = config.default !== undefined || Object.keys(config.providers).length > 0;
  return {
    providers: capped
      ? createBulkheadMiddleware({ ...config.default, limits: config.providers, ...retryAfter })
      : undefined,
    keys: { limits: config.keys, ...retryAfter },
    transportFor(provider) {
      const limits = limitsOf(provider);
      if (!limits) return undefined;
      const transport = new HttpTransport({ connections: limits.maxConcurrent });
      transports.push(transport);
      return transport;
    },
    async close() {
      await Promise.all(transports.splice(0).map((transport) => transport.close()));
    },
  };
}
