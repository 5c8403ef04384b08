import { checkOptions, type OptionShape } from 'ai.matey.core';

export interface RateGateOptions {
  /** Admissions spaced evenly, one every `60_000 / requestsPerMinute` ms. */
  requestsPerMinute?: number;
  /**
   * At most this many admissions in any window of `perMinutes` minutes, bursts allowed (the
   * integration-patterns guide's `rateLimit: { maxRequests: 10, perMinutes: 1 }`): the first
   * `maxRequests` start at once, the next when the oldest of them leaves the window.
   */
  maxRequests?: number;
  /** The window of `maxRequests`, in minutes (fractions allowed). Default 1. */
  perMinutes?: number;
  tokensPerMinute?: number;
  /**
   * The shortest window the provider enforces `requestsPerMinute` over, pro rata (default 1000:
   * providers commonly enforce a per-minute limit per second, e.g. 600 RPM as 10 per second).
   * No window of this length ever sees more than its share of admissions.
   */
  enforcedWindowMs?: number;
  now?: () => number;
}

/**
 * Slack on the enforced window for the time between admission and arrival at the provider: an
 * admitted request can reach it late (a GC pause on either side, a queue at its edge) while the one
 * a window later does not. 1% (10 ms on a one-second window): at 0.5% (5 ms), one run in four at
 * 500 req/s still drew a 429 on a loopback mock (bench `--only batch`).
 */
const ARRIVAL_GUARD_FRACTION = 0.01;
const MIN_ARRIVAL_GUARD_MS = 2;
/** How far behind its grid the gate may fall and still catch up (timers fire 1–4 ms late). */
const MIN_CATCH_UP_MS = 8;
/**
 * The first window's requests open new connections and reach the provider up to tens of ms after
 * their admission, bunching into the next window: they count in the window as if admitted this
 * much later. This shifts the second window once; the rate after it is unchanged.
 */
const FIRST_WINDOW_ALLOWANCE_MS = 30;

const rateGateOptions: OptionShape<RateGateOptions> = {
  requestsPerMinute: true,
  maxRequests: true,
  perMinutes: true,
  tokensPerMinute: true,
  enforcedWindowMs: true,
  now: true,
};

/**
 * Paces admissions on an even grid: one request every `60_000 / requestsPerMinute` ms, and,
 * with a token limit, as many ms per item as its tokens take of the minute's budget. It says
 * how long to wait; the caller sets one timer for that (no polling).
 *
 * A timer that fires a little late keeps the grid (the next slot is an interval after the one
 * just used, not after "now"), so the achieved rate is the configured one. After a longer stall
 * the grid restarts from now with at most one interval (or 8 ms, on a fine grid) made up, so a
 * stall never turns into a burst.
 *
 * The grid alone can still put one admission too many into a window (the slot made up), and the
 * provider counts arrivals, which jitter. So the gate also remembers its last admissions: the
 * next one waits until the one `limit` admissions back is older than the enforced window plus a
 * small guard (1%, at least 2 ms), and the first window's admissions count 30 ms late (new
 * connections delay them). The achieved rate is thus about 99% of the limit, and never over it
 * in any window.
 *
 * With `maxRequests`/`perMinutes` there is no grid, only that window: bursts of `maxRequests`,
 * then one admission each time the oldest leaves the window (plus the same guard).
 */
export class RateGate {
  readonly #requestIntervalMs: number;
  readonly #msPerToken: number;
  readonly #now: () => number;
  #nextRequestAt: number | undefined;
  #nextTokenAt: number | undefined;
  #pausedUntil = 0;
  /** Admission times, a ring of the window's share (empty when no request limit). */
  #recent: number[] = [];
  #recentNext = 0;
  #admittedCount = 0;
  #windowMs = 0;
  readonly #catchUpMs: number;

  constructor(options: RateGateOptions = {}) {
    checkOptions('new RateGate', options, rateGateOptions);
    const rpm = options.requestsPerMinute ?? 0;
    this.#requestIntervalMs = rpm > 0 ? 60_000 / rpm : 0;
    this.#msPerToken = options.tokensPerMinute ? 60_000 / options.tokensPerMinute : 0;
    this.#now = options.now ?? (() => performance.now());
    this.#catchUpMs = Math.max(this.#requestIntervalMs, MIN_CATCH_UP_MS);
    if (rpm > 0) {
      // A window holding at least one admission: below 1 per enforced window, the grid is the limit.
      const window = Math.max(options.enforcedWindowMs ?? 1000, 60_000 / rpm);
      const share = Math.max(1, Math.floor((rpm * window) / 60_000));
      this.#windowMs = window + Math.max(MIN_ARRIVAL_GUARD_MS, window * ARRIVAL_GUARD_FRACTION);
      this.#recent = new Array<number>(share).fill(Number.NEGATIVE_INFINITY);
    }
    if (options.maxRequests !== undefined)
      this.#useSlidingWindow(options.maxRequests, options.perMinutes ?? 1);
  }

  /** The guide's window: the ring holds `maxRequests` admissions, no grid (unless `requestsPerMinute` too). */
  #useSlidingWindow(maxRequests: number, perMinutes: number): void {
    if (!(Number.isInteger(maxRequests) && maxRequests > 0) || !(perMinutes > 0)) {
      throw new RangeError(
        `rateLimit needs maxRequests a whole number > 0 and perMinutes > 0 (got ${maxRequests} per ${perMinutes})`,
      );
    }
    if (this.#recent.length > 0) {
      throw new TypeError('rateLimit takes requestsPerMinute or maxRequests/perMinutes, not both');
    }
    const window = perMinutes * 60_000;
    this.#windowMs = window + Math.max(MIN_ARRIVAL_GUARD_MS, window * ARRIVAL_GUARD_FRACTION);
    this.#recent = new Array<number>(maxRequests).fill(Number.NEGATIVE_INFINITY);
  }

  get requestIntervalMs(): number {
    return this.#requestIntervalMs;
  }

  /** Milliseconds until an item of `tokens` may start (0: now). */
  delayFor(tokens = 0): number {
    const now = this.#now();
    const tokenReady = tokens > 0 && this.#msPerToken > 0 ? (this.#nextTokenAt ?? now) : now;
    const windowReady = this.#recent.length > 0 ? this.#recent[this.#recentNext]! + this.#windowMs : now;
    return Math.max(
      0,
      (this.#nextRequestAt ?? now) - now,
      tokenReady - now,
      this.#pausedUntil - now,
      windowReady - now,
    );
  }

  /** Takes the current slot; call only when `delayFor(tokens)` is 0. */
  admit(tokens = 0): void {
    const now = this.#now();
    if (this.#requestIntervalMs > 0) {
      const slot = Math.max(this.#nextRequestAt ?? now, now - this.#catchUpMs);
      this.#nextRequestAt = slot + this.#requestIntervalMs;
    }
    if (this.#recent.length > 0) {
      const firstWindow = this.#admittedCount++ < this.#recent.length;
      this.#recent[this.#recentNext] = firstWindow ? now + FIRST_WINDOW_ALLOWANCE_MS : now;
      this.#recentNext = (this.#recentNext + 1) % this.#recent.length;
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
