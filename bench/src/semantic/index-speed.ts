import { VectorIndex } from 'ai.matey.semantic-cache';
import { summarize } from '../stats/percentiles.ts';

export interface IndexSpeed {
  entries: number;
  dimensions: number;
  searches: number;
  /** One lookup in the usearch HNSW index (µs, p50 and p99). */
  usearchP50Us: number;
  usearchP99Us: number;
  /** The same lookup as a linear scan over every vector in JavaScript (µs, p50). */
  scanP50Us: number;
  /** Lookups whose nearest entry was the one the exact scan found. */
  recallAt1: number;
}

/**
 * The vector index against a linear scan: `entries` random unit vectors (the size of a small
 * sentence model's), queries that are stored vectors plus noise.
 */
export function measureIndexSpeed(entries: number, dimensions: number, searches: number): IndexSpeed {
  const random = seeded(42);
  const unit = (vector: number[]) => {
    const norm = Math.hypot(...vector);
    return vector.map((value) => value / norm);
  };
  const vectors = Array.from({ length: entries }, () => unit(Array.from({ length: dimensions }, random)));
  const flat = new Float32Array(entries * dimensions);
  const index = new VectorIndex();
  vectors.forEach((vector, id) => {
    flat.set(vector, id * dimensions);
    index.add(id, vector, 'context');
  });
  const indexTimes: number[] = [];
  const scanTimes: number[] = [];
  let agreed = 0;
  for (let i = 0; i < searches; i++) {
    const base = vectors[Math.floor((random() + 0.5) * entries)] ?? [];
    const query = unit(base.map((value) => value + random() * 0.05));
    let started = performance.now();
    const found = index.nearest(query, 'context');
    indexTimes.push((performance.now() - started) * 1000);
    started = performance.now();
    const exact = scan(flat, dimensions, query);
    scanTimes.push((performance.now() - started) * 1000);
    if (found?.id === exact) agreed++;
  }
  const indexed = summarize(indexTimes);
  return {
    entries,
    dimensions,
    searches,
    usearchP50Us: Math.round(indexed.p50),
    usearchP99Us: Math.round(indexed.p99),
    scanP50Us: Math.round(summarize(scanTimes).p50),
    recallAt1: agreed / searches,
  };
}

/** Numbers in [-0.5, 0.5), the same for the same seed (mulberry32). */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** The id of the vector nearest the query (unit vectors: the largest dot product). */
function scan(flat: Float32Array, dimensions: number, query: number[]): number {
  let best = -1;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let id = 0; id * dimensions < flat.length; id++) {
    let score = 0;
    for (let d = 0; d < dimensions; d++) score += (flat[id * dimensions + d] ?? 0) * (query[d] ?? 0);
    if (score > bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}
