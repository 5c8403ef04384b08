import { type AutocannonResult, runAutocannon } from '../load/autocannon-run.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { ChildServer, round } from '../processes/child-server.ts';
import { type FixedRateCost, fixedRateCosts } from './memory-fixed-rate.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { PLAIN_REPLY } from './topology.ts';

/** The semi-space sizes measured (MB); V8's default on 64-bit Node 22 is 16 (no flag). */
export const SEMI_SPACE_SIZES_MB = [16, 8, 32, 64] as const;
const V8_DEFAULT_SEMI_SPACE_MB = 16;

/** One server (gateway or floor) at one semi-space size. */
export interface MemoryServerRun {
  /** Median req/s of the rounds. */
  requestsPerSecond: number;
  roundRequestsPerSecond: number[];
  latencyP99Ms: number;
  /** RSS after start-up and a full GC, before any request (MB). */
  idleRssMb: number;
  /** V8 heap in use at idle (MB): the rest of the idle RSS is code, native modules and V8's reserves. */
  idleHeapUsedMb: number;
  /** The highest RSS sampled (every 100 ms) in any round (MB): what to provision for. */
  peakRssMb: number;
  /** RSS at the end of the last round (MB). */
  endRssMb: number;
  /** CPU per request (µs), over all rounds: less moved by other work on the machine than req/s. */
  cpuUsPerRequest: number;
  /** GC pause time per request (µs) and scavenges per 1,000 requests, over all rounds. */
  gcUsPerRequest: number;
  scavengesPer1000: number;
}

export interface MemorySizeRun {
  semiSpaceMb: number;
  /** The Node flags both processes ran with (none for V8's default). */
  flags: string[];
  gateway: MemoryServerRun;
  floor: MemoryServerRun;
  /** Gateway req/s over floor req/s. */
  throughputRatio: number;
  /** Gateway peak RSS over the floor's (same semi-space size). */
  peakRssRatio: number;
  /** The gateway's cost per request at one fixed rate (absent from results before it was measured). */
  fixedRate?: FixedRateCost;
}

export interface MemoryResult {
  connections: number;
  durationSeconds: number;
  rounds: number;
  sizes: MemorySizeRun[];
}

/** The fixed rate of the CPU comparison: well under what any size serves on this machine. */
const FIXED_RATE = 1000;

interface Pair {
  semiSpaceMb: number;
  flags: string[];
  gateway: ChildServer;
  floor: ChildServer;
  idle: { gateway: IdleFigures; floor: IdleFigures };
  rounds: { gateway: RoundFigures[]; floor: RoundFigures[] };
}

interface IdleFigures {
  rssMb: number;
  heapUsedMb: number;
}

interface RoundFigures extends AutocannonResult {
  peakRssMb: number;
  endRssMb: number;
  cpuUs: number;
  gcMs: number;
  scavenges: number;
}

const MB = 1024 * 1024;

/**
 * RSS and throughput at several young-generation sizes: for each `--max-semi-space-size`, a fresh
 * gateway and a fresh floor proxy with that flag (both in front of the shared mock upstream). RSS
 * after start-up and a GC, then the throughput scenario's load (50 connections, closed loop,
 * non-streamed OpenAI calls) in rounds interleaved over every size and both servers; per round the
 * RSS peak (sampled every 100 ms) and end. The median round stands for each. Then each gateway's
 * CPU per request at one fixed rate (memory-fixed-rate.ts).
 */
export async function runMemory(context: ScenarioContext): Promise<MemoryResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const connections = 50;
  const durationSeconds = context.smoke ? 2 : 4;
  const rounds = context.smoke ? 1 : 3;
  const pairs: Pair[] = [];
  let costs: Map<number, FixedRateCost> | undefined;
  try {
    for (const semiSpaceMb of SEMI_SPACE_SIZES_MB) {
      pairs.push(await startPair(semiSpaceMb, topology.mock.url));
      const idle = pairs.at(-1)?.idle;
      context.log(
        `memory ${semiSpaceMb} MB: idle RSS gateway ${idle?.gateway.rssMb} MB, floor ${idle?.floor.rssMb} MB`,
      );
    }
    for (const pair of pairs) {
      for (const server of [pair.gateway, pair.floor]) {
        await runAutocannon(openaiTarget(targetPath(server), server.url), {
          connections,
          durationSeconds: 2,
        });
      }
    }
    for (let index = 0; index < rounds; index++) {
      for (const pair of pairs) {
        for (const server of [pair.gateway, pair.floor]) {
          const figures = await measureRound(server, connections, durationSeconds);
          pair.rounds[server.name === 'floor' ? 'floor' : 'gateway'].push(figures);
          context.log(
            `memory ${pair.semiSpaceMb} MB ${server.name} (round ${index + 1}/${rounds}): ${figures.requestsPerSecond} req/s, ` +
              `RSS peak ${figures.peakRssMb} MB, ${figures.scavenges} scavenges, GC ${Math.round(figures.gcMs)} ms`,
          );
        }
      }
    }
    costs = await fixedRateCosts(
      pairs.map((pair) => ({ key: pair.semiSpaceMb, server: pair.gateway })),
      { rate: FIXED_RATE, durationMs: durationSeconds * 1000, rounds, log: context.log },
    );
  } finally {
    await Promise.all(pairs.flatMap((pair) => [pair.gateway.stop(), pair.floor.stop()]));
  }
  return {
    connections,
    durationSeconds,
    rounds,
    sizes: pairs.map((pair) => {
      const cost = costs?.get(pair.semiSpaceMb);
      return { ...summarise(pair), ...(cost ? { fixedRate: cost } : {}) };
    }),
  };
}

function targetPath(server: ChildServer): 'gateway' | 'floor' {
  return server.name === 'floor' ? 'floor' : 'gateway';
}

async function startPair(semiSpaceMb: number, upstream: string): Promise<Pair> {
  const flags = semiSpaceMb === V8_DEFAULT_SEMI_SPACE_MB ? [] : [`--max-semi-space-size=${semiSpaceMb}`];
  const execArgv = [...flags, '--expose-gc'];
  const [gateway, floor] = await Promise.all([
    ChildServer.start({
      name: 'gateway',
      script: 'gateway-server.ts',
      args: [`--upstream=${upstream}`],
      execArgv,
    }),
    ChildServer.start({
      name: 'floor',
      script: 'floor-proxy-server.ts',
      args: [`--upstream=${upstream}`],
      execArgv,
    }),
  ]);
  return {
    semiSpaceMb,
    flags,
    gateway,
    floor,
    idle: { gateway: await idleRssMb(gateway), floor: await idleRssMb(floor) },
    rounds: { gateway: [], floor: [] },
  };
}

/** RSS once start-up's garbage is collected and the process has sat still for a moment. */
async function idleRssMb(server: ChildServer): Promise<IdleFigures> {
  await settle(1000);
  await server.command('gc');
  await settle(500);
  const stats = await server.stats();
  return { rssMb: round(stats.rssBytes / MB, 1), heapUsedMb: round(stats.heapUsedBytes / MB, 1) };
}

async function measureRound(
  server: ChildServer,
  connections: number,
  durationSeconds: number,
): Promise<RoundFigures> {
  await settle();
  const before = await server.stats(true);
  const result = await runAutocannon(openaiTarget(targetPath(server), server.url), {
    connections,
    durationSeconds,
  });
  const after = await server.stats();
  return {
    ...result,
    peakRssMb: round(after.peakRssBytes / MB, 1),
    endRssMb: round(after.rssBytes / MB, 1),
    cpuUs: after.cpuUs - before.cpuUs,
    gcMs: after.gc.ms - before.gc.ms,
    scavenges: after.gc.scavenges - before.gc.scavenges,
  };
}

function sum(rounds: RoundFigures[], key: 'cpuUs' | 'gcMs' | 'scavenges' | 'requests'): number {
  return rounds.reduce((total, each) => total + each[key], 0);
}

function serverRun(idle: IdleFigures, rounds: RoundFigures[]): MemoryServerRun {
  const byRate = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  const middle = byRate[Math.floor(byRate.length / 2)];
  const requests = Math.max(1, sum(rounds, 'requests'));
  return {
    requestsPerSecond: middle?.requestsPerSecond ?? 0,
    roundRequestsPerSecond: rounds.map((each) => each.requestsPerSecond),
    latencyP99Ms: middle?.latencyMs.p99 ?? 0,
    idleRssMb: idle.rssMb,
    idleHeapUsedMb: idle.heapUsedMb,
    peakRssMb: Math.max(0, ...rounds.map((each) => each.peakRssMb)),
    endRssMb: rounds.at(-1)?.endRssMb ?? 0,
    cpuUsPerRequest: round(sum(rounds, 'cpuUs') / requests, 1),
    gcUsPerRequest: round((sum(rounds, 'gcMs') * 1000) / requests, 1),
    scavengesPer1000: round((sum(rounds, 'scavenges') * 1000) / requests, 1),
  };
}

function summarise(pair: Pair): MemorySizeRun {
  const gateway = serverRun(pair.idle.gateway, pair.rounds.gateway);
  const floor = serverRun(pair.idle.floor, pair.rounds.floor);
  return {
    semiSpaceMb: pair.semiSpaceMb,
    flags: pair.flags,
    gateway,
    floor,
    throughputRatio: round(gateway.requestsPerSecond / Math.max(1, floor.requestsPerSecond), 3),
    peakRssRatio: round(gateway.peakRssMb / Math.max(1, floor.peakRssMb), 2),
  };
}
