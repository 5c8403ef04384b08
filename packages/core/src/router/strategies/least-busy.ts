import { minBy } from './min-by.ts';
import type { Strategy } from './strategy.ts';

/** The fit backend with the fewest calls in flight through this Router. */
export const leastBusyStrategy: Strategy = (_request, { pool }) => {
  const pick = minBy(pool, (r) => r.inFlight);
  return { name: pick?.name, reason: `least busy (${pick?.inFlight ?? 0} in flight)` };
};
