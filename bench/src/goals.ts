import { memoryGoals } from './report/memory-section.ts';
import { replicasGoals } from './report/replicas-section.ts';
import type { GoalCheck, ScenarioResults } from './results.ts';

/** The smoke run fails below this gateway/floor throughput ratio. */
export const SMOKE_MIN_RATIO = 0.25;

const status = (met: boolean): GoalCheck['status'] => (met ? 'met' : 'missed');
const fmt = (value: number, digits = 2) => value.toFixed(digits);

/** The goals, each checked against the figures of this run (or marked not run). */
export function checkGoals(results: Partial<ScenarioResults>): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const notRun = (area: string, goal: string) => goals.push({ area, goal, measured: '–', status: 'not run' });

  const throughput = results.throughput;
  if (throughput) {
    const { gateway, floor } = throughput.runs;
    goals.push({
      area: 'Throughput',
      goal: 'gateway ≥ 0.5× floor req/s (50 connections)',
      measured: `${fmt(throughput.gatewayToFloor)}× (${gateway.requestsPerSecond} vs ${floor.requestsPerSecond} req/s)`,
      status: status(throughput.gatewayToFloor >= 0.5),
    });
  } else notRun('Throughput', 'gateway ≥ 0.5× floor req/s (50 connections)');

  const latency = results.latency;
  if (latency) {
    const added = latency.added.gateway;
    goals.push({
      area: 'Latency',
      goal: 'added p50 ≤ 0.3 ms over direct (1 connection)',
      measured: `${fmt(added.p50, 3)} ms`,
      status: status(added.p50 <= 0.3),
    });
    goals.push({
      area: 'Latency',
      goal: 'added p99 ≤ 1 ms over direct (1 connection)',
      measured: `${fmt(added.p99, 3)} ms`,
      status: status(added.p99 <= 1),
    });
  } else notRun('Latency', 'added p50 ≤ 0.3 ms, p99 ≤ 1 ms');

  const streaming = results.streaming;
  if (streaming) {
    const added = streaming.added.gateway;
    goals.push({
      area: 'Streaming',
      goal: 'added time to first byte ≤ 1 ms (100-chunk stream, p50)',
      measured: `${fmt(added.firstByteP50, 3)} ms`,
      status: status(added.firstByteP50 <= 1),
    });
    goals.push({
      area: 'Streaming',
      goal: 'no added delay between chunks (gap p50 within 0.1 ms of direct)',
      measured: `${fmt(added.gapP50, 3)} ms at p50, ${fmt(added.gapP99, 3)} ms at p99`,
      status: status(added.gapP50 <= 0.1),
    });
    if (streaming.ratios) {
      goals.push({
        area: 'Streaming',
        goal: 'server CPU per streamed chunk ≤ 1.5× the floor’s (1 connection)',
        measured: `${fmt(streaming.ratios.cpu)}× (${streaming.burst.cpuUsPerChunk.gateway} vs ${streaming.burst.cpuUsPerChunk.floor} µs)`,
        status: status(streaming.ratios.cpu <= 1.5),
      });
      goals.push({
        area: 'Streaming',
        goal: 'streams/s at 1 connection ≥ 0.6× the floor’s',
        measured: `${fmt(streaming.ratios.streams)}×`,
        status: status(streaming.ratios.streams >= 0.6),
      });
    }
    const lanes = streaming.lanes;
    if (lanes) {
      const { ratios } = lanes;
      goals.push({
        area: 'Streaming',
        goal: `streams/s at ${lanes.concurrency} concurrent ≥ 0.9× the floor’s (same format; translated)`,
        measured: `${fmt(ratios.sameFormatStreams)}×; ${fmt(ratios.translatedStreams)}×`,
        status: status(Math.min(ratios.sameFormatStreams, ratios.translatedStreams) >= 0.9),
      });
      goals.push({
        area: 'Streaming',
        goal: `CPU per chunk at ${lanes.concurrency} concurrent ≤ 1.5× the floor’s (same format; translated)`,
        measured: `${fmt(ratios.sameFormatCpu)}×; ${fmt(ratios.translatedCpu)}×`,
        status: status(Math.max(ratios.sameFormatCpu, ratios.translatedCpu) <= 1.5),
      });
    }
  } else notRun('Streaming', 'added first byte ≤ 1 ms; no added gap');

  const translation = results.translation;
  if (translation) {
    goals.push({
      area: 'Translation',
      goal: 'Anthropic in → OpenAI upstream ≥ 0.8× OpenAI → OpenAI',
      measured: `${fmt(translation.ratios.anthropicToOpenai)}×`,
      status: status(translation.ratios.anthropicToOpenai >= 0.8),
    });
    goals.push({
      area: 'Translation',
      goal: 'OpenAI in → Anthropic upstream ≥ 0.8× Anthropic → Anthropic',
      measured: `${fmt(translation.ratios.openaiToAnthropic)}×`,
      status: status(translation.ratios.openaiToAnthropic >= 0.8),
    });
    // Results recorded before the Responses lane existed have no such ratio.
    if (translation.ratios.responsesToOpenai !== undefined) {
      goals.push({
        area: 'Translation',
        goal: 'Responses in → OpenAI upstream ≥ 0.8× OpenAI → OpenAI',
        measured: `${fmt(translation.ratios.responsesToOpenai)}×`,
        status: status(translation.ratios.responsesToOpenai >= 0.8),
      });
    }
  } else notRun('Translation', 'translation lanes ≥ 0.8× same-format lane');

  const chain = results.chain;
  if (chain) {
    const six = chain.execute.find((variant) => variant.name === 'bridge.execute, 6 middleware');
    goals.push({
      area: 'In-process',
      goal: 'six-middleware chain adds ≤ 20 µs per bridge.execute',
      measured: six ? `${fmt(six.addedUs, 1)} µs` : '–',
      status: six ? status(six.addedUs <= 20) : 'not run',
    });
  } else notRun('In-process', 'six-middleware chain adds ≤ 20 µs per call');

  const codec = results.codec;
  if (codec) {
    const slowest = [...codec.pairs].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[0];
    goals.push({
      area: 'Codecs',
      goal: 'stream events/s through decode → spec → encode, every pair (reported)',
      measured: slowest
        ? `slowest pair ${slowest.from} → ${slowest.to}: ${Math.round(slowest.eventsPerSecond / 1000)}k events/s`
        : '–',
      status: 'reported',
    });
  } else notRun('Codecs', 'stream events/s per protocol pair');

  const peers = results.peers;
  if (peers) {
    const rps = (name: string) => peers.runs.find((run) => run.name === name)?.requestsPerSecond ?? 0;
    const gateway = rps('gateway');
    goals.push({
      area: 'Peers',
      goal: "gateway req/s against Portkey's gateway 1.15 and an openai-SDK gateway, same run (reported)",
      measured: `${fmt(gateway / Math.max(1, rps('portkey')), 1)}× Portkey (${rps('portkey')} req/s), ${fmt(gateway / Math.max(1, rps('openai-sdk')), 1)}× the openai-SDK gateway (${rps('openai-sdk')} req/s)`,
      status: 'reported',
    });
  }

  const websocket = results.websocket;
  if (websocket) {
    for (const phase of websocket.phases.filter((entry) => entry.chunksPerChat > 0)) {
      const perSocket = phase.chunksPerSecond / Math.max(1, websocket.connected);
      const floor = websocket.floor?.phases.find((entry) => entry.name === phase.name);
      const floorText = floor ? `; floor relay ${fmt(floor.pingPong.p99, 1)} ms` : '';
      goals.push({
        area: 'WebSocket',
        goal: `ping/pong p99 ≤ 5 ms, ${websocket.sockets} sockets streaming (${phase.name}: a chunk every ${phase.chunkDelayMs} ms)`,
        measured: `${fmt(phase.pingPong.p99, 1)} ms${floorText}; ${phase.chunksPerSecond} chunks/s in all (${fmt(perSocket, 1)} a socket)`,
        status: status(phase.pingPong.p99 <= 5 && websocket.connected >= 1000),
      });
    }
  } else notRun('WebSocket', '1,000 streaming sockets, ping/pong p99 ≤ 5 ms');

  const batch = results.batch;
  if (batch) {
    for (const run of batch.runs) {
      goals.push({
        area: 'Batch',
        goal: `≥ 98% of the allowed ${run.allowedPerSecond} req/s, zero 429s, ${run.items} items`,
        measured: `${fmt(run.ratioToAllowed * 100, 1)}%, ${run.rateLimited} × 429`,
        status: status(run.ratioToAllowed >= 0.98 && run.rateLimited === 0 && run.items >= 5000),
      });
    }
  } else notRun('Batch', '≥ 98% of the allowed rate, zero 429s over 5,000 items');

  const distributed = results['distributed-batch'];
  if (distributed) {
    goals.push({
      area: 'Batch',
      goal: `distributed: ${distributed.workers} workers, one killed mid-run: 0 lost, 0 duplicated, ≥ 95% of the allowed ${distributed.allowedPerSecond} req/s`,
      measured: `${distributed.lost} lost, ${distributed.duplicatedResults} duplicated (${distributed.repeatedCalls} abandoned calls redone), ${fmt(distributed.ratioToAllowed * 100, 1)}%`,
      status: status(
        distributed.lost === 0 && distributed.duplicatedResults === 0 && distributed.ratioToAllowed >= 0.95,
      ),
    });
  } else
    notRun('Batch', 'distributed: 3 workers, one killed: 0 lost, 0 duplicated, ≥ 95% of the allowed rate');

  const soak = results.soak;
  if (soak) {
    goals.push({
      area: 'Memory',
      goal: `gateway RSS growth < 10% after warm-up (${soak.seconds} s soak, streams included)`,
      measured: `${fmt(soak.gatewayRssGrowth * 100, 1)}% (${soak.gatewayRssAfterWarmupMb} → ${soak.gatewayRssEndMb} MB)`,
      // A soak shorter than the five minutes asked for cannot meet the goal, only hint at it.
      status: soak.gatewayRssGrowth >= 0.1 ? 'missed' : soak.seconds >= 300 ? 'met' : 'reported',
    });
  } else notRun('Memory', 'RSS growth < 10% over a five-minute soak');
  const concurrent = results.streaming?.concurrent;
  if (concurrent) {
    goals.push({
      area: 'Memory',
      goal: 'peak gateway RSS per 1,000 concurrent streams (reported)',
      measured: `+${concurrent.rssMbPer1000Streams} MB per 1,000 (${concurrent.gatewayIdleRssMb} → ${concurrent.gatewayPeakRssMb} MB)`,
      status: 'reported',
    });
  }
  const workers = results.workers;
  if (workers) {
    const [one, two] = workers.runs;
    // The load generator is the limit when it used most of a core while two workers ran.
    const generatorBound = (two?.loadGeneratorCores ?? 0) >= 0.85;
    goals.push({
      area: 'Workers',
      goal: '2 workers ≥ 1.6× 1 worker req/s, where the load generator is not the limit',
      measured: `${fmt(workers.twoToOne)}× (${two?.requestsPerSecond} vs ${one?.requestsPerSecond} req/s; load generator ${two?.loadGeneratorCores} cores on a ${workers.cores}-core machine)`,
      status: generatorBound || workers.cores < 3 ? 'reported' : status(workers.twoToOne >= 1.6),
    });
  } else notRun('Workers', '2 workers ≥ 1.6× 1 worker req/s');
  const semantic = results['semantic-cache'];
  const atDefault = semantic?.thresholds.find((row) => row.threshold === 0.95);
  if (semantic && atDefault) {
    const pct = (rate: number) => `${Math.round(rate * 100)}%`;
    goals.push({
      area: 'Semantic cache',
      goal: `hit and false-hit rates on ${semantic.hitPairs} + ${semantic.nearMissPairs} pairs (reported, threshold 0.95)`,
      measured: `hit ${pct(atDefault.hitRate)}, false hit ${pct(atDefault.falseHitRate)}; +${fmt(semantic.missLatency.withP50 - semantic.missLatency.withoutP50)} ms p50 on a miss`,
      status: 'reported',
    });
  }
  goals.push(...memoryGoals(results.memory));
  goals.push(...replicasGoals(results.replicas));
  return goals;
}
