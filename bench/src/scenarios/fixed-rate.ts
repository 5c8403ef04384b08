import { type OpenLoopResult, runOpenLoop } from '../load/open-loop.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { type ProcessUsage, UsageMeter } from '../processes/child-server.ts';
import { PATHS, type PathName, type ScenarioContext, serverFor, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface FixedRateRun extends OpenLoopResult {
  path: PathName;
  usage: ProcessUsage[];
}

export interface FixedRateResult {
  durationSeconds: number;
  rates: number[];
  runs: FixedRateRun[];
}

export const FIXED_RATES = [100, 500, 1000, 2000];

/**
 * Open-loop runs at fixed offered rates, evenly spaced, latency from each request's due time:
 * latency against offered load for direct, floor and gateway (the chart in BENCHMARKS.md).
 */
export async function runFixedRate(context: ScenarioContext): Promise<FixedRateResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const rates = context.smoke ? [500] : FIXED_RATES;
  const durationMs = context.smoke ? 2000 : 8000;
  const meter = new UsageMeter(topology.all);
  const runs: FixedRateRun[] = [];
  for (const rate of rates) {
    for (const path of PATHS) {
      const target = openaiTarget(path, serverFor(topology, path).url);
      await meter.start();
      const result = await runOpenLoop(target, { rate, durationMs, warmupMs: 1000, timeoutMs: 10_000 });
      runs.push({ ...result, path, usage: await meter.stop(result.completed) });
      context.log(
        `fixed rate ${rate}/s ${path}: achieved ${result.achievedRate}/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}`,
      );
      await settle();
    }
  }
  return { durationSeconds: durationMs / 1000, rates, runs };
}
