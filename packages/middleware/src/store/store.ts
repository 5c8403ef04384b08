/** What a store rejects with when it cannot be reached: the gateway answers 503 `store_unavailable`. */
export { StoreUnavailableError } from 'ai.matey.core';

/**
 * The small store every stateful middleware sits on (cache, rate limits, budgets, circuit
 * state), so several gateway replicas can share one Redis by swapping the implementation.
 * Values are JSON-serialisable. TTLs are in milliseconds. A store that cannot be reached rejects
 * with a `StoreUnavailableError` (or a subclass), whose message names no host, port or key.
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds `amount` to a numeric key (created at 0) and returns the new value; `ttlMs` applies when it is created. */
  increment(key: string, amount: number, ttlMs?: number): Promise<number>;
  /** Is the store reachable (for readiness checks)? */
  ping?(): Promise<boolean>;
}
