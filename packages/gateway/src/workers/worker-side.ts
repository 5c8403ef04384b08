import cluster from 'node:cluster';

/** What the primary tells a worker, and a worker tells the primary, over the cluster's IPC. */
export type WorkerMessage = { type: 'matey:listening'; url: string } | { type: 'matey:shutdown' };

/** The environment variable that tells one worker to print the start-up banner. */
export const BANNER_ENV = 'MATEY_WORKER_BANNER';

/** How a gateway in a cluster worker starts and stops: told by the primary, not by signals. */
export interface WorkerHooks {
  /** Aborts when the primary asks this worker to finish (reload or stop), or on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Whether this worker prints the banner (one per start, not one per worker). */
  printBanner: boolean;
  /** Tells the primary the worker is serving. */
  listening(url: string): void;
}

/** The hooks of a cluster worker, or `undefined` in a process of its own. */
export function workerHooks(): WorkerHooks | undefined {
  if (!cluster.isWorker) return undefined;
  const controller = new AbortController();
  const stop = (reason: string) => controller.abort(reason);
  process.on('message', (message: WorkerMessage) => {
    if (message?.type === 'matey:shutdown') stop('reload');
  });
  // Ctrl-C reaches every process of the group: each worker finishes its own streams.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // A terminal hang-up reaches the group too; only the primary acts on SIGHUP (a reload).
  process.on('SIGHUP', () => {});
  // The primary gone (killed) leaves nobody to stop this worker: it stops by itself.
  process.once('disconnect', () => stop('primary gone'));
  return {
    signal: controller.signal,
    printBanner: process.env[BANNER_ENV] === '1',
    listening(url) {
      const message: WorkerMessage = { type: 'matey:listening', url };
      process.send?.(message);
    },
  };
}
