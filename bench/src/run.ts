// `pnpm bench [--smoke] [--only scenario,…] [--soak-seconds N] [--profile]`
// Starts the mock upstream, the floor proxy and the gateway (each in its own process), runs the
// scenarios, writes results/latest.json (or results/smoke.json) and regenerates BENCHMARKS.md.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { checkGoals, SMOKE_MIN_RATIO } from './goals.ts';
import { loadAverage, machineInfo } from './machine.ts';
import { readNewestProfile, topSelfTime } from './processes/cpu-profile-summary.ts';
import { writeReport } from './report.ts';
import { type BenchResults, SCENARIOS, type ScenarioName, type ScenarioResults } from './results.ts';
import { runBatch } from './scenarios/batch.ts';
import { runDistributedBatch } from './scenarios/distributed-batch.ts';
import { runFixedRate } from './scenarios/fixed-rate.ts';
import { runChainOverhead, runCodecThroughput } from './scenarios/in-process.ts';
import { runLatency } from './scenarios/latency.ts';
import { runMemory } from './scenarios/memory.ts';
import { runPeers } from './scenarios/peers.ts';
import { runReplicas } from './scenarios/replicas.ts';
import type { ScenarioContext } from './scenarios/scenario-context.ts';
import { runSemanticCache } from './scenarios/semantic-cache.ts';
import { runSoak } from './scenarios/soak.ts';
import { runStreaming } from './scenarios/streaming.ts';
import { runThroughput } from './scenarios/throughput.ts';
import { startTopology, type Topology } from './scenarios/topology.ts';
import { runTranslation } from './scenarios/translation.ts';
import { runWebSocket } from './scenarios/websocket.ts';
import { runWorkers } from './scenarios/workers.ts';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));
const PROFILE_DIR = `${RESULTS_DIR}profiles`;

/** The scenarios of `--smoke`: under a minute, enough to catch a throughput regression. */
const SMOKE_SCENARIOS: ScenarioName[] = ['throughput', 'latency', 'streaming', 'chain'];

interface Args {
  smoke: boolean;
  only: ScenarioName[] | undefined;
  soakSeconds: number;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, only: undefined, soakSeconds: 300, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i] ?? '';
    if (name === '--smoke') args.smoke = true;
    else if (name === '--profile') args.profile = true;
    else if (name === '--only') {
      const names = value().split(',').filter(Boolean);
      const unknown = names.filter((n) => !SCENARIOS.includes(n as ScenarioName));
      if (unknown.length > 0)
        throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
      args.only = names as ScenarioName[];
    } else if (name === '--soak-seconds') args.soakSeconds = Number(value());
    else if (name !== '--') throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isFinite(args.soakSeconds) || args.soakSeconds < 5)
    throw new Error('--soak-seconds must be ≥ 5');
  return args;
}

const runners: { [K in ScenarioName]: (context: ScenarioContext) => Promise<ScenarioResults[K]> } = {
  throughput: runThroughput,
  latency: runLatency,
  'fixed-rate': runFixedRate,
  streaming: runStreaming,
  translation: runTranslation,
  chain: runChainOverhead,
  codec: runCodecThroughput,
  websocket: runWebSocket,
  batch: runBatch,
  'distributed-batch': runDistributedBatch,
  peers: runPeers,
  workers: runWorkers,
  soak: runSoak,
  'semantic-cache': runSemanticCache,
  replicas: runReplicas,
  memory: runMemory,
};

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const selected = args.only ?? (args.smoke ? SMOKE_SCENARIOS : SCENARIOS);
  const resultsFile = `${RESULTS_DIR}${args.smoke ? 'smoke' : args.profile ? 'profile' : 'latest'}.json`;
  await mkdir(RESULTS_DIR, { recursive: true });
  const wallStarted = performance.now();
  const log = (line: string) =>
    console.log(`[${((performance.now() - wallStarted) / 1000).toFixed(1)} s] ${line}`);

  let topology: Topology | undefined;
  let starting: Promise<Topology> | undefined;
  if (args.profile) await rm(PROFILE_DIR, { recursive: true, force: true });
  const context: ScenarioContext = {
    smoke: args.smoke,
    soakSeconds: args.soakSeconds,
    log,
    topology: () => {
      starting ??= startTopology(
        args.profile ? { gatewayExecArgv: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] } : {},
      ).then((started) => {
        topology = started;
        return started;
      });
      return starting;
    },
  };

  // A partial run (--only) updates the scenarios it ran and keeps the others' last figures.
  const previous = args.only && !args.smoke && !args.profile ? await readResults(resultsFile) : undefined;
  const results: BenchResults = {
    schema: 1,
    mode: args.smoke ? 'smoke' : 'full',
    command: `pnpm bench${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machineInfo(),
    scenarios: { ...previous?.scenarios },
    runs: { ...previous?.runs },
    goals: [],
  };
  if (previous?.profile) results.profile = previous.profile;

  try {
    for (const name of selected) {
      log(`— ${name}`);
      const started = new Date();
      const load = loadAverage();
      const t0 = performance.now();
      const runner = runners[name] as (context: ScenarioContext) => Promise<ScenarioResults[typeof name]>;
      (results.scenarios as Record<string, unknown>)[name] = await runner(context);
      results.runs[name] = {
        startedAt: started.toISOString(),
        seconds: Math.round((performance.now() - t0) / 100) / 10,
        loadAverage: load,
        smoke: args.smoke,
      };
    }
  } finally {
    await topology?.stop();
  }

  if (args.profile) {
    const profile = topSelfTime(await readNewestProfile(PROFILE_DIR), 40);
    results.profile = { scenario: selected.join(','), takenAt: new Date().toISOString(), ...profile };
    console.log(`gateway profile (${selected.join(', ')}), busy ${profile.busyMs} ms:`);
    for (const entry of profile.byArea)
      console.log(`${entry.percentOfBusy.toFixed(1).padStart(5)}%  ${entry.area}`);
    for (const entry of profile.top.slice(0, 25))
      console.log(`${entry.percentOfBusy.toFixed(1).padStart(5)}%  ${entry.function}  ${entry.location}`);
  }

  results.goals = checkGoals(results.scenarios);
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${resultsFile}`);
  if (!args.smoke && !args.profile) {
    const written = await writeReport(results);
    log(`wrote ${written.join(', ')}`);
  }
  if (!args.smoke) return 0;
  return smokeVerdict(results);
}

/** The smoke run's one line, and its exit code: non-zero below the floor ratio. */
function smokeVerdict(results: BenchResults): number {
  const throughput = results.scenarios.throughput;
  if (!throughput) {
    console.log('bench smoke: FAILED (the throughput scenario did not run)');
    return 1;
  }
  const { gateway, floor, direct } = throughput.runs;
  const ratio = throughput.gatewayToFloor;
  const failedRequests = gateway.errors + gateway.non2xx;
  const ok = ratio >= SMOKE_MIN_RATIO && failedRequests === 0;
  console.log(
    `bench smoke: ${ok ? 'OK' : 'FAILED'} — gateway ${gateway.requestsPerSecond} req/s = ${ratio.toFixed(2)}× floor ` +
      `${floor.requestsPerSecond} req/s (minimum ${SMOKE_MIN_RATIO}×), direct ${direct.requestsPerSecond} req/s, ` +
      `gateway errors ${failedRequests}`,
  );
  return ok ? 0 : 1;
}

async function readResults(file: string): Promise<BenchResults | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
