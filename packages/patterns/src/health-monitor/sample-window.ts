/** One observed call or probe. */
export interface HealthSample {
  /** Epoch ms. */
  at: number;
  success: boolean;
  /** Absent when the latency is unknown (a failure reported by a Router, say). */
  latencyMs?: number;
  source: 'probe' | 'traffic';
  error?: string;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  avg: number;
}

/** The last `maxSamples` samples, and only those younger than `maxAgeMs` when set. */
export class SampleWindow {
  readonly #maxSamples: number;
  readonly #maxAgeMs: number | undefined;
  #samples: HealthSample[] = [];

  constructor(maxSamples: number, maxAgeMs?: number) {
    this.#maxSamples = Math.max(1, maxSamples);
    this.#maxAgeMs = maxAgeMs;
  }

  push(sample: HealthSample): void {
    this.#samples.push(sample);
    if (this.#samples.length > this.#maxSamples)
      this.#samples.splice(0, this.#samples.length - this.#maxSamples);
  }

  /** The samples still in the window at `now`. */
  current(now: number): HealthSample[] {
    const maxAgeMs = this.#maxAgeMs;
    if (maxAgeMs !== undefined) this.#samples = this.#samples.filter((s) => now - s.at < maxAgeMs);
    return this.#samples;
  }
}

/** Latency percentiles (nearest rank) of the successful samples with a latency. */
export function summariseLatency(samples: readonly HealthSample[]): LatencySummary | undefined {
  const latencies = samples
    .filter((s) => s.success && s.latencyMs !== undefined)
    .map((s) => s.latencyMs as number)
    .sort((a, b) => a - b);
  if (latencies.length === 0) return undefined;
  const rank = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? 0;
  return {
    p50: rank(50),
    p95: rank(95),
    p99: rank(99),
    avg: latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
  };
}
