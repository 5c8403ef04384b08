import {
  type CallContext,
  type ChatRequest,
  checkOptions,
  type EmbedRequest,
  type Middleware,
  type OptionShape,
  observeCall,
  observeEmbed,
  RateLimitError,
  StateKey,
} from 'ai.matey.core';
import { estimateEmbedTokens } from '../shared/embed-tokens.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { estimateInputTokens } from './estimate-input-tokens.ts';
import type { Limiter, Reservation, TakeResult } from './limiter.ts';
import { SlidingWindowLimiter } from './sliding-window.ts';
import { TokenBucketLimiter } from './token-bucket.ts';

export { estimateInputTokens } from './estimate-input-tokens.ts';

export type RateLimitAlgorithm = 'sliding-window' | 'token-bucket';

export interface RateLimitOptions {
  /** Calls allowed per window and key. */
  requestsPerWindow?: number;
  /** Tokens (input + output) allowed per window and key. */
  tokensPerWindow?: number;
  /** Default 60 s. */
  windowMs?: number;
  /**
   * `sliding-window` (default; the two-window approximation, strict across replicas) or
   * `token-bucket` (bursts up to the limit, refilled continuously).
   */
  algorithm?: RateLimitAlgorithm;
  /**
   * Whose limit a call (chat or embedding) counts against. Default: `metadata.userId`, else
   * `metadata.apiKeyId`, else `global`.
   */
  key?(request: ChatRequest | EmbedRequest, context: CallContext): string;
  /** Where the counters live; share a store to share limits between replicas. Default: in memory. */
  store?: KeyValueStore;
  /** Prefix of the store keys. Default `rate-limit:`. */
  keyPrefix?: string;
  /**
   * The tokens a chat call is charged before its usage is known. Default: `estimateInputTokens`.
   * An embedding call is charged `estimateEmbedTokens`.
   */
  estimateTokens?: (request: ChatRequest) => number;
  now?: () => number;
}

/** Where the rate limiter leaves the headroom of an admitted call in `context.state` (`'rate-limit'`). */
export const RATE_LIMIT_STATE = new StateKey<RateLimitState>('rate-limit');

/** The headroom left after a call was admitted, in `RATE_LIMIT_STATE` of `context.state`. */
export interface RateLimitState {
  key: string;
  limitRequests?: number;
  remainingRequests?: number;
  limitTokens?: number;
  remainingTokens?: number;
}

const rateLimitOptions: OptionShape<RateLimitOptions> = {
  requestsPerWindow: true,
  tokensPerWindow: true,
  windowMs: true,
  algorithm: true,
  key: true,
  store: true,
  keyPrefix: true,
  estimateTokens: true,
  now: true,
};

/**
 * Limits calls and tokens per key and window. A call over a limit fails with a `RateLimitError`
 * whose `retryAfterMs` is the exact time until it would fit (when no other call takes the room
 * first). Tokens are charged up front from an estimate (a quarter of the characters, see
 * `estimateInputTokens`) and corrected once the usage is known: from the response, or from a
 * stream's final usage as it ends. A call that fails before any reply is refunded its tokens.
 *
 * @example
 * const limit = createRateLimitMiddleware({
 *   requestsPerWindow: 60,
 *   tokensPerWindow: 100_000,
 *   windowMs: 60_000,
 *   key: (request) => String(request.metadata?.tenant ?? 'global'),
 * });
 */
export function createRateLimitMiddleware(options: RateLimitOptions): Middleware {
  checkOptions('createRateLimitMiddleware', options, rateLimitOptions);
  const { requestsPerWindow, tokensPerWindow } = options;
  if (requestsPerWindow === undefined && tokensPerWindow === undefined)
    throw new TypeError('createRateLimitMiddleware needs requestsPerWindow or tokensPerWindow');
  const windowMs = options.windowMs ?? 60_000;
  const store = options.store ?? new MemoryStore();
  const now = options.now ?? Date.now;
  const prefix = options.keyPrefix ?? 'rate-limit:';
  const keyOf = options.key ?? defaultKey;
  const estimate = options.estimateTokens ?? estimateInputTokens;
  const limiter: Limiter =
    options.algorithm === 'token-bucket'
      ? new TokenBucketLimiter(store, windowMs, now)
      : new SlidingWindowLimiter(store, windowMs, now);

  function limited(result: TakeResult & { ok: false }, limit: number, unit: string): RateLimitError {
    const rule = `${limit} ${unit} per ${windowMs} ms`;
    if (result.retryAfterMs === undefined) {
      return new RateLimitError({
        message: `This request needs more ${unit} than the whole limit of ${rule}`,
        code: 'rate_limit_exceeded',
        isRetryable: false,
      });
    }
    return new RateLimitError({
      message: `Rate limit of ${rule} reached; retry in ${result.retryAfterMs} ms`,
      code: 'rate_limit_exceeded',
      retryAfterMs: result.retryAfterMs,
    });
  }

  /** Takes a request and its estimated tokens from the key's limits, or throws the limit's error. */
  async function admit(
    request: ChatRequest | EmbedRequest,
    context: CallContext,
    charged: number,
  ): Promise<Reservation | undefined> {
    const key = keyOf(request, context);
    const state: RateLimitState = { key };
    let requests: TakeResult | undefined;
    if (requestsPerWindow !== undefined) {
      requests = await limiter.take(`${prefix}${key}:requests`, requestsPerWindow, 1);
      if (!requests.ok) throw limited(requests, requestsPerWindow, 'requests');
      state.limitRequests = requestsPerWindow;
      state.remainingRequests = requests.remaining;
    }
    let tokens: TakeResult | undefined;
    if (tokensPerWindow !== undefined) {
      tokens = await limiter.take(`${prefix}${key}:tokens`, tokensPerWindow, charged);
      if (!tokens.ok) {
        if (requests?.ok) await limiter.adjust(requests.reservation, -1);
        throw limited(tokens, tokensPerWindow, 'tokens');
      }
      state.limitTokens = tokensPerWindow;
      state.remainingTokens = tokens.remaining;
    }
    RATE_LIMIT_STATE.set(context.state, state);
    // Without a token reservation there is nothing to correct when the call ends.
    return tokens?.ok ? tokens.reservation : undefined;
  }

  return {
    name: 'rate-limit',
    async execute(request, next, context) {
      const charged = tokensPerWindow === undefined ? 0 : estimate(request);
      const reservation = await admit(request, context, charged);
      if (!reservation) return next(request);
      return observeCall(next, request, {
        onEnd(outcome) {
          // Failed before any reply: the estimate is given back. No usage reported (a cancelled
          // stream, say): the estimate stands.
          if (outcome.status === 'failed' && !outcome.streamed) {
            return limiter.adjust(reservation, -charged).catch(() => {});
          }
          const total = outcome.usage?.totalTokens ?? 0;
          if (total > 0) return limiter.adjust(reservation, total - charged);
        },
      });
    },
    async embed(request, next, context) {
      const charged = tokensPerWindow === undefined ? 0 : estimateEmbedTokens(request);
      const reservation = await admit(request, context, charged);
      if (!reservation) return next(request);
      return observeEmbed(next, request, {
        onEnd(outcome) {
          if (outcome.status === 'failed') return limiter.adjust(reservation, -charged).catch(() => {});
          const total = outcome.usage.totalTokens;
          if (total > 0) return limiter.adjust(reservation, total - charged);
        },
      });
    },
  };
}

function defaultKey(request: ChatRequest | EmbedRequest): string {
  const { userId, apiKeyId } = request.metadata ?? {};
  if (typeof userId === 'string' && userId !== '') return `user:${userId}`;
  if (typeof apiKeyId === 'string' && apiKeyId !== '') return `api-key:${apiKeyId}`;
  return 'global';
}
