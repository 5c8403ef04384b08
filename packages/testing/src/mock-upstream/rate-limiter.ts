/** Rate-limit enforcement: a sliding window over requests (and, optionally, tokens). */
export interface MockRateLimit {
  requestsPerMinute: number;
  tokensPerMinute?: number;
  /** The window the limits apply to (default 60 000 ms: "per minute"). */
  windowMs?: number;
}

/** The outcome for one request: allowed or not, the OpenAI-style headers, and when to retry. */
export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfterMs: number;
}

/**
 * A sliding-window limiter: a request is admitted while fewer than `requestsPerMinute` requests
 * (and under `tokensPerMinute` tokens) were admitted in the last `windowMs`. Rejected requests
 * do not count, as with the providers.
 */
export class SlidingWindowRateLimiter {
  readonly #limits: MockRateLimit;
  readonly #windowMs: number;
  #times: number[] = [];
  #tokens: number[] = [];
  #head = 0;
  #tokenSum = 0;

  constructor(limits: MockRateLimit) {
    this.#limits = limits;
    this.#windowMs = limits.windowMs ?? 60_000;
  }

  /** Admits (and counts) a request of `tokens` tokens, or says why not and for how long. */
  take(tokens: number, now = Date.now()): RateLimitDecision {
    this.#prune(now);
    const count = this.#times.length - this.#head;
    const requestLimit = this.#limits.requestsPerMinute;
    const tokenLimit = this.#limits.tokensPerMinute;
    let retryAfterMs = 0;
    if (count >= requestLimit) retryAfterMs = this.#expiresIn(this.#head + count - requestLimit, now);
    if (tokenLimit !== undefined && this.#tokenSum + tokens > tokenLimit) {
      retryAfterMs = Math.max(retryAfterMs, this.#tokensFreeIn(this.#tokenSum + tokens - tokenLimit, now));
    }
    const allowed = retryAfterMs === 0;
    if (allowed) {
      this.#times.push(now);
      this.#tokens.push(tokens);
      this.#tokenSum += tokens;
    }
    return { allowed, retryAfterMs, headers: this.#headers(now) };
  }

  reset(): void {
    this.#times = [];
    this.#tokens = [];
    this.#head = 0;
    this.#tokenSum = 0;
  }

  #prune(now: number): void {
    const cutoff = now - this.#windowMs;
    while (this.#head < this.#times.length && (this.#times[this.#head] ?? 0) <= cutoff) {
      this.#tokenSum -= this.#tokens[this.#head] ?? 0;
      this.#head++;
    }
    // Compact now and then, so the arrays do not grow for the life of the server.
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#tokens = this.#tokens.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Ms until the entry at `index` leaves the window (at least 1). */
  #expiresIn(index: number, now: number): number {
    const time = this.#times[index] ?? now;
    return Math.max(1, time + this.#windowMs - now);
  }

  /** Ms until at least `excess` tokens have left the window. */
  #tokensFreeIn(excess: number, now: number): number {
    let freed = 0;
    for (let i = this.#head; i < this.#times.length; i++) {
      freed += this.#tokens[i] ?? 0;
      if (freed >= excess) return this.#expiresIn(i, now);
    }
    // A single request larger than the whole budget: it will never fit; say "a window".
    return this.#windowMs;
  }

  #headers(now: number): Record<string, string> {
    const count = this.#times.length - this.#head;
    const oldest = count > 0 ? this.#expiresIn(this.#head, now) : 0;
    const headers: Record<string, string> = {
      'x-ratelimit-limit-requests': String(this.#limits.requestsPerMinute),
      'x-ratelimit-remaining-requests': String(Math.max(0, this.#limits.requestsPerMinute - count)),
      'x-ratelimit-reset-requests': formatDuration(oldest),
    };
    if (this.#limits.tokensPerMinute !== undefined) {
      headers['x-ratelimit-limit-tokens'] = String(this.#limits.tokensPerMinute);
      headers['x-ratelimit-remaining-tokens'] = String(
        Math.max(0, this.#limits.tokensPerMinute - this.#tokenSum),
      );
      headers['x-ratelimit-reset-tokens'] = formatDuration(oldest);
    }
    return headers;
  }
}

/** A duration as OpenAI writes it in `x-ratelimit-reset-*`: `20ms`, `1.5s`, `6m0s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  if (ms < 60_000) return `${Math.round(ms / 10) / 100}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms - minutes * 60_000) / 1000)}s`;
}
