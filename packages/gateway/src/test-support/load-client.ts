import { Worker } from 'node:worker_threads';
import type { TimedReply } from './timed-calls.ts';

/** One call for the load client: a JSON POST. */
export interface CallSpec {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
}

// Runs in the worker: fires every call of a batch at once with fetch, times each to the end of its body.
const workerSource = `
const { parentPort } = require('node:worker_threads');
async function timed(spec) {
  const started = performance.now();
  try {
    const response = await fetch(spec.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(spec.headers || {}) },
      body: JSON.stringify(spec.body),
    });
    const text = await response.text();
    let body = text;
    try { body = JSON.parse(text); } catch {}
    return { status: response.status, ms: performance.now() - started, headers: Object.fromEntries(response.headers), body };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, headers: {}, body: String(error) };
  }
}
parentPort.on('message', async ({ id, specs }) => {
  parentPort.postMessage({ id, results: await Promise.all(specs.map(timed)) });
});
`;

/**
 * Sends batches of calls from a worker thread, so the load generator's own work (building
 * requests, parsing replies) does not run on the event loop of the gateway it measures.
 */
export class LoadClient {
  readonly #worker = new Worker(workerSource, { eval: true });
  readonly #pending = new Map<number, (results: TimedReply[]) => void>();
  #next = 0;

  constructor() {
    this.#worker.on(
      'message',
      ({
        id,
        results,
      }: {
        id: number;
        results: Array<Omit<TimedReply, 'headers'> & { headers: Record<string, string> }>;
      }) => {
        this.#pending.get(id)?.(
          results.map((result) => ({ ...result, headers: new Headers(result.headers) })),
        );
        this.#pending.delete(id);
      },
    );
  }

  /** Sends every call at once; resolves with their replies, in order. */
  run(specs: readonly CallSpec[]): Promise<TimedReply[]> {
    const id = this.#next++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ id, specs });
    });
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
