import type { CircuitState } from 'ai.matey.core';
import type { HealthStatus, ProviderHealthReport } from './health-report.ts';
import { type HealthSample, SampleWindow, summariseLatency } from './sample-window.ts';

/** What the monitor keeps about one provider between samples. */
export interface ProviderState {
  window: SampleWindow;
  consecutiveFailures: number;
  status: HealthStatus;
  lastCheck?: number;
  lastError?: string;
  latencyAlerted: boolean;
  circuit?: CircuitState;
  probing: boolean;
}

/** A provider not seen yet: no samples, status `unknown`. */
export function createProviderState(window: { samples?: number; ms?: number } = {}): ProviderState {
  return {
    window: new SampleWindow(window.samples ?? 60, window.ms),
    consecutiveFailures: 0,
    status: 'unknown',
    latencyAlerted: false,
    probing: false,
  };
}

/** One provider's line of the health report, from the samples still in its window. */
export function providerReport(
  state: ProviderState,
  samples: readonly HealthSample[],
  status: HealthStatus,
): ProviderHealthReport {
  const successes = samples.filter((s) => s.success).length;
  const latency = summariseLatency(samples);
  return {
    status,
    successRate: samples.length > 0 ? (successes / samples.length) * 100 : 0,
    ...(latency ? { latency } : {}),
    totalRequests: samples.length,
    consecutiveFailures: state.consecutiveFailures,
    ...(state.lastCheck === undefined ? {} : { lastCheck: new Date(state.lastCheck).toISOString() }),
    ...(state.lastError === undefined ? {} : { lastError: state.lastError }),
    ...(state.circuit === undefined ? {} : { circuit: state.circuit }),
  };
}
