import type { GatewayKey } from 'ai.matey.http';

/**
 * The keys a replica has looked up, by hash, for `ttlMs` (unknown hashes too, so a flood of wrong
 * keys does not reach the database): a lookup that hits adds no round trip. Cleared whole on any
 * change (a NOTIFY from any replica), and bounded, so wrong keys cannot grow it without end.
 */
export class KeyCache {
  readonly #entries = new Map<string, { key: GatewayKey | undefined; until: number }>();
  readonly #loading = new Map<string, Promise<GatewayKey | undefined>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #generation = 0;

  constructor(ttlMs: number, maxEntries = 100_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** The cached answer, else `load`'s (one load per hash at a time). */
  get(
    hash: string,
    load: (hash: string) => Promise<GatewayKey | undefined>,
  ): GatewayKey | undefined | Promise<GatewayKey | undefined> {
    const entry = this.#entries.get(hash);
    if (entry && entry.until > Date.now()) return entry.key;
    const pending = this.#loading.get(hash);
    if (pending) return pending;
    const generation = this.#generation;
    const loading = load(hash).then(
      (key) => {
        this.#loading.delete(hash);
        // A change while it loaded may have made this answer stale: use it, do not keep it.
        if (generation === this.#generation) this.#set(hash, key);
        return key;
      },
      (error: unknown) => {
        this.#loading.delete(hash);
        throw error;
      },
    );
    this.#loading.set(hash, loading);
    return loading;
  }

  /** Forgets everything (a key or team changed somewhere). */
  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#loading.clear();
  }

  #set(hash: string, key: GatewayKey | undefined): void {
    if (this.#entries.size >= this.#maxEntries) this.#entries.clear();
    this.#entries.set(hash, { key, until: Date.now() + this.#ttlMs });
  }
}
