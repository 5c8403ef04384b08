import { describe, expect, it } from 'vitest';
import { VectorIndex } from './vector-index.ts';

/** Numbers in [-0.5, 0.5), the same for the same seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    normA += (a[i] ?? 0) ** 2;
    normB += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(normA * normB);
};

describe('VectorIndex', () => {
  it('finds the nearest of 5,000 vectors as an exact scan does, with its cosine similarity', () => {
    const random = seeded(1);
    const vectors = Array.from({ length: 5000 }, () => Array.from({ length: 64 }, random));
    const index = new VectorIndex();
    for (const [id, vector] of vectors.entries()) index.add(id, vector, 'context');
    expect(index.size).toBe(5000);
    let agreed = 0;
    for (let i = 0; i < 100; i++) {
      const target = vectors[(i * 37) % vectors.length] ?? [];
      const query = target.map((value) => value + random() * 0.1);
      let best = -1;
      let bestSimilarity = -2;
      vectors.forEach((vector, id) => {
        const similarity = cosine(vector, query);
        if (similarity > bestSimilarity) [best, bestSimilarity] = [id, similarity];
      });
      const found = index.nearest(query, 'context');
      if (found?.id === best) {
        agreed++;
        expect(found.similarity).toBeCloseTo(bestSimilarity, 4);
      }
    }
    expect(agreed).toBeGreaterThanOrEqual(95);
  });

  it('answers only with a vector of the asked context', () => {
    const index = new VectorIndex();
    index.add(1, [1, 0, 0], 'acme');
    index.add(2, [0.9, 0.1, 0], 'globex');
    expect(index.nearest([0.9, 0.1, 0], 'acme')).toMatchObject({ id: 1 });
    expect(index.nearest([1, 0, 0], 'globex')).toMatchObject({ id: 2 });
    expect(index.nearest([1, 0, 0], 'initech')).toBeUndefined();
  });

  it('finds a prompt of the asked context behind many nearer ones of other contexts', () => {
    const index = new VectorIndex({ candidates: 4 });
    for (let id = 0; id < 40; id++) index.add(id, [1, id / 1000, 0], `other-${id}`);
    index.add(99, [1, 0, 0.2], 'mine');
    expect(index.nearest([1, 0, 0], 'mine')).toMatchObject({ id: 99 });
  });

  it('forgets removed vectors, and takes a new dimension once empty', () => {
    const index = new VectorIndex();
    index.add(1, [1, 0], 'c');
    expect(index.add(2, [1, 0, 0], 'c')).toBe(false);
    expect(index.nearest([1, 0, 0], 'c')).toBeUndefined();
    index.remove(1);
    expect(index.nearest([1, 0], 'c')).toBeUndefined();
    expect(index.add(2, [1, 0, 0], 'c')).toBe(true);
    expect(index.nearest([1, 0, 0], 'c')).toMatchObject({ id: 2, similarity: expect.closeTo(1, 5) });
  });
});
