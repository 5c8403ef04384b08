import { Index, MetricKind, ScalarKind } from 'usearch';

/** The nearest stored prompt of a context, and how close it is (cosine similarity, 1 is equal). */
export interface NearestPrompt {
  id: number;
  similarity: number;
}

/**
 * The vectors of the stored prompts in a usearch HNSW index (cosine metric), with each one's
 * context beside it: a search takes the `candidates` nearest vectors and keeps the best one of
 * the asked context, so prompts of different contexts never match, however close their text.
 * The index takes the dimension of the first vector added; a vector of another dimension (the
 * embedding model changed) starts a new index once the old one is empty, and is skipped before.
 */
export class VectorIndex {
  #index: Index | undefined;
  #dimensions = 0;
  readonly #contexts = new Map<number, string>();
  readonly #candidates: number;

  constructor(options: { candidates?: number } = {}) {
    this.#candidates = options.candidates ?? 16;
  }

  get size(): number {
    return this.#contexts.size;
  }

  has(id: number): boolean {
    return this.#contexts.has(id);
  }

  /** Adds a prompt's vector; false when its dimension does not fit the index. */
  add(id: number, vector: readonly number[], context: string): boolean {
    if (this.#contexts.has(id) || vector.length === 0) return false;
    if (vector.length !== this.#dimensions) {
      if (this.#contexts.size > 0) return false;
      this.#index = new Index({
        dimensions: vector.length,
        metric: MetricKind.Cos,
        quantization: ScalarKind.F32,
        connectivity: 16,
        expansion_add: 128,
        expansion_search: 64,
        multi: false,
      });
      this.#dimensions = vector.length;
    }
    this.#index?.add(BigInt(id), Float32Array.from(vector));
    this.#contexts.set(id, context);
    return true;
  }

  remove(id: number): void {
    if (!this.#contexts.delete(id)) return;
    this.#index?.remove(BigInt(id));
  }

  /** The ids held, oldest first (ids grow with time). */
  ids(): IterableIterator<number> {
    return this.#contexts.keys();
  }

  /**
   * The nearest prompt of this context among the nearest candidates, if any; when none of the
   * first `candidates` is of this context (other contexts crowd the neighbourhood), it looks
   * once more among sixteen times as many.
   */
  nearest(vector: readonly number[], context: string): NearestPrompt | undefined {
    if (!this.#index || vector.length !== this.#dimensions || this.#contexts.size === 0) return undefined;
    const query = Float32Array.from(vector);
    for (const wanted of [this.#candidates, this.#candidates * 16]) {
      const k = Math.min(wanted, this.#contexts.size);
      const matches = this.#index.search(query, k, 1);
      for (let i = 0; i < matches.keys.length; i++) {
        const id = Number(matches.keys[i]);
        const distance = matches.distances[i];
        if (distance === undefined || this.#contexts.get(id) !== context) continue;
        return { id, similarity: 1 - distance };
      }
      if (k === this.#contexts.size) break;
    }
    return undefined;
  }

  clear(): void {
    for (const id of [...this.#contexts.keys()]) this.remove(id);
  }
}
