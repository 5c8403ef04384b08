import { Worker } from 'node:worker_threads';
import type { MockUpstreamReply } from 'ai.matey.testing';

/** Mock upstreams running in a worker thread: their URLs, their request counts, and a close. */
export interface UpstreamWorker {
  urls: string[];
  /** Requests upstream `index` has received. */
  count(index: number): Promise<number>;
  /** Resolves once upstream `index` has received `count` requests (bounded). */
  waitForRequests(index: number, count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts one mock upstream per reply in a worker thread, so the upstreams' work (parsing calls,
 * writing replies) does not run on the event loop of the gateway a load test measures.
 */
export async function startUpstreamWorker(replies: MockUpstreamReply[]): Promise<UpstreamWorker> {
  const worker = new Worker(new URL('./upstream-worker.ts', import.meta.url), { workerData: replies });
  const pending = new Map<number, (value: number) => void>();
  let next = 0;
  const urls = await new Promise<string[]>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { ready: string[] }) => resolve(message.ready));
  });
  worker.on('message', ({ id, value }: { id: number; value: number }) => {
    pending.get(id)?.(value);
    pending.delete(id);
  });
  const ask = (type: 'count' | 'close', index?: number) =>
    new Promise<number>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      worker.postMessage({ id, type, index });
    });
  return {
    urls,
    count: (index) => ask('count', index),
    async waitForRequests(index, count, timeoutMs = 10_000) {
      const deadline = performance.now() + timeoutMs;
      while ((await ask('count', index)) < count) {
        if (performance.now() > deadline) throw new Error(`upstream ${index} did not see ${count} requests`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await ask('close');
      await worker.terminate();
    },
  };
}
