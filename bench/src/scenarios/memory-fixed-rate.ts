import { runOpenLoop } from '../load/open-loop.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { type ChildServer, round } from '../processes/child-server.ts';
import { settle } from './scenario-context.ts';

/** A gateway's cost per request at one fixed rate (open loop), summed over the rounds. */
export interface FixedRateCost {
  /** Requests per second offered (evenly spaced). */
  rate: number;
  cpuUsPerRequest: number;
  scavengesPer1000: number;
  /** Worst round's p99, from each request's due time (ms). */
  latencyP99Ms: number;
  errors: number;
}

interface Totals {
  cpuUs: number;
  scavenges: number;
  completed: number;
  errors: number;
  p99: number;
}

/**
 * CPU per request of each gateway at one rate all of them sustain, in interleaved rounds. Closed
 * loop, a faster process also shares more requests per loop turn (fewer, fuller writes), which
 * lowers its CPU per request by itself; at one fixed rate that effect is the same for each, and
 * what differs is the heap setting.
 */
export async function fixedRateCosts(
  gateways: Array<{ key: number; server: ChildServer }>,
  options: { rate: number; durationMs: number; rounds: number; log: (line: string) => void },
): Promise<Map<number, FixedRateCost>> {
  const totals = new Map<number, Totals>();
  for (let index = 0; index < options.rounds; index++) {
    for (const { key, server } of gateways) {
      await settle();
      const before = await server.stats();
      const result = await runOpenLoop(openaiTarget('gateway', server.url), {
        rate: options.rate,
        durationMs: options.durationMs,
        warmupMs: 500,
        timeoutMs: 10_000,
      });
      const after = await server.stats();
      const sum = totals.get(key) ?? { cpuUs: 0, scavenges: 0, completed: 0, errors: 0, p99: 0 };
      // The counters cover the warm-up too: count its requests with the rest.
      sum.cpuUs += after.cpuUs - before.cpuUs;
      sum.scavenges += after.gc.scavenges - before.gc.scavenges;
      sum.completed += result.sent - result.errors;
      sum.errors += result.errors + result.non2xx;
      sum.p99 = Math.max(sum.p99, result.latency.p99);
      totals.set(key, sum);
      options.log(
        `memory ${key} MB gateway at ${options.rate} req/s (round ${index + 1}/${options.rounds}): ` +
          `${round((after.cpuUs - before.cpuUs) / Math.max(1, result.sent))} µs CPU a request, p99 ${round(result.latency.p99)} ms`,
      );
    }
  }
  const costs = new Map<number, FixedRateCost>();
  for (const [key, sum] of totals) {
    const requests = Math.max(1, sum.completed);
    costs.set(key, {
      rate: options.rate,
      cpuUsPerRequest: round(sum.cpuUs / requests, 1),
      scavengesPer1000: round((sum.scavenges * 1000) / requests, 1),
      latencyP99Ms: round(sum.p99, 2),
      errors: sum.errors,
    });
  }
  return costs;
}
