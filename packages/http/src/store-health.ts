import { AiMateyError, StoreUnavailableError } from 'ai.matey.core';
import type { KeyValueStore } from 'ai.matey.middleware';

/** What rate limits or budgets do while their store is unreachable: admit calls uncounted, or refuse them (503). */
export type StoreDownPolicy = 'fail-open' | 'fail-closed';

/** `onStoreDown` for rate limits and budgets apart. */
export interface OnStoreDown {
  rateLimits: StoreDownPolicy;
  budgets: StoreDownPolicy;
}

/** `onStoreDown` as given (one policy for both, or each), with both filled in: closed by default. */
export function onStoreDownOf(given: StoreDownPolicy | Partial<OnStoreDown> | undefined): OnStoreDown {
  if (typeof given === 'string') return { rateLimits: given, budgets: given };
  return { rateLimits: given?.rateLimits ?? 'fail-closed', budgets: given?.budgets ?? 'fail-closed' };
}

export interface StoreHealthOptions {
  /** How often a store that is down is pinged, to notice it is back. Default 1,000 ms. */
  probeMs?: number;
  /** Told once when the store goes down and once when it is back (not on every failed call). */
  onChange?: (state: 'up' | 'down') => void;
}

/**
 * Whether the gateway's state store (Redis) answers, learnt from its calls and from pings while it
 * is down. `guarded(policy)` gives the store as rate limits or budgets should see it: while the
 * store is down, calls go nowhere near it (no wait for a timeout per call) and either pass
 * uncounted (`fail-open`) or are refused with `StoreUnavailableError` (`fail-closed`). A ping
 * every `probeMs` notices the store is back, and everything is counted again.
 *
 * @example
 * const health = new StoreHealth(redisStore, { onChange: (state) => console.warn(`store ${state}`) });
 * const budgets = health.guarded('fail-closed');
 */
export class StoreHealth {
  readonly #store: KeyValueStore;
  readonly #probeMs: number;
  readonly #onChange: StoreHealthOptions['onChange'];
  #up = true;
  #probe: NodeJS.Timeout | undefined;

  constructor(store: KeyValueStore, options: StoreHealthOptions = {}) {
    this.#store = store;
    this.#probeMs = options.probeMs ?? 1_000;
    this.#onChange = options.onChange;
  }

  /** Whether the store answered last time it was asked. */
  get up(): boolean {
    return this.#up;
  }

  /** Pings the store now (a readiness check), and says whether it answered. */
  async check(): Promise<boolean> {
    const answered = this.#store.ping ? await this.#store.ping().catch(() => false) : true;
    this.#set(answered);
    return answered;
  }

  /** The store as limits under `policy` use it while it is down. */
  guarded(policy: StoreDownPolicy): KeyValueStore {
    const call = async <T>(run: () => Promise<T>, open: () => T): Promise<T> => {
      if (!this.#up) {
        if (policy === 'fail-open') return open();
        throw new StoreUnavailableError();
      }
      try {
        return await run();
      } catch (error) {
        if (!(AiMateyError.isInstance(error) && error.kind === 'store-unavailable')) throw error;
        this.#set(false);
        if (policy === 'fail-open') return open();
        throw error;
      }
    };
    const store = this.#store;
    return {
      get: <T>(key: string) =>
        call<T | undefined>(
          () => store.get<T>(key),
          () => undefined,
        ),
      set: (key, value, ttlMs) =>
        call(
          () => store.set(key, value, ttlMs),
          () => undefined,
        ),
      delete: (key) =>
        call(
          () => store.delete(key),
          () => undefined,
        ),
      // Uncounted: as if this call were the first in its window.
      increment: (key, amount, ttlMs) =>
        call(
          () => store.increment(key, amount, ttlMs),
          () => amount,
        ),
      ping: () => this.check(),
    };
  }

  /** Stops pinging. */
  close(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }

  #set(up: boolean): void {
    if (up === this.#up) return;
    this.#up = up;
    this.#onChange?.(up ? 'up' : 'down');
    if (up) {
      this.close();
      return;
    }
    this.#probe = setInterval(() => void this.check(), this.#probeMs);
    this.#probe.unref();
  }
}
