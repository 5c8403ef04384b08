import { type AutocannonResult, runAutocannon } from '../load/autocannon-run.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { type ProcessUsage, round, UsageMeter } from '../processes/child-server.ts';
import { PATHS, type PathName, type ScenarioContext, serverFor, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface ThroughputRun extends AutocannonResult {
  usage: ProcessUsage[];
}

export interface ThroughputResult {
  connections: number;
  /** Seconds per measured round. */
  durationSeconds: number;
  rounds: number;
  /** Each path's median round (by req/s). */
  runs: Record<PathName, ThroughputRun>;
  /** Every round's req/s, per path, in order. */
  roundRequestsPerSecond: Record<PathName, number[]>;
  /** Gateway req/s over floor req/s. */
  gatewayToFloor: number;
  floorToDirect: number;
}

/**
 * Closed-loop throughput, 50 connections, non-streamed OpenAI chat calls: straight to the mock
 * upstream, through the floor proxy, and through the gateway (OpenAI in, OpenAI-protocol upstream).
 * Each path is warmed first (the gateway compiles and JIT-optimises far more code than the
 * proxy, and loads some modules on its first requests); the paths then run in interleaved rounds,
 * and each path's median round stands for it, so a burst of other work on the machine does not
 * fall on one path alone.
 */
export async function runThroughput(context: ScenarioContext): Promise<ThroughputResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const connections = 50;
  // The smoke run too takes the median of three interleaved rounds: on a shared 2-core machine
  // one round's ratio to the floor moves from 0.36 to 0.70 for the same code.
  const durationSeconds = context.smoke ? 3 : 5;
  const rounds = 3;
  const warmupSeconds = context.smoke ? 2 : 5;
  const meter = new UsageMeter(topology.all);
  const perPath = new Map<PathName, ThroughputRun[]>();
  for (const path of PATHS) {
    await runAutocannon(openaiTarget(path, serverFor(topology, path).url), {
      connections,
      durationSeconds: warmupSeconds,
    });
  }
  for (let round = 0; round < rounds; round++) {
    for (const path of PATHS) {
      const target = openaiTarget(path, serverFor(topology, path).url);
      await settle();
      await meter.start();
      const result = await runAutocannon(target, { connections, durationSeconds });
      perPath.set(path, [
        ...(perPath.get(path) ?? []),
        { ...result, usage: await meter.stop(result.requests) },
      ]);
      context.log(
        `throughput ${path} (round ${round + 1}/${rounds}): ${result.requestsPerSecond} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
      );
    }
  }
  const runs = {} as Record<PathName, ThroughputRun>;
  const roundRequestsPerSecond = {} as Record<PathName, number[]>;
  for (const path of PATHS) {
    const all = perPath.get(path) ?? [];
    roundRequestsPerSecond[path] = all.map((run) => run.requestsPerSecond);
    const sorted = [...all].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    runs[path] = sorted[Math.floor(sorted.length / 2)] as ThroughputRun;
  }
  return {
    connections,
    durationSeconds,
    rounds,
    runs,
    roundRequestsPerSecond,
    gatewayToFloor: round(runs.gateway.requestsPerSecond / Math.max(1, runs.floor.requestsPerSecond), 3),
    floorToDirect: round(runs.floor.requestsPerSecond / Math.max(1, runs.direct.requestsPerSecond), 3),
  };
}
