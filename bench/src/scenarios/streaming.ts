import { openaiTarget } from '../load/request-bodies.ts';
import { type StreamTimings, timeStreams } from '../load/stream-client.ts';
import { createPool } from '../load/undici.ts';
import { type ChildServer, round } from '../processes/child-server.ts';
import { PATHS, type PathName, type ScenarioContext, settle } from './scenario-context.ts';
import { meteredStreams, runStreamingLanes, type StreamingLanesResult } from './streaming-lanes.ts';
import { PLAIN_REPLY } from './topology.ts';

export interface StreamingResult {
  /** 100 events written by the mock in one go: first byte and whole stream. */
  burst: {
    chunks: number;
    streams: number;
    runs: Record<PathName, StreamTimings>;
    /** CPU time of the answering process per upstream chunk, µs (the mock's for `direct`). */
    cpuUsPerChunk: Record<PathName, number>;
  };
  /** 100 events with a pause between each: first byte, the gaps between events, the whole stream. */
  paced: { chunks: number; chunkDelayMs: number; streams: number; runs: Record<PathName, StreamTimings> };
  /** Added over direct, ms. */
  added: Record<
    'floor' | 'gateway',
    { firstByteP50: number; firstByteP99: number; gapP50: number; gapP99: number; pacedTotalP50: number }
  >;
  /** Gateway ÷ floor at one connection (burst): streams/s and CPU per chunk. */
  ratios?: { streams: number; cpu: number };
  /** 20 streams at once: floor, gateway same-format, gateway translated. */
  lanes?: StreamingLanesResult;
  /** Many streams open at once through the gateway, for memory per stream. */
  concurrent?: ConcurrentStreamsResult;
}

export interface ConcurrentStreamsResult {
  streams: number;
  completed: number;
  errors: number;
  gatewayIdleRssMb: number;
  gatewayPeakRssMb: number;
  /** (peak − idle) per 1,000 concurrent streams. */
  rssMbPer1000Streams: number;
  mockPeakRssMb: number;
  wallSeconds: number;
}

const CHUNKS = 100;

/**
 * Streamed replies of 100 chunks through each path: time to first byte and total (the mock
 * writes all 100 at once), then the gaps between chunks when the mock paces them; and, in the
 * full run, 1,000 concurrent streams through the gateway to measure memory per stream.
 */
export async function runStreaming(context: ScenarioContext): Promise<StreamingResult> {
  const topology = await context.topology();
  const burstStreams = context.smoke ? 100 : 500;
  const pacedStreams = context.smoke ? 4 : 20;
  const chunkDelayMs = 2;

  await topology.setReply({ chunkCount: CHUNKS });
  const burst = {} as Record<PathName, StreamTimings>;
  const cpuUsPerChunk = {} as Record<PathName, number>;
  const servers: Record<PathName, ChildServer> = {
    direct: topology.mock,
    floor: topology.floor,
    gateway: topology.gateway,
  };
  for (const path of PATHS) {
    const target = openaiTarget(path, servers[path].url, 'gpt-4o-mini', true);
    const run = await meteredStreams(servers[path], target, {
      count: burstStreams,
      warmup: 50,
      chunks: CHUNKS,
    });
    burst[path] = run.timings;
    cpuUsPerChunk[path] = run.cpuUsPerChunk;
    context.log(
      `stream burst ${path}: first byte p50 ${run.timings.firstByte.p50} ms, total p50 ${run.timings.total.p50} ms, ${run.timings.eventsPerStream} events, ${run.timings.streamsPerSecond} streams/s, ${run.cpuUsPerChunk} µs CPU/chunk`,
    );
    await settle(200);
  }

  await topology.setReply({ chunkCount: CHUNKS, chunkDelayMs });
  const paced = {} as Record<PathName, StreamTimings>;
  for (const path of PATHS) {
    const target = openaiTarget(path, servers[path].url, 'gpt-4o-mini', true);
    paced[path] = await timeStreams(target, { count: pacedStreams, warmup: 2 });
    context.log(
      `stream paced ${path}: gap p50 ${paced[path].gap.p50} ms p99 ${paced[path].gap.p99} ms, total p50 ${paced[path].total.p50} ms`,
    );
    await settle(200);
  }

  const added = (path: 'floor' | 'gateway') => ({
    firstByteP50: round(burst[path].firstByte.p50 - burst.direct.firstByte.p50, 3),
    firstByteP99: round(burst[path].firstByte.p99 - burst.direct.firstByte.p99, 3),
    gapP50: round(paced[path].gap.p50 - paced.direct.gap.p50, 3),
    gapP99: round(paced[path].gap.p99 - paced.direct.gap.p99, 3),
    pacedTotalP50: round(paced[path].total.p50 - paced.direct.total.p50, 3),
  });
  const result: StreamingResult = {
    burst: { chunks: CHUNKS, streams: burstStreams, runs: burst, cpuUsPerChunk },
    paced: { chunks: CHUNKS, chunkDelayMs, streams: pacedStreams, runs: paced },
    added: { floor: added('floor'), gateway: added('gateway') },
    ratios: {
      streams: round(burst.gateway.streamsPerSecond / Math.max(1, burst.floor.streamsPerSecond), 2),
      cpu: round(cpuUsPerChunk.gateway / Math.max(0.1, cpuUsPerChunk.floor), 2),
    },
  };
  await topology.setReply({ chunkCount: CHUNKS });
  result.lanes = await runStreamingLanes(context, { chunks: CHUNKS, concurrency: 20 });
  if (!context.smoke) result.concurrent = await runConcurrentStreams(context, 1000);
  await topology.setReply(PLAIN_REPLY);
  return result;
}

/** Opens `streams` slow streams through the gateway at once and samples its peak RSS. */
async function runConcurrentStreams(
  context: ScenarioContext,
  streams: number,
): Promise<ConcurrentStreamsResult> {
  const topology = await context.topology();
  // 20 chunks 100 ms apart: every stream is open for about two seconds, all at the same time.
  await topology.setReply({ chunkCount: 20, chunkDelayMs: 100 });
  await settle(1000);
  const idle = await topology.gateway.stats(true);
  await topology.mock.stats(true);
  const target = openaiTarget('gateway', topology.gateway.url, 'gpt-4o-mini', true);
  const pool = createPool(target.origin, streams);
  const started = performance.now();
  let completed = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: streams }, async () => {
      try {
        const response = await pool.request({
          path: target.path,
          method: 'POST',
          headers: target.headers,
          body: target.body,
        });
        for await (const _chunk of response.body);
        if (response.statusCode === 200) completed++;
        else errors++;
      } catch {
        errors++;
      }
    }),
  );
  const wallSeconds = round((performance.now() - started) / 1000, 2);
  const peak = await topology.gateway.stats();
  const mockPeak = await topology.mock.stats();
  await pool.close();
  const MB = 1024 * 1024;
  const result = {
    streams,
    completed,
    errors,
    gatewayIdleRssMb: round(idle.rssBytes / MB, 1),
    gatewayPeakRssMb: round(peak.peakRssBytes / MB, 1),
    rssMbPer1000Streams: round(((peak.peakRssBytes - idle.rssBytes) / MB) * (1000 / streams), 1),
    mockPeakRssMb: round(mockPeak.peakRssBytes / MB, 1),
    wallSeconds,
  };
  context.log(
    `concurrent streams: ${completed}/${streams} done in ${wallSeconds} s, gateway RSS ${result.gatewayIdleRssMb} → ${result.gatewayPeakRssMb} MB`,
  );
  return result;
}
