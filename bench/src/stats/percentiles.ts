/** Percentiles of a set of samples (ms unless said otherwise). */
export interface LatencySummary {
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Summarises samples by sorting them (exact, not bucketed: the bench keeps at most a few hundred
 * thousand numbers per run, and a sort is cheaper than being wrong in the tail).
 */
export function summarize(samples: ArrayLike<number>, digits = 3): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  let sum = 0;
  for (const value of sorted) sum += value;
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))] ?? 0;
  const round = (value: number) => Number(value.toFixed(digits));
  return {
    count,
    mean: round(sum / count),
    min: round(sorted[0] ?? 0),
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    p999: round(at(0.999)),
    max: round(sorted[count - 1] ?? 0),
  };
}

/** A growable array of samples, stored as doubles. */
export class SampleBuffer {
  #values = new Float64Array(1024);
  #length = 0;

  push(value: number): void {
    if (this.#length === this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.#length++] = value;
  }

  get length(): number {
    return this.#length;
  }

  values(): Float64Array {
    return this.#values.subarray(0, this.#length);
  }
}
