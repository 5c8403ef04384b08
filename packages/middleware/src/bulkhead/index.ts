import {
  type AiMateyError,
  BulkheadFullError,
  type CallContext,
  type ChatRequest,
  ConcurrencyLimitError,
  checkOptions,
  type EmbedRequest,
  type Middleware,
  type OptionShape,
  observeCall,
  StateKey,
} from 'ai.matey.core';
import {
  Bulkhead,
  type BulkheadLimits,
  type BulkheadRefusal,
  type BulkheadStats,
  type ReleaseSlot,
} from './bulkhead.ts';
import { checkBulkheadLimits } from './check-bulkhead-limits.ts';

export { Bulkhead, type BulkheadLimits, type BulkheadRefusal, type BulkheadStats } from './bulkhead.ts';

/** What a call went through at its bulkhead, in `BULKHEAD_STATE` of `context.state` (`'bulkhead'`). */
export interface BulkheadRecord {
  key: string;
  /** Time spent waiting for a slot, in ms (0 when one was free). */
  queuedMs: number;
}

export const BULKHEAD_STATE = new StateKey<BulkheadRecord>('bulkhead');

export interface BulkheadOptions extends Partial<BulkheadLimits> {
  /**
   * Limits per key (a provider's registered name, a gateway key's id); a key without an entry
   * gets the top-level limits, or passes uncapped when `maxConcurrent` is not set.
   */
  limits?: Record<string, BulkheadLimits>;
  /**
   * Limits looked up on every call, before `limits` and the top-level ones: a gateway key's own,
   * which an admin may edit while the gateway runs. A key whose limits change gets a new
   * bulkhead at its next call (calls already in the old one finish there); one whose limits go
   * away passes uncapped.
   */
  limitsOf?(key: string): BulkheadLimits | undefined;
  /**
   * Which bulkhead a call (chat or embedding) is in; undefined lets it pass uncapped. Default:
   * `context.backend.name`, which in a Router's `attemptMiddleware` is the attempt's provider.
   */
  key?(request: ChatRequest | EmbedRequest, context: CallContext): string | undefined;
  /**
   * Whose cap this is. `provider` (default): a refusal is a `BulkheadFullError` (503), so a
   * Router falls back to its next candidate. `caller`: a `ConcurrencyLimitError` (429).
   */
  scope?: 'provider' | 'caller';
  /** The `retryAfterMs` a refusal carries (the `retry-after` header). Default 1,000. */
  retryAfterMs?: number;
  /** Told of every refusal. */
  onReject?(refusal: { key: string; reason: BulkheadRefusal }): void;
}

/** The bulkhead middleware, with its figures readable for dashboards and `/metrics`. */
export interface BulkheadMiddleware extends Middleware {
  /** Every bulkhead's figures, by key (only keys that have had a call). */
  stats(): Record<string, BulkheadStats>;
}

const bulkheadOptions: OptionShape<BulkheadOptions> = {
  maxConcurrent: true,
  maxQueue: true,
  queueTimeoutMs: true,
  limits: true,
  limitsOf: true,
  key: true,
  scope: true,
  retryAfterMs: true,
  onReject: true,
};

/**
 * Caps the calls in flight per key (per provider by default) with a bounded FIFO wait queue and
 * a queue timeout, so a provider that hangs holds at most `maxConcurrent` calls (and sockets)
 * and makes at most `maxQueue` callers wait, each at most `queueTimeoutMs`; every call over
 * that fails fast (503 `bulkhead_full` with `retry-after`) or, in a Router, falls back. A
 * streamed call holds its slot until its stream ends, fails or is cancelled.
 *
 * Give it to a Router as `attemptMiddleware` for one bulkhead per provider (fallbacks then go
 * to another provider's); in a Bridge's chain it caps the Bridge's backend as a whole.
 *
 * @example
 * const bulkheads = createBulkheadMiddleware({
 *   maxConcurrent: 64, maxQueue: 128, queueTimeoutMs: 2_000,
 *   limits: { anthropic: { maxConcurrent: 16, maxQueue: 32, queueTimeoutMs: 1_000 } },
 * });
 * const router = new Router({ attemptMiddleware: [bulkheads], fallbackChain: ['openai'] });
 */
export function createBulkheadMiddleware(options: BulkheadOptions = {}): BulkheadMiddleware {
  checkOptions('createBulkheadMiddleware', options, bulkheadOptions);
  const {
    limits = {},
    key: keyOf = defaultKey,
    scope = 'provider',
    retryAfterMs = 1_000,
    onReject,
  } = options;
  const defaults = defaultLimits(options);
  if (defaults) checkBulkheadLimits('createBulkheadMiddleware', defaults, '');
  else if (options.maxQueue !== undefined || options.queueTimeoutMs !== undefined)
    throw new TypeError('createBulkheadMiddleware: maxQueue and queueTimeoutMs need maxConcurrent');
  for (const [name, entry] of Object.entries(limits))
    checkBulkheadLimits('createBulkheadMiddleware', entry, `limits.${name}.`);
  if (!(Number.isFinite(retryAfterMs) && retryAfterMs >= 0))
    throw new TypeError('createBulkheadMiddleware: retryAfterMs must be a number >= 0');
  if (scope !== 'provider' && scope !== 'caller')
    throw new TypeError(`createBulkheadMiddleware: scope must be 'provider' or 'caller'`);
  const bulkheads = new Map<string, Bulkhead>();

  /** The key's bulkhead, made on its first call; none (and nothing kept) for a key without limits. */
  function bulkheadFor(key: string): Bulkhead | undefined {
    const looked = options.limitsOf?.(key);
    let bulkhead = bulkheads.get(key);
    if (bulkhead && (!options.limitsOf || sameLimits(bulkhead, looked ?? staticLimits(key)))) return bulkhead;
    const own = looked ?? staticLimits(key);
    if (!own) {
      bulkheads.delete(key);
      return undefined;
    }
    if (looked) checkBulkheadLimits('createBulkheadMiddleware', looked, `limitsOf(${key}).`);
    bulkhead = new Bulkhead(own);
    bulkheads.set(key, bulkhead);
    return bulkhead;
  }

  function staticLimits(key: string): BulkheadLimits | undefined {
    return Object.hasOwn(limits, key) ? limits[key] : defaults;
  }

  function refusal(key: string, bulkhead: Bulkhead, reason: BulkheadRefusal): AiMateyError {
    onReject?.({ key, reason });
    const { maxConcurrent, queueTimeoutMs } = bulkhead;
    const why =
      reason === 'queue-full'
        ? `its ${maxConcurrent} slots are taken and its wait queue is full`
        : `no slot of its ${maxConcurrent} came free within ${queueTimeoutMs} ms`;
    if (scope === 'caller')
      return new ConcurrencyLimitError({
        message: `Too many concurrent calls for this API key: ${why}`,
        retryAfterMs,
      });
    return new BulkheadFullError({
      message: `Provider '${key}' is at capacity: ${why}; it was not called`,
      provider: key,
      retryAfterMs,
    });
  }

  /** The call's slot, once it has one; undefined for a call that is not capped. */
  async function admit(
    request: ChatRequest | EmbedRequest,
    context: CallContext,
  ): Promise<ReleaseSlot | undefined> {
    const key = keyOf(request, context);
    const bulkhead = key === undefined ? undefined : bulkheadFor(key);
    if (key === undefined || !bulkhead) return undefined;
    const started = performance.now();
    const release = await bulkhead.acquire(context.signal, (reason) => refusal(key, bulkhead, reason));
    BULKHEAD_STATE.set(context.state, { key, queuedMs: performance.now() - started });
    return release;
  }

  return {
    name: 'bulkhead',
    async execute(request, next, context) {
      const release = await admit(request, context);
      if (!release) return next(request);
      // Plain or streamed, the slot is given back when the call ends, however it ends.
      return observeCall(next, request, { onEnd: release });
    },
    async embed(request, next, context) {
      const release = await admit(request, context);
      try {
        return await next(request);
      } finally {
        release?.();
      }
    },
    stats() {
      const stats: Record<string, BulkheadStats> = {};
      for (const [key, bulkhead] of bulkheads) stats[key] = bulkhead.stats();
      return stats;
    },
  };
}

/** Whether a bulkhead already has these limits (defaults filled in as `Bulkhead` fills them). */
function sameLimits(bulkhead: Bulkhead, limits: BulkheadLimits | undefined): boolean {
  return (
    limits !== undefined &&
    bulkhead.maxConcurrent === limits.maxConcurrent &&
    bulkhead.maxQueue === (limits.maxQueue ?? 0) &&
    bulkhead.queueTimeoutMs === (limits.queueTimeoutMs ?? 1_000)
  );
}

function defaultKey(_request: ChatRequest | EmbedRequest, context: CallContext): string {
  return context.backend.name;
}

/** The top-level limits, for keys without their own; none without `maxConcurrent`. */
function defaultLimits({
  maxConcurrent,
  maxQueue,
  queueTimeoutMs,
}: Partial<BulkheadLimits>): BulkheadLimits | undefined {
  if (maxConcurrent === undefined) return undefined;
  return {
    maxConcurrent,
    ...(maxQueue === undefined ? {} : { maxQueue }),
    ...(queueTimeoutMs === undefined ? {} : { queueTimeoutMs }),
  };
}
