export interface RateGateOptions {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  now?: () => number;
}

/**
 * Paces admissions on an even grid: one request every `60_000 / requestsPerMinute` ms, and,
 * with a token limit, as many ms per item as its tokens take of the minute's budget. It says
 * how long to wait; the caller sets one timer for that (no polling).
 *
 * A timer that fires a little late keeps the grid (the next slot is an interval after the one
 * just used, not after "now"), so the achieved rate is the configured one. After a longer stall
 * the grid restarts from now with at most one slot made up, so a stall never turns into a burst.
 */
export class RateGate {
  readonly #requestIntervalMs: number;
  readonly #msPerToken: number;
  readonly #now: () => number;
  #nextRequestAt: number | undefined;
  #nextTokenAt: number | undefined;
  #pausedUntil = 0;

  constructor(options: RateGateOptions = {}) {
    this.#requestIntervalMs = options.requestsPerMinute ? 60_000 / options.requestsPerMinute : 0;
    this.#msPerToken = options.tokensPerMinute ? 60_000 / options.tokensPerMinute : 0;
    this.#now = options.now ?? (() => performance.now());
  }

  get requestIntervalMs(): number {
    return this.#requestIntervalMs;
  }

  /** Milliseconds until an item of `tokens` may start (0: now). */
  delayFor(tokens = 0): number {
    const now = this.#now();
    const tokenReady = tokens > 0 && this.#msPerToken > 0 ? (this.#nextTokenAt ?? now) : now;
    return Math.max(0, (this.#nextRequestAt ?? now) - now, tokenReady - now, this.#pausedUntil - now);
  }

  /** Takes the current slot; call only when `delayFor(tokens)` is 0. */
  admit(tokens = 0): void {
    const now = this.#now();
    if (this.#requestIntervalMs > 0) {
      const slot = Math.max(this.#nextRequestAt ?? now, now - this.#requestIntervalMs);
      this.#nextRequestAt = slot + this.#requestIntervalMs;
    }
    if (this.#msPerToken > 0 && tokens > 0) {
      const cost = tokens * this.#msPerToken;
      const slot = Math.max(this.#nextTokenAt ?? now, now - cost);
      this.#nextTokenAt = slot + cost;
    }
  }

  /** Stops every admission for `ms` (a provider's retry-after, or its limit reset time). */
  pauseFor(ms: number): void {
    const until = this.#now() + ms;
    if (until <= this.#pausedUntil) return;
    this.#pausedUntil = until;
    // Resume on a fresh grid at the end of the pause, not with a burst of missed slots.
    if (this.#requestIntervalMs > 0) this.#nextRequestAt = Math.max(this.#nextRequestAt ?? until, until);
    if (this.#msPerToken > 0) this.#nextTokenAt = Math.max(this.#nextTokenAt ?? until, until);
  }

  /** Time left of a pause (0 when none). */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }
}
