import { runWorker } from '../processes/run-worker.ts';
import type { ChainOverheadResult } from '../workers/chain-overhead.ts';
import type { CodecThroughputResult } from '../workers/codec-throughput.ts';
import type { ScenarioContext } from './scenario-context.ts';

/** The Bridge and middleware chain without HTTP, in a fresh process. */
export async function runChainOverhead(context: ScenarioContext): Promise<ChainOverheadResult> {
  const result = await runWorker<ChainOverheadResult>([
    '--task=chain',
    ...(context.smoke ? ['--smoke'] : []),
  ]);
  for (const variant of [...result.execute, ...result.stream])
    context.log(`chain ${variant.name}: ${variant.meanUs} µs/call (+${variant.addedUs})`);
  return result;
}

/** Stream translation speed for every pair of protocols, in a fresh process. */
export async function runCodecThroughput(context: ScenarioContext): Promise<CodecThroughputResult> {
  const result = await runWorker<CodecThroughputResult>([
    '--task=codec',
    ...(context.smoke ? ['--smoke'] : []),
  ]);
  for (const pair of result.pairs)
    context.log(
      `codec ${pair.from} → ${pair.to}: ${pair.eventsPerSecond} events/s (${pair.usPerEvent} µs/event)`,
    );
  return result;
}
