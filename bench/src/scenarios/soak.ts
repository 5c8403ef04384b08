import { type OpenLoopResult, runOpenLoop } from '../load/open-loop.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { type ProcessUsage, round, UsageMeter } from '../processes/child-server.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface RssSample {
  atSeconds: number;
  gatewayMb: number;
  mockMb: number;
  gatewayHeapMb: number;
}

export interface SoakResult {
  seconds: number;
  warmupSeconds: number;
  /** Non-streamed and streamed calls per second through the gateway. */
  plainRate: number;
  streamRate: number;
  plain: OpenLoopResult;
  streams: OpenLoopResult;
  samples: RssSample[];
  /** Gateway RSS at the end of warm-up and at the end (mean of the last three samples). */
  gatewayRssAfterWarmupMb: number;
  gatewayRssEndMb: number;
  /** (end − after warm-up) / after warm-up. */
  gatewayRssGrowth: number;
  usage: ProcessUsage[];
}

const MB = 1024 * 1024;

/**
 * A long run at a fixed rate through the gateway, non-streamed calls and 20-chunk streams
 * together, sampling the gateway's RSS every few seconds: memory must stay flat after warm-up.
 */
export async function runSoak(context: ScenarioContext): Promise<SoakResult> {
  const topology = await context.topology();
  const seconds = context.soakSeconds;
  const warmupSeconds = Math.min(60, Math.max(10, Math.round(seconds * 0.2)));
  const plainRate = 200;
  const streamRate = 50;
  // Streams of 20 chunks 10 ms apart (about 0.2 s each); plain calls are answered at once.
  await topology.setReply({ chunkCount: 20, chunkDelayMs: 10 });
  await settle(500);
  const meter = new UsageMeter([topology.gateway, topology.mock]);
  await meter.start();
  const samples: RssSample[] = [];
  const started = performance.now();
  const sampleEveryMs = Math.max(1000, Math.round((seconds * 1000) / 60));
  const sample = async () => {
    const [gateway, mock] = await Promise.all([topology.gateway.stats(), topology.mock.stats()]);
    samples.push({
      atSeconds: round((performance.now() - started) / 1000, 1),
      gatewayMb: round(gateway.rssBytes / MB, 1),
      mockMb: round(mock.rssBytes / MB, 1),
      gatewayHeapMb: round(gateway.heapUsedBytes / MB, 1),
    });
  };
  await sample();
  const sampler = setInterval(() => void sample(), sampleEveryMs);
  const durationMs = seconds * 1000;
  const [plain, streams] = await Promise.all([
    runOpenLoop(openaiTarget('gateway', topology.gateway.url), { rate: plainRate, durationMs }),
    runOpenLoop(openaiTarget('gateway', topology.gateway.url, 'gpt-4o-mini', true), {
      rate: streamRate,
      durationMs,
    }),
  ]);
  clearInterval(sampler);
  await sample();
  const usage = await meter.stop(plain.completed + streams.completed);
  await topology.setReply(PLAIN_REPLY);

  const afterWarmup = samples.find((entry) => entry.atSeconds >= warmupSeconds) ?? samples[0];
  const tail = samples.slice(-3);
  const endMb = tail.reduce((sum, entry) => sum + entry.gatewayMb, 0) / Math.max(1, tail.length);
  const warmMb = afterWarmup?.gatewayMb ?? endMb;
  const result: SoakResult = {
    seconds,
    warmupSeconds,
    plainRate,
    streamRate,
    plain,
    streams,
    samples,
    gatewayRssAfterWarmupMb: warmMb,
    gatewayRssEndMb: round(endMb, 1),
    gatewayRssGrowth: round((endMb - warmMb) / warmMb, 4),
    usage,
  };
  context.log(
    `soak ${seconds} s: gateway RSS ${warmMb} → ${result.gatewayRssEndMb} MB (${(result.gatewayRssGrowth * 100).toFixed(1)}%), p99 ${plain.latency.p99} ms, errors ${plain.errors + streams.errors}`,
  );
  return result;
}
