import { checkOptions, type OptionShape } from 'ai.matey.core';
import type { KeyValueStore } from './store.ts';

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first. Default 10,000. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

const memoryStoreOptions: OptionShape<MemoryStoreOptions> = { maxEntries: true, now: true };

/** In-memory LRU store with TTLs: the default for a single process. */
export class MemoryStore implements KeyValueStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    checkOptions('new MemoryStore', options, memoryStoreOptions);
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get<T>(key: string): Promise<T | undefined> {
    return this.getSync<T>(key);
  }

  /** Synchronous read, for hot paths that know they hold a MemoryStore. */
  getSync<T>(key: string): T | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-insert to mark it most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value as T;
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    this.setSync(key, value, ttlMs);
  }

  setSync<T>(key: string, value: T, ttlMs?: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, {
      value,
      expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : this.#now() + ttlMs,
    });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async increment(key: string, amount: number, ttlMs?: number): Promise<number> {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt > this.#now() && typeof entry.value === 'number') {
      entry.value += amount;
      return entry.value;
    }
    this.setSync(key, amount, ttlMs);
    return amount;
  }

  async ping(): Promise<boolean> {
    return true;
  }
}
