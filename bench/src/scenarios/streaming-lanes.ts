import { anthropicTarget, type HttpTarget, openaiTarget } from '../load/request-bodies.ts';
import { type StreamTimings, timeStreams } from '../load/stream-client.ts';
import { type ChildServer, round, UsageMeter } from '../processes/child-server.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';

/** Streams through one server, with that server's CPU time per upstream chunk. */
export interface MeteredStreams {
  timings: StreamTimings;
  /** The serving process's CPU time (user + system) per upstream chunk, µs, measured streams only. */
  cpuUsPerChunk: number;
}

/**
 * Runs `timeStreams` against `target` and meters `server` (the process answering it) over the
 * measured streams only: CPU per chunk is its CPU time ÷ (completed streams × upstream chunks).
 */
export async function meteredStreams(
  server: ChildServer,
  target: HttpTarget,
  options: { count: number; concurrency?: number; warmup?: number; chunks: number },
): Promise<MeteredStreams> {
  const meter = new UsageMeter([server]);
  const timings = await timeStreams(target, { ...options, afterWarmup: () => meter.start() });
  const [usage] = await meter.stop();
  const cpuUs = (usage?.cpuMs ?? 0) * 1000;
  const chunks = Math.max(1, timings.streams * options.chunks);
  return { timings, cpuUsPerChunk: round(cpuUs / chunks, 1) };
}

/** One lane at many concurrent streams, averaged over interleaved rounds. */
export interface StreamLaneResult {
  lane: string;
  streams: number;
  errors: number;
  streamsPerSecond: number;
  cpuUsPerChunk: number;
  firstByteP50: number;
  totalP50: number;
}

export interface StreamingLanesResult {
  chunks: number;
  concurrency: number;
  rounds: number;
  lanes: StreamLaneResult[];
  /** Gateway ÷ floor: streams/s and CPU per chunk, for the same-format and the translated lane. */
  ratios: {
    sameFormatStreams: number;
    translatedStreams: number;
    sameFormatCpu: number;
    translatedCpu: number;
  };
}

const LANES = [
  {
    lane: 'floor (OpenAI → OpenAI)',
    server: 'floor',
    target: (url: string) => openaiTarget('floor', url, 'gpt-4o-mini', true),
  },
  {
    lane: 'gateway, OpenAI → OpenAI',
    server: 'gateway',
    target: (url: string) => openaiTarget('gateway', url, 'gpt-4o-mini', true),
  },
  {
    lane: 'gateway, Anthropic → OpenAI',
    server: 'gateway',
    target: (url: string) => anthropicTarget('gateway-translated', url, 'openai/gpt-4o-mini', true),
  },
] as const;

/**
 * Many streams at once (`concurrency`), each `chunks` events written by the mock in one go,
 * through the floor proxy, the gateway in the same format, and the gateway translating Anthropic
 * in to an OpenAI upstream. The lanes alternate over `rounds` so the machine's load falls on each.
 */
export async function runStreamingLanes(
  context: ScenarioContext,
  options: { chunks: number; concurrency: number },
): Promise<StreamingLanesResult> {
  const topology = await context.topology();
  const rounds = 2;
  const count = context.smoke ? 100 : 1000;
  const perLane = LANES.map(() => [] as MeteredStreams[]);
  for (let roundIndex = 0; roundIndex < rounds; roundIndex++) {
    for (const [index, lane] of LANES.entries()) {
      const server = lane.server === 'floor' ? topology.floor : topology.gateway;
      const run = await meteredStreams(server, lane.target(server.url), {
        count,
        concurrency: options.concurrency,
        warmup: 20,
        chunks: options.chunks,
      });
      perLane[index]?.push(run);
      context.log(
        `stream lane ${lane.lane} ×${options.concurrency}: ${run.timings.streamsPerSecond} streams/s, ${run.cpuUsPerChunk} µs CPU/chunk`,
      );
      await settle(200);
    }
  }
  const lanes = LANES.map((lane, index) => summarizeLane(lane.lane, perLane[index] ?? []));
  const [floor, same, translated] = lanes as [StreamLaneResult, StreamLaneResult, StreamLaneResult];
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b, 2) : 0);
  return {
    chunks: options.chunks,
    concurrency: options.concurrency,
    rounds,
    lanes,
    ratios: {
      sameFormatStreams: ratio(same.streamsPerSecond, floor.streamsPerSecond),
      translatedStreams: ratio(translated.streamsPerSecond, floor.streamsPerSecond),
      sameFormatCpu: ratio(same.cpuUsPerChunk, floor.cpuUsPerChunk),
      translatedCpu: ratio(translated.cpuUsPerChunk, floor.cpuUsPerChunk),
    },
  };
}

function summarizeLane(lane: string, runs: MeteredStreams[]): StreamLaneResult {
  const mean = (pick: (run: MeteredStreams) => number) =>
    runs.length ? runs.reduce((sum, run) => sum + pick(run), 0) / runs.length : 0;
  return {
    lane,
    streams: runs.reduce((sum, run) => sum + run.timings.streams, 0),
    errors: runs.reduce((sum, run) => sum + run.timings.errors, 0),
    streamsPerSecond: Math.round(mean((run) => run.timings.streamsPerSecond)),
    cpuUsPerChunk: round(
      mean((run) => run.cpuUsPerChunk),
      1,
    ),
    firstByteP50: round(
      mean((run) => run.timings.firstByte.p50),
      3,
    ),
    totalP50: round(
      mean((run) => run.timings.total.p50),
      3,
    ),
  };
}
