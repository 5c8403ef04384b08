import type { CircuitState } from 'ai.matey.core';
import { type HealthSample, type LatencySummary, summariseLatency } from './sample-window.ts';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface HealthThresholds {
  /** Healthy needs a success rate above this (percent). Default 90, as in the seed. */
  healthyAboveSuccessPct?: number;
  /** Below this success rate (percent) a provider is unhealthy. Default 50. */
  unhealthyBelowSuccessPct?: number;
  /** Consecutive failures that make a provider unhealthy at once. Default 3. */
  unhealthyAfterFailures?: number;
  /** A p95 latency above this (ms) degrades a provider and raises `high-latency`. Default 2000. */
  highLatencyMs?: number;
  /**
   * Samples needed before the success rate can make a provider unhealthy; with fewer, a failure
   * only degrades it (short of `unhealthyAfterFailures` in a row). Default 3.
   */
  minSamples?: number;
}

export interface ProviderHealthReport {
  status: HealthStatus;
  /** Percent of successful samples in the window. */
  successRate: number;
  latency?: LatencySummary;
  /** Samples in the window. */
  totalRequests: number;
  consecutiveFailures: number;
  /** Last active probe (ISO time). */
  lastCheck?: string;
  lastError?: string;
  circuit?: CircuitState;
}

export interface HealthReport {
  generatedAt: string;
  /** No provider is unhealthy. */
  healthy: boolean;
  providers: Record<string, ProviderHealthReport>;
}

export interface HealthAlert {
  type: 'high-latency' | 'failure' | 'recovered' | 'circuit-opened';
  provider: string;
  message: string;
  status: HealthStatus;
  at: string;
}

/**
 * A provider's status from its window of samples: unhealthy when its circuit is open, after
 * `unhealthyAfterFailures` failures in a row, or (with `minSamples` samples) below
 * `unhealthyBelowSuccessPct`; degraded at or below `healthyAboveSuccessPct` or with a p95
 * latency over `highLatencyMs`; unknown with no samples.
 */
export function healthStatus(
  samples: readonly HealthSample[],
  consecutiveFailures: number,
  circuit: CircuitState | undefined,
  thresholds: HealthThresholds = {},
): HealthStatus {
  if (circuit === 'open') return 'unhealthy';
  if (samples.length === 0) return 'unknown';
  if (consecutiveFailures >= (thresholds.unhealthyAfterFailures ?? 3)) return 'unhealthy';
  const successPct = (samples.filter((s) => s.success).length / samples.length) * 100;
  const enough = samples.length >= (thresholds.minSamples ?? 3);
  if (enough && successPct < (thresholds.unhealthyBelowSuccessPct ?? 50)) return 'unhealthy';
  const p95 = summariseLatency(samples)?.p95 ?? 0;
  if (successPct <= (thresholds.healthyAboveSuccessPct ?? 90) || p95 > (thresholds.highLatencyMs ?? 2_000)) {
    return 'degraded';
  }
  return 'healthy';
}
