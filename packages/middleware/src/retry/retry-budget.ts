import { checkOptions, type OptionShape } from 'ai.matey.core';
export interface RetryBudgetOptions {
  /**
   * Retries earned per successful call: 0.2 lets retries add at most 20% to the load the
   * backend sees, however many calls fail. Default 0.2.
   */
  ratio?: number;
  /** Retry tokens held at most; the budget starts full. Default 10. */
  maxTokens?: number;
  /**
   * Tokens added per second regardless of traffic, so a quiet service can still retry its
   * occasional failure (Finagle's `minRetriesPerSec`). Default 1.
   */
  minRetriesPerSecond?: number;
  now?: () => number;
}

const retryBudgetOptions: OptionShape<RetryBudgetOptions> = {
  ratio: true,
  maxTokens: true,
  minRetriesPerSecond: true,
  now: true,
};

/**
 * A retry budget shared by many calls, token-bucket style (gRPC retry throttling, Finagle's
 * `RetryBudget`): each successful call deposits `ratio` of a token, each retry withdraws one.
 * When a backend goes down, every call fails, nothing is deposited, and retries stop after the
 * bucket empties instead of multiplying the load on a struggling backend.
 *
 * @example
 * const budget = new RetryBudget({ ratio: 0.1 });
 * const retry = createRetryMiddleware({ budget });
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #maxTokens: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: RetryBudgetOptions = {}) {
    checkOptions('new RetryBudget', options, retryBudgetOptions);
    this.#ratio = options.ratio ?? 0.2;
    this.#maxTokens = options.maxTokens ?? 10;
    this.#refillPerMs = (options.minRetriesPerSecond ?? 1) / 1000;
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#maxTokens;
    this.#updatedAt = this.#now();
  }

  /** Retry tokens available now. */
  get balance(): number {
    this.#refill();
    return this.#tokens;
  }

  /** A call succeeded: earn a fraction of a retry. */
  recordSuccess(): void {
    this.#refill();
    this.#tokens = Math.min(this.#maxTokens, this.#tokens + this.#ratio);
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryWithdraw(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    if (this.#refillPerMs > 0)
      this.#tokens = Math.min(this.#maxTokens, this.#tokens + elapsed * this.#refillPerMs);
  }
}
