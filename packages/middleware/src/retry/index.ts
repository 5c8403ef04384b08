import {
  type AiMateyError,
  BulkheadFullError,
  type CallContext,
  CircuitOpenError,
  checkOptions,
  type Middleware,
  type MiddlewareContext,
  mapReply,
  type OptionShape,
  type Reply,
  StateKey,
  toAiMateyError,
} from 'ai.matey.core';
import { RetryBudget } from './retry-budget.ts';

export { RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';

/** Where the retry middleware leaves its `RetryRecord` in `context.state` (`'retry'`). */
export const RETRY_STATE = new StateKey<RetryRecord>('retry');

/** What a retried call went through, in `RETRY_STATE` of `context.state` and `response.metadata.retry`. */
export interface RetryRecord {
  /** Calls made to the rest of the chain, the first included. */
  attempts: number;
  /** The waits before each retry, in ms. */
  delaysMs: number[];
  /** Set when a retryable failure was given up because the budget was spent. */
  budgetExhausted?: boolean;
  /** Set when a retryable failure was given up because the request made all its upstream calls. */
  attemptsExhausted?: boolean;
}

export interface RetryOptions {
  /**
   * Calls at most, the first included. Default 3. The Bridge's `maxAttempts` caps the upstream
   * calls of a request as a whole, fallbacks included: a retry is not made once it is spent.
   */
  maxAttempts?: number;
  /** The backoff's base: the first retry waits up to this long. Default 500 ms. */
  baseDelayMs?: number;
  /** The backoff's cap. Default 20 s. */
  maxDelayMs?: number;
  /**
   * The longest `retryAfterMs` hint honoured. A longer one fails fast with the original error
   * (its hint intact), so the caller can decide. Default 60 s.
   */
  maxRetryAfterMs?: number;
  /**
   * Shared limit on retries across calls; pass one `RetryBudget` to several middleware to
   * share it, or `false` for none. Default: a budget of this middleware's own.
   */
  budget?: RetryBudget | false;
  /** Which errors are retried. Default: `error.isRetryable`. */
  shouldRetry?: (error: AiMateyError, attempt: number) => boolean;
  /** Called before each wait. */
  onRetry?: (retry: { attempt: number; delayMs: number; error: AiMateyError }) => void;
  /** Waits `ms`; must reject when `signal` aborts. Injectable for tests. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the jitter. Injectable for tests. */
  random?: () => number;
  /** The clock the default budget refills by. */
  now?: () => number;
}

const retryOptions: OptionShape<RetryOptions> = {
  maxAttempts: true,
  baseDelayMs: true,
  maxDelayMs: true,
  maxRetryAfterMs: true,
  budget: true,
  shouldRetry: true,
  onRetry: true,
  sleep: true,
  random: true,
  now: true,
};

/**
 * Retries failed calls with exponential backoff and full jitter: the n-th retry waits a random
 * time in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))], or exactly the error's `retryAfterMs`
 * when it has one. Only retryable errors are retried, only while the shared retry budget
 * and the request's own budget of upstream calls (`context.attempts`, which the Router's
 * fallbacks draw from too) last, and never once the call is cancelled. An open circuit is not
 * waited for: its error goes straight to the caller with its `retryAfterMs`.
 *
 * Embedding calls are retried the same way; of a batch that a backend split into several
 * upstream calls, a retry sends again only the calls that failed (the Bridge keeps the others'
 * vectors for the call, `BackendCallOptions.embedProgress`).
 *
 * Streams need no special case: `next` resolves only after a stream's first event arrived, so
 * a stream that fails before it rejects `next` and is retried, and one that fails after it
 * fails while the caller reads it, when retrying would repeat what the caller already saw.
 *
 * @example
 * const bridge = new Bridge({
 *   backend,
 *   middleware: [createRetryMiddleware({ maxAttempts: 4, baseDelayMs: 250 })],
 * });
 */
export function createRetryMiddleware(options: RetryOptions = {}): Middleware {
  checkOptions('createRetryMiddleware', options, retryOptions);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 20_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const shouldRetry = options.shouldRetry ?? ((error: AiMateyError) => error.isRetryable);
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const budget =
    options.budget === false
      ? undefined
      : (options.budget ?? new RetryBudget(options.now ? { now: options.now } : {}));

  return {
    name: 'retry',
    async execute(request, next, context) {
      const { reply, record } = await withRetries(() => next(request), context);
      return withRetryMetadata(reply, record);
    },
    async embed(request, next, context) {
      const { reply, record } = await withRetries(() => next(request), context);
      return { ...reply, metadata: { ...reply.metadata, retry: { attempts: record.attempts } } };
    },
  };

  /** Calls `call` until it succeeds or a failure may not be retried; the same for every call kind. */
  async function withRetries<R>(
    call: () => Promise<R>,
    context: CallContext,
  ): Promise<{ reply: R; record: RetryRecord }> {
    const record: RetryRecord = { attempts: 0, delaysMs: [] };
    RETRY_STATE.set(context.state, record);
    while (true) {
      record.attempts++;
      let reply: R;
      try {
        reply = await call();
      } catch (error) {
        if (context.signal.aborted) throw error;
        const typed = toAiMateyError(error);
        const delayMs = retryDelay(typed, record.attempts);
        if (delayMs === undefined) throw error;
        if (context.attempts.remaining === 0) {
          record.attemptsExhausted = true;
          throw error;
        }
        if (budget && !budget.tryWithdraw()) {
          record.budgetExhausted = true;
          throw error;
        }
        options.onRetry?.({ attempt: record.attempts, delayMs, error: typed });
        record.delaysMs.push(delayMs);
        await sleep(delayMs, context.signal);
        continue;
      }
      budget?.recordSuccess();
      return { reply, record };
    }
  }

  /** How long to wait before the next attempt, or undefined to give up. */
  function retryDelay(error: AiMateyError, attempts: number): number | undefined {
    if (attempts >= maxAttempts || error.kind === 'cancelled') return undefined;
    if (!shouldRetry(error, attempts) || failsFast(error)) return undefined;
    if (error.retryAfterMs !== undefined) {
      return error.retryAfterMs > maxRetryAfterMs ? undefined : Math.max(0, error.retryAfterMs);
    }
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempts - 1));
    return Math.floor(random() * ceiling);
  }
}

/**
 * Every backend the call could go to has an open circuit or a full bulkhead: waiting out a
 * cool-down, or joining a saturated queue again, is the caller's choice (told `retry-after`).
 */
function failsFast(error: AiMateyError): boolean {
  const refused = (thrown: unknown) =>
    CircuitOpenError.isInstance(thrown) || BulkheadFullError.isInstance(thrown);
  if (refused(error)) return true;
  const attempts = (error as AiMateyError & { attempts?: Array<{ error: unknown }> }).attempts;
  return (
    error.kind === 'all-backends-failed' &&
    Array.isArray(attempts) &&
    attempts.length > 0 &&
    attempts.every((attempt) => refused(attempt.error))
  );
}

function withRetryMetadata(reply: Reply, record: RetryRecord): Reply {
  // Stream events carry no response metadata; for streams the record lives in context.state.
  return mapReply(reply, {
    response: (response) => ({
      ...response,
      metadata: { ...response.metadata, retry: { attempts: record.attempts } },
    }),
  });
}

/** Waits `ms`, or rejects with the signal's reason as soon as the call is cancelled. */
function abortableSleep(ms: number, signal: MiddlewareContext['signal']): Promise<void> {
  if (signal.aborted) return Promise.reject(toAiMateyError(signal.reason));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(toAiMateyError(signal.reason));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
