import { type LatencySummary, SampleBuffer, summarize } from '../stats/percentiles.ts';
import type { HttpTarget } from './request-bodies.ts';
import { createPool } from './undici.ts';

export interface ClosedLoopOptions {
  /** Connections, each sending its next request as soon as the last reply ended. */
  connections: number;
  durationMs: number;
  /** Run this long first without counting. */
  warmupMs?: number;
}

export interface ClosedLoopResult {
  connections: number;
  requests: number;
  errors: number;
  non2xx: number;
  requestsPerSecond: number;
  /** From sending to the last byte of the reply, timed with `performance.now()` (ms). */
  latency: LatencySummary;
}

/**
 * A closed-loop client with sub-millisecond timing (autocannon rounds latencies to whole ms):
 * used for the 1-connection latency runs, where the differences sought are tenths of a ms.
 */
export async function runClosedLoop(
  target: HttpTarget,
  options: ClosedLoopOptions,
): Promise<ClosedLoopResult> {
  const pool = createPool(target.origin, options.connections);
  const request = { path: target.path, method: 'POST' as const, headers: target.headers, body: target.body };
  const latencies = new SampleBuffer();
  let errors = 0;
  let non2xx = 0;
  let counting = false;

  const loop = async (until: number) => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const response = await pool.request(request);
        await response.body.text();
        if (!counting) continue;
        if (response.statusCode >= 300) non2xx++;
        else latencies.push(performance.now() - started);
      } catch {
        if (counting) errors++;
      }
    }
  };
  const run = async (ms: number) => {
    const until = performance.now() + ms;
    await Promise.all(Array.from({ length: options.connections }, () => loop(until)));
  };

  if (options.warmupMs) await run(options.warmupMs);
  counting = true;
  const started = performance.now();
  await run(options.durationMs);
  const elapsed = performance.now() - started;
  await pool.close();
  return {
    connections: options.connections,
    requests: latencies.length,
    errors,
    non2xx,
    requestsPerSecond: Math.round((latencies.length * 1000) / elapsed),
    latency: summarize(latencies.values()),
  };
}
