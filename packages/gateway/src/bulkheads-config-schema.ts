import { z } from 'zod';

const limits = z
  .object({
    /** Calls in flight at once (and sockets to the provider's origin). */
    maxConcurrent: z.number().int().positive(),
    /** Calls that may wait for a slot; one more is refused at once. Default 0. */
    maxQueue: z.number().int().nonnegative().optional(),
    /** Longest wait for a slot, in ms; then the call is refused. Default 1,000. */
    queueTimeoutMs: z.number().int().nonnegative().optional(),
  })
  .strict();

/**
 * The `bulkheads:` section: a cap on concurrent upstream calls per provider (and per gateway
 * key), with a bounded wait queue and a queue timeout. Over the cap a call falls back to the
 * next provider of `routing.fallbacks`, or fails fast: 503 `bulkhead_full` for a provider, 429
 * `concurrency_limit_exceeded` for a key, with `retry-after`. Absent: no caps.
 */
export const bulkheadsConfigSchema = z
  .object({
    /** Limits for every provider without an entry in `providers`. */
    default: limits.optional(),
    /** Limits per provider (its name under `providers:`). */
    providers: z.record(z.string(), limits).default({}),
    /** Limits per gateway key (its `id`), for all its calls together. */
    keys: z.record(z.string(), limits).default({}),
    /** The `retry-after` of a refusal, in ms (sent in whole seconds, rounded up). Default 1,000. */
    retryAfterMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .optional();

export type BulkheadsConfig = NonNullable<z.infer<typeof bulkheadsConfigSchema>>;
