import autocannon from 'autocannon';
import type { HttpTarget } from './request-bodies.ts';

export interface AutocannonResult {
  connections: number;
  requests: number;
  requestsPerSecond: number;
  errors: number;
  non2xx: number;
  /** autocannon's latencies (whole ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/**
 * Closed-loop maximum throughput with autocannon: `connections` sockets, each sending its next
 * request as soon as the last reply ended.
 */
export async function runAutocannon(
  target: HttpTarget,
  options: { connections: number; durationSeconds: number },
): Promise<AutocannonResult> {
  const result = await autocannon({
    url: `${target.origin}${target.path}`,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections: options.connections,
    duration: options.durationSeconds,
  });
  const seconds = result.duration > 0 ? result.duration : options.durationSeconds;
  return {
    connections: options.connections,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result['2xx'] / seconds),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}
