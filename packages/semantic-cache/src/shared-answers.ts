import type { ChatResponse } from 'ai.matey.core';
import type { KeyValueStore } from 'ai.matey.middleware';
import { VectorIndex } from './vector-index.ts';

/** One stored answer, as it sits in the store under `<prefix>entry:<id>`. */
export interface StoredAnswer {
  context: string;
  vector: number[];
  response: ChatResponse;
  storedAt: number;
  expiresAt: number;
}

export interface SharedAnswersOptions {
  store: KeyValueStore;
  prefix: string;
  ttlMs: number;
  maxEntries: number;
  now: () => number;
  /** Nearest vectors a search looks at for one of the asked context. */
  candidates?: number;
}

/** How long an id the counter gave out may stay unwritten before a reader gives up on it. */
const PENDING_MS = 5_000;
/** Store reads in flight at once while catching up. */
const READ_BATCH = 256;

/**
 * The semantic cache's entries, kept in a `KeyValueStore` so replicas share them, and this
 * process's vector index over them. Each answer gets the next id of a counter in the store
 * (`<prefix>head`) and is written under `<prefix>entry:<id>` with the TTL; every replica catches
 * up before a lookup by reading the ids it has not seen, so an answer one replica stores is found
 * by the others on their next lookup, and a new replica rebuilds its index from the store. Ids
 * older than the newest `maxEntries` are evicted everywhere alike (first in, first out), and the
 * writer deletes them from the store.
 */
export class SharedAnswers {
  readonly index: VectorIndex;
  readonly #options: SharedAnswersOptions;
  readonly #expiresAt = new Map<number, number>();
  /** Ids given out but not yet readable, with when they were first missed. */
  readonly #pending = new Map<number, number>();
  #seen = 0;
  #catchingUp: Promise<void> | undefined;

  constructor(options: SharedAnswersOptions) {
    this.#options = options;
    this.index = new VectorIndex(options.candidates === undefined ? {} : { candidates: options.candidates });
  }

  /** Reads the answers other replicas stored since the last call (one call at a time). */
  catchUp(): Promise<void> {
    this.#catchingUp ??= this.#readNew().finally(() => {
      this.#catchingUp = undefined;
    });
    return this.#catchingUp;
  }

  /** Stores an answer for every replica and indexes it here; resolves to its id. */
  async add(answer: Omit<StoredAnswer, 'storedAt' | 'expiresAt'>): Promise<number> {
    const { store, prefix, ttlMs, maxEntries, now } = this.#options;
    const id = await store.increment(`${prefix}head`, 1);
    const storedAt = now();
    const stored: StoredAnswer = { ...answer, storedAt, expiresAt: storedAt + ttlMs };
    await store.set(`${prefix}entry:${id}`, stored, ttlMs);
    this.#index(id, stored);
    const evicted = id - maxEntries;
    if (evicted > 0) {
      this.#forget(evicted);
      await store.delete(`${prefix}entry:${evicted}`);
    }
    return id;
  }

  /** The stored answer of an id, unless it expired or was evicted (then it leaves the index). */
  async answer(id: number): Promise<StoredAnswer | undefined> {
    const stored = await this.#options.store.get<StoredAnswer>(`${this.#options.prefix}entry:${id}`);
    if (!stored || stored.expiresAt <= this.#options.now()) {
      this.#forget(id);
      return undefined;
    }
    return stored;
  }

  async #readNew(): Promise<void> {
    const { store, prefix, maxEntries } = this.#options;
    const head = (await store.get<number>(`${prefix}head`)) ?? 0;
    // The counter went back (the store was flushed): what this replica holds is gone too.
    if (head < this.#seen) this.#reset();
    const oldest = head - maxEntries + 1;
    const wanted = [...this.#pending.keys()].filter((id) => id >= oldest);
    for (let id = Math.max(this.#seen + 1, oldest); id <= head; id++)
      if (!this.index.has(id)) wanted.push(id);
    for (let start = 0; start < wanted.length; start += READ_BATCH) {
      const batch = wanted.slice(start, start + READ_BATCH);
      const read = await Promise.all(batch.map((id) => store.get<StoredAnswer>(`${prefix}entry:${id}`)));
      for (const [i, id] of batch.entries()) this.#found(id, read[i]);
    }
    // Only once all were read: a read that failed leaves the ids to the next catch-up.
    this.#seen = Math.max(this.#seen, head);
    this.#dropOld(oldest);
  }

  #found(id: number, stored: StoredAnswer | undefined): void {
    if (stored) {
      this.#pending.delete(id);
      if (stored.expiresAt > this.#options.now()) this.#index(id, stored);
      return;
    }
    // Given out but not written yet (a writer between its two calls), or expired: look again
    // for a while, then give up.
    const firstMissed = this.#pending.get(id) ?? this.#options.now();
    if (this.#options.now() - firstMissed < PENDING_MS) this.#pending.set(id, firstMissed);
    else this.#pending.delete(id);
  }

  #index(id: number, stored: StoredAnswer): void {
    if (this.index.add(id, stored.vector, stored.context)) this.#expiresAt.set(id, stored.expiresAt);
  }

  /** Leaves out ids past the size bound, and the expired ones at the old end. */
  #dropOld(oldest: number): void {
    const now = this.#options.now();
    for (const [id, expiresAt] of this.#expiresAt) {
      if (id >= oldest && expiresAt > now) break;
      this.#forget(id);
    }
    for (const id of this.#pending.keys()) if (id < oldest) this.#pending.delete(id);
  }

  #forget(id: number): void {
    this.index.remove(id);
    this.#expiresAt.delete(id);
  }

  #reset(): void {
    this.index.clear();
    this.#expiresAt.clear();
    this.#pending.clear();
    this.#seen = 0;
  }
}
