import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { ResolvedConfig } from '../run-gateway.ts';
import { workerExecArgv } from './heap-flags.ts';
import { WorkerPool, WorkerStartError } from './worker-pool.ts';

/** The worker count a setting asks for: `auto` is one per core. */
export function workerCount(setting: number | 'auto'): number {
  return setting === 'auto' ? availableParallelism() : setting;
}

export interface WorkersRunOptions {
  print: (text: string) => void;
  printError: (text: string) => void;
  /** Stop when this aborts (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

/**
 * The cluster's primary: starts `count` workers on one port (each runs this same program and
 * builds its own gateway), replaces them one by one on SIGHUP (the config is read again), and on
 * SIGINT/SIGTERM lets each finish its in-flight streams. Resolves with an exit code: 0 after a
 * clean stop, else the code of the worker that could not start (2 for a config error).
 */
export async function runWorkersUntilStopped(
  resolved: ResolvedConfig,
  count: number,
  options: WorkersRunOptions,
): Promise<number> {
  const { print, printError } = options;
  if (!resolved.config.store) {
    print(
      `Note: ${count} workers without a store (store: redis://…): rate limits, budgets, stored responses and caches are per worker.`,
    );
  }
  // Each worker inherits the primary's standard streams: the banner and logs reach the terminal.
  // Its heap is sized by flags only (heap-flags.ts): the config's semi-space goes in its execArgv.
  cluster.setupPrimary({
    silent: false,
    execArgv: workerExecArgv(
      process.execArgv,
      resolved.config.server.heap?.semiSpaceMb,
      process.env.NODE_OPTIONS,
    ),
  });
  const pool = new WorkerPool(count, (text) => print(text));
  try {
    await pool.start();
  } catch (error) {
    await pool.stop();
    if (error instanceof WorkerStartError) {
      // A config error (2) the worker has already listed; anything else is said here.
      if (error.exitCode !== 2) printError(`the gateway did not start: ${error.message}`);
      return error.exitCode || 1;
    }
    throw error;
  }
  print(
    `Workers: ${count} processes on ${pool.url} (pids ${pool.pids.join(', ')}); SIGHUP reloads them one at a time.`,
  );
  const onHangUp = () => {
    pool
      .reload()
      .catch((error: Error) => printError(`reload stopped: ${error.message}; the old workers serve on`));
  };
  process.on('SIGHUP', onHangUp);
  const reason = await stopRequested(options.signal);
  process.off('SIGHUP', onHangUp);
  print(`\n${reason}: the workers finish their in-flight requests…`);
  await pool.stop();
  return 0;
}

function stopRequested(signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(String(signal.reason ?? 'stop'));
    signal?.addEventListener('abort', () => resolve(String(signal.reason ?? 'stop')), { once: true });
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}
