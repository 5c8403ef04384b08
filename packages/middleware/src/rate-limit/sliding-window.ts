import type { KeyValueStore } from '../store/store.ts';
import type { Limiter, Reservation, TakeResult } from './limiter.ts';

/** Slack for floating-point noise in the window weights (1.0000000000000009 ms is 1 ms). */
const EPSILON = 1e-6;

function ceilMs(ms: number): number {
  return Math.max(0, Math.ceil(ms - EPSILON));
}

interface WindowReservation extends Reservation {
  readonly windowEnd: number;
}

/**
 * The sliding window, as the two-window approximation (Cloudflare's "sliding window counter"):
 * a counter per fixed window, and the load at time t taken as the current window's count plus
 * the previous window's, weighted by how much of it still lies within the last `windowMs`.
 * It needs two small counters per key instead of a log of every call, and only the store's
 * atomic `increment`, so replicas sharing a store never admit more than the limit: a call
 * takes its share first and gives it back when that went over.
 */
export class SlidingWindowLimiter implements Limiter {
  readonly #store: KeyValueStore;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(store: KeyValueStore, windowMs: number, now: () => number) {
    this.#store = store;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  async take(key: string, limit: number, cost: number): Promise<TakeResult> {
    if (cost > limit) return { ok: false, retryAfterMs: undefined };
    const time = this.#now();
    const windowMs = this.#windowMs;
    const index = Math.floor(time / windowMs);
    const windowStart = index * windowMs;
    const elapsed = (time - windowStart) / windowMs;
    const storeKey = `${key}:${index}`;
    const previous = (await this.#store.get<number>(`${key}:${index - 1}`)) ?? 0;
    const current = await this.#store.increment(storeKey, cost, 2 * windowMs);
    const load = previous * (1 - elapsed) + current;
    if (load <= limit + EPSILON) {
      const reservation: WindowReservation = { storeKey, windowEnd: windowStart + 2 * windowMs };
      return { ok: true, reservation, remaining: Math.floor(limit - load) };
    }
    await this.#store.increment(storeKey, -cost, 2 * windowMs);
    const before = current - cost;
    return { ok: false, retryAfterMs: ceilMs(this.#waitMs(previous, before, cost, limit, elapsed)) };
  }

  async adjust(reservation: Reservation, delta: number): Promise<void> {
    // A window that no longer weighs on anything needs no correction (and must not be revived).
    const { windowEnd } = reservation as WindowReservation;
    if (delta === 0 || this.#now() >= windowEnd) return;
    await this.#store.increment(reservation.storeKey, delta, Math.max(1, windowEnd - this.#now()));
  }

  /** Time until `previous·(1-f) + current + cost <= limit`, the previous window's weight falling linearly. */
  #waitMs(previous: number, current: number, cost: number, limit: number, elapsed: number): number {
    const windowMs = this.#windowMs;
    const room = limit - current - cost;
    if (room >= 0 && previous > 0) {
      const fraction = Math.max(elapsed, 1 - room / previous);
      if (fraction < 1) return (fraction - elapsed) * windowMs;
    }
    // Not within this window: in the next, this window's count becomes the one fading out.
    const toNextWindow = (1 - elapsed) * windowMs;
    const fraction = current > 0 ? Math.max(0, 1 - (limit - cost) / current) : 0;
    return toNextWindow + fraction * windowMs;
  }
}
