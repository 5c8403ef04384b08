import { minBy } from './min-by.ts';
import type { Strategy } from './strategy.ts';

/** The fit backend with the lowest smoothed latency; unmeasured ones first, so each gets measured. */
export const leastLatencyStrategy: Strategy = (_request, { pool }) => {
  const pick = minBy(pool, (r) => r.latencyMs ?? -1);
  return {
    name: pick?.name,
    reason: `least latency (${pick?.latencyMs?.toFixed(1) ?? 'unmeasured'} ms)`,
  };
};
