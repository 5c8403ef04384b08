import { type ClosedLoopResult, runClosedLoop } from '../load/closed-loop.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { type ProcessUsage, round, UsageMeter } from '../processes/child-server.ts';
import { PATHS, type PathName, type ScenarioContext, serverFor, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface LatencyRun extends ClosedLoopResult {
  usage: ProcessUsage[];
}

export interface LatencyResult {
  durationSeconds: number;
  runs: Record<PathName, LatencyRun>;
  /** Median and tail added over direct, in ms. */
  added: Record<'floor' | 'gateway', { p50: number; p90: number; p99: number }>;
}

/**
 * One connection, one request at a time: the latency each hop adds when nothing queues. Timed
 * with performance.now() (sub-ms), the three paths interleaved in rounds so a noisy neighbour
 * hits all three alike.
 */
export async function runLatency(context: ScenarioContext): Promise<LatencyResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const rounds = context.smoke ? 1 : 3;
  const roundMs = context.smoke ? 2000 : 4000;
  const meter = new UsageMeter(topology.all);
  const collected = new Map<PathName, ClosedLoopResult[]>();
  const usages = new Map<PathName, ProcessUsage[]>();
  for (let round = 0; round < rounds; round++) {
    for (const path of PATHS) {
      const target = openaiTarget(path, serverFor(topology, path).url);
      await meter.start();
      const result = await runClosedLoop(target, { connections: 1, durationMs: roundMs, warmupMs: 500 });
      usages.set(path, await meter.stop(result.requests));
      collected.set(path, [...(collected.get(path) ?? []), result]);
      await settle(200);
    }
  }
  const runs = {} as Record<PathName, LatencyRun>;
  for (const path of PATHS) {
    // The round with the median p50 stands for the path (the others were as long and alike).
    const results = [...(collected.get(path) ?? [])].sort((a, b) => a.latency.p50 - b.latency.p50);
    const chosen = results[Math.floor(results.length / 2)] as ClosedLoopResult;
    runs[path] = { ...chosen, usage: usages.get(path) ?? [] };
    context.log(
      `latency ${path}: p50 ${chosen.latency.p50} ms, p90 ${chosen.latency.p90} ms, p99 ${chosen.latency.p99} ms`,
    );
  }
  const added = (path: 'floor' | 'gateway') => ({
    p50: round(runs[path].latency.p50 - runs.direct.latency.p50, 3),
    p90: round(runs[path].latency.p90 - runs.direct.latency.p90, 3),
    p99: round(runs[path].latency.p99 - runs.direct.latency.p99, 3),
  });
  return {
    durationSeconds: (rounds * roundMs) / 1000,
    runs,
    added: { floor: added('floor'), gateway: added('gateway') },
  };
}
