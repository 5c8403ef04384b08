import cluster, { type Worker } from 'node:cluster';
import { BANNER_ENV, type WorkerMessage } from './worker-side.ts';

/** How long a new worker may take to start serving before the start (or reload) is given up. */
const START_TIMEOUT_MS = 60_000;

/** A worker that did not come up: its exit code (2 for a config error), or none when it timed out. */
export class WorkerStartError extends Error {
  readonly exitCode: number | null;

  constructor(exitCode: number | null) {
    super(exitCode === null ? 'a worker did not start in time' : `a worker exited with code ${exitCode}`);
    this.exitCode = exitCode;
  }
}

/**
 * The primary's worker processes: started one at a time until each serves, replaced when one
 * dies unexpectedly, replaced one by one on a reload, and asked to finish on a stop.
 */
export class WorkerPool {
  readonly #size: number;
  readonly #onNote: (text: string) => void;
  #workers: Worker[] = [];
  /** Workers asked to finish: their exit is expected, not a crash. */
  readonly #retiring = new Set<Worker>();
  #stopping = false;
  #url = '';

  constructor(size: number, onNote: (text: string) => void) {
    this.#size = size;
    this.#onNote = onNote;
  }

  get url(): string {
    return this.#url;
  }

  get pids(): number[] {
    return this.#workers.map((worker) => worker.process.pid ?? 0);
  }

  /** Starts every worker (the first prints the banner); rejects with the first that failed. */
  async start(): Promise<void> {
    for (let index = 0; index < this.#size; index++) {
      this.#workers.push(await this.#fork(index === 0));
    }
  }

  /**
   * Replaces each worker by a new one, one at a time: the new one serves before the old one is
   * asked to finish, so the port never goes unserved and in-flight streams end normally.
   */
  async reload(): Promise<void> {
    const before = this.pids;
    for (let index = 0; index < this.#workers.length; index++) {
      const old = this.#workers[index] as Worker;
      this.#workers[index] = await this.#fork(false);
      this.#retire(old);
    }
    this.#onNote(`reloaded: workers ${before.join(', ')} → ${this.pids.join(', ')}`);
  }

  /** Asks every worker to finish its in-flight calls and waits until all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const exits = this.#workers.map((worker) => exited(worker));
    for (const worker of this.#workers) this.#retire(worker);
    await Promise.all([...exits, ...[...this.#retiring].map((worker) => exited(worker))]);
  }

  #retire(worker: Worker): void {
    this.#retiring.add(worker);
    const message: WorkerMessage = { type: 'matey:shutdown' };
    if (worker.isConnected()) worker.send(message);
    void exited(worker).then(() => this.#retiring.delete(worker));
  }

  #fork(printBanner: boolean): Promise<Worker> {
    const worker = cluster.fork(printBanner ? { [BANNER_ENV]: '1' } : {});
    return new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.process.kill('SIGKILL');
        reject(new WorkerStartError(null));
      }, START_TIMEOUT_MS);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new WorkerStartError(code));
      };
      worker.once('exit', onExit);
      worker.on('message', (message: WorkerMessage) => {
        if (message?.type !== 'matey:listening') return;
        clearTimeout(timer);
        this.#url = message.url;
        worker.off('exit', onExit);
        worker.once('exit', (code, signal) => this.#onExit(worker, code, signal));
        resolve(worker);
      });
    });
  }

  /** A worker that was not asked to finish died: say so and start another in its place. */
  #onExit(worker: Worker, code: number | null, signal: string | null): void {
    if (this.#stopping || this.#retiring.has(worker)) return;
    const index = this.#workers.indexOf(worker);
    if (index === -1) return;
    this.#onNote(`worker ${worker.process.pid} exited (${signal ?? `code ${code}`}): starting another`);
    this.#fork(false).then(
      (replacement) => {
        this.#workers[index] = replacement;
        this.#onNote(`worker ${worker.process.pid} replaced by ${replacement.process.pid}`);
      },
      (error: Error) => this.#onNote(`could not replace the worker: ${error.message}`),
    );
  }
}

function exited(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}
