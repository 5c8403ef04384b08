import { type BulkheadLimits, type BulkheadMiddleware, createBulkheadMiddleware } from 'ai.matey.middleware';
import type { GatewayKey } from './gateway-keys.ts';

/** Per-key concurrency caps besides the keys' own (`GatewayPolicyOptions.keyConcurrency`). */
export interface KeyConcurrencyOptions {
  /**
   * Limits by key id, for keys whose record has no `maxConcurrent` of its own (a database key
   * named in the config file's `bulkheads.keys`, say).
   */
  limits?: Record<string, BulkheadLimits>;
  /** The `retry-after` of a refusal, in ms. Default 1,000. */
  retryAfterMs?: number;
}

/**
 * One bulkhead per gateway key, its limits read from the key as the policy resolved it on every
 * call (`maxConcurrent`, `maxQueue`, `queueTimeoutMs`), so a database key edited by an admin is
 * capped by its new figures at its next call; over the cap a 429 `concurrency_limit_exceeded`
 * with `retry-after`. A key without limits passes uncapped.
 */
export function keyBulkheadMiddleware(
  keyOf: (keyId: string) => GatewayKey | undefined,
  options: KeyConcurrencyOptions = {},
): BulkheadMiddleware {
  return createBulkheadMiddleware({
    scope: 'caller',
    key: (request) =>
      typeof request.metadata?.apiKeyId === 'string' ? request.metadata.apiKeyId : undefined,
    limitsOf: (keyId) => keyLimits(keyOf(keyId)),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
  });
}

/** A key's own bulkhead limits; none without `maxConcurrent`. */
export function keyLimits(key: GatewayKey | undefined): BulkheadLimits | undefined {
  if (key?.maxConcurrent === undefined) return undefined;
  return {
    maxConcurrent: key.maxConcurrent,
    ...(key.maxQueue === undefined ? {} : { maxQueue: key.maxQueue }),
    ...(key.queueTimeoutMs === undefined ? {} : { queueTimeoutMs: key.queueTimeoutMs }),
  };
}
