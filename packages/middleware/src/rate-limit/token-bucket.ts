import type { KeyValueStore } from '../store/store.ts';
import type { Limiter, Reservation, TakeResult } from './limiter.ts';

/** Slack for floating-point noise in the refill (0.9999999999 tokens is 1). */
const EPSILON = 1e-6;

interface BucketState {
  tokens: number;
  updatedAt: number;
}

/**
 * The token bucket: `limit` units of capacity, refilled continuously at `limit` per `windowMs`,
 * so bursts up to the limit pass and the sustained rate is the limit per window. A usage
 * correction may leave the bucket in debt, which later calls wait out.
 *
 * The bucket is read and written as one value, serialised per key within this process; replicas
 * sharing a store may each admit a call on the same read, so across replicas the limit is
 * approximate (use the sliding window where it must be strict).
 */
export class TokenBucketLimiter implements Limiter {
  readonly #store: KeyValueStore;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #limits = new Map<string, number>();
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(store: KeyValueStore, windowMs: number, now: () => number) {
    this.#store = store;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  take(key: string, limit: number, cost: number): Promise<TakeResult> {
    this.#limits.set(key, limit);
    return this.#serial(key, async (): Promise<TakeResult> => {
      if (cost > limit) return { ok: false, retryAfterMs: undefined };
      const state = await this.#read(key, limit);
      if (state.tokens + EPSILON < cost) {
        const refillPerMs = limit / this.#windowMs;
        return { ok: false, retryAfterMs: Math.ceil((cost - state.tokens) / refillPerMs - EPSILON) };
      }
      state.tokens -= cost;
      await this.#write(key, state, limit);
      return { ok: true, reservation: { storeKey: key }, remaining: Math.floor(state.tokens) };
    });
  }

  adjust(reservation: Reservation, delta: number): Promise<void> {
    const key = reservation.storeKey;
    const limit = this.#limits.get(key);
    if (delta === 0 || limit === undefined) return Promise.resolve();
    return this.#serial(key, async () => {
      const state = await this.#read(key, limit);
      state.tokens = Math.min(limit, state.tokens - delta);
      await this.#write(key, state, limit);
    });
  }

  async #read(key: string, limit: number): Promise<BucketState> {
    const now = this.#now();
    const stored = await this.#store.get<BucketState>(key);
    if (!stored) return { tokens: limit, updatedAt: now };
    const refilled = stored.tokens + (Math.max(0, now - stored.updatedAt) * limit) / this.#windowMs;
    return { tokens: Math.min(limit, refilled), updatedAt: now };
  }

  #write(key: string, state: BucketState, limit: number): Promise<void> {
    // Once full again the bucket is the same as no bucket, so the entry may expire then.
    const untilFull = ((limit - state.tokens) * this.#windowMs) / limit;
    return this.#store.set(key, state, Math.ceil(untilFull) + 1);
  }

  /** Runs read-modify-write steps on one key one after another. */
  #serial<T>(key: string, step: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const result = previous.then(step, step);
    const settled = result.catch(() => {});
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return result;
  }
}
