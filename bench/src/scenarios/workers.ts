import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AutocannonResult, runAutocannon } from '../load/autocannon-run.ts';
import { openaiTarget } from '../load/request-bodies.ts';
import { round } from '../processes/child-server.ts';
import { type ScenarioContext, settle } from './scenario-context.ts';
import { GATEWAY_NODE_FLAGS, PLAIN_REPLY } from './topology.ts';

const BIN = fileURLToPath(new URL('../../../packages/cli/src/bin.ts', import.meta.url));

export interface WorkersRun extends AutocannonResult {
  workers: number;
  /** The load generator's CPU (this process) over the round, in cores: near 1, it is the limit. */
  loadGeneratorCores: number;
}

export interface WorkersResult {
  connections: number;
  durationSeconds: number;
  /** Each worker count's median round (by req/s). */
  runs: WorkersRun[];
  /** Every round's req/s, per worker count. */
  roundRequestsPerSecond: Record<string, number[]>;
  /** Median req/s with 2 workers over 1. */
  twoToOne: number;
  cores: number;
}

/**
 * `matey serve --workers N` (the real CLI, a config naming the mock upstream), 1 and 2 workers in
 * interleaved rounds, 50 connections of non-streamed OpenAI calls. The load generator runs in this
 * process: its CPU per round says whether it, not the gateway, set the pace.
 */
export async function runWorkers(context: ScenarioContext): Promise<WorkersResult> {
  const topology = await context.topology();
  await topology.setReply(PLAIN_REPLY);
  const connections = 50;
  const durationSeconds = context.smoke ? 3 : 5;
  const rounds = 3;
  const dir = await mkdtemp(join(tmpdir(), 'matey-bench-workers-'));
  const config = join(dir, 'matey.config.yaml');
  await writeFile(
    config,
    [
      'server: { port: 0 }',
      'providers:',
      `  openai: { type: openai, baseURL: '${topology.mock.url}/v1', apiKey: bench }`,
      'middleware: { logging: false }',
    ].join('\n'),
  );
  const perCount = new Map<number, WorkersRun[]>();
  try {
    for (let index = 0; index < rounds; index++) {
      for (const workers of [1, 2]) {
        // A fresh gateway per round, warmed (JIT) before it is measured.
        const gateway = await serveWorkers(config, workers);
        const target = openaiTarget('gateway', gateway.url);
        await runAutocannon(target, { connections, durationSeconds: 3 });
        await settle();
        const cpu = process.cpuUsage();
        const started = performance.now();
        const result = await runAutocannon(target, { connections, durationSeconds });
        const used = process.cpuUsage(cpu);
        await gateway.stop();
        const loadGeneratorCores = round((used.user + used.system) / 1000 / (performance.now() - started), 2);
        perCount.set(workers, [...(perCount.get(workers) ?? []), { ...result, workers, loadGeneratorCores }]);
        context.log(
          `workers ${workers} (round ${index + 1}/${rounds}): ${result.requestsPerSecond} req/s, load generator ${loadGeneratorCores} cores`,
        );
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const runs = [1, 2].map((workers) => median(perCount.get(workers) ?? []));
  const [one, two] = runs;
  return {
    connections,
    durationSeconds,
    runs,
    roundRequestsPerSecond: Object.fromEntries(
      [...perCount].map(([workers, all]) => [String(workers), all.map((run) => run.requestsPerSecond)]),
    ),
    twoToOne: round((two?.requestsPerSecond ?? 0) / Math.max(1, one?.requestsPerSecond ?? 0), 3),
    cores: (await import('node:os')).availableParallelism(),
  };
}

function median(all: WorkersRun[]): WorkersRun {
  const sorted = [...all].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor(sorted.length / 2)] as WorkersRun;
}

/** The CLI's gateway with `workers` processes, until stopped (SIGTERM, then its exit). */
async function serveWorkers(
  config: string,
  workers: number,
): Promise<{ url: string; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...GATEWAY_NODE_FLAGS, BIN, 'serve', '--config', config, '--workers', String(workers)],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, PORT: '', HOST: '' } },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const ready =
        workers === 1
          ? /listening on (http:\S+)/.exec(out)
          : /Workers: \d+ processes on (http:\S+)/.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`matey serve exited ${code}: ${out}`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
