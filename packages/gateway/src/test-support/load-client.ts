import { Worker } from 'node:worker_threads';
import type { TimedReply } from './timed-calls.ts';

/** One call for the load client: a JSON POST. */
export interface CallSpec {
  url: string;
  body: unknown;
  headers?: Record<string, string>;
}

// Runs in the worker: fires every call of a batch at once over node:http (lighter than fetch, so
// the load generator takes less of the machine), timing each to the end of its body.
const workerSource = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
function timed(spec) {
  const started = performance.now();
  const payload = JSON.stringify(spec.body);
  return new Promise((resolve) => {
    const done = (status, headers, text) => {
      let body = text;
      try { body = JSON.parse(text); } catch {}
      resolve({ status, ms: performance.now() - started, headers, body });
    };
    const request = http.request(spec.url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(spec.headers || {}) },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => done(response.statusCode, response.headers, text));
      response.on('error', (error) => done(0, {}, String(error)));
    });
    request.on('error', (error) => done(0, {}, String(error)));
    request.end(payload);
  });
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
