/** What a limiter took, so it can be corrected later. */
export interface Reservation {
  readonly storeKey: string;
}

export type TakeResult =
  | { ok: true; reservation: Reservation; remaining: number }
  /** `retryAfterMs` is undefined when the cost is larger than the whole limit: it never fits. */
  | { ok: false; retryAfterMs: number | undefined };

/** One rate-limit algorithm over a KeyValueStore: the sliding window or the token bucket. */
export interface Limiter {
  /** Takes `cost` units of `limit` for `key` now, or says how long until they would fit. */
  take(key: string, limit: number, cost: number): Promise<TakeResult>;
  /** Adds `delta` units to what a reservation took (negative gives some back). */
  adjust(reservation: Reservation, delta: number): Promise<void>;
}
