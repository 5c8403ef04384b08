import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { MockUpstreamRequest } from 'ai.matey.testing';
import { Redis } from 'ioredis';
import type { MockWorkerSettings } from './mock-worker.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('./mock-worker.ts', import.meta.url));

/** A worker process started by `forkMockWorker`. */
export interface MockWorkerProcess {
  name: string;
  child: ChildProcess;
  /** Resolves when the process has exited (by any means). */
  exited: Promise<void>;
}

/** Forks a worker process (see mock-worker.ts); resolves once it takes jobs. */
export function forkMockWorker(settings: MockWorkerSettings): Promise<MockWorkerProcess> {
  const child = fork(WORKER_SCRIPT, [JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--disable-warning=ExperimentalWarning'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${settings.name} not ready in 20 s`)), 20_000);
    child.once('message', () => {
      clearTimeout(timer);
      resolve({ name: settings.name, child, exited });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${settings.name} exited with ${code} before it was ready`));
    });
  });
}

/** Stops the workers still running (SIGTERM, then SIGKILL after 5 s). */
export async function stopWorkers(workers: readonly MockWorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async ({ child, exited }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** A BullMQ key prefix of its own per test run, so parallel runs never share a queue. */
export function uniqueQueuePrefix(label: string): string {
  return `matey-test-${label}-${randomUUID()}`;
}

/** Deletes every key under `prefix` (BullMQ's and the batch's own). */
export async function deleteQueueKeys(prefix: string): Promise<void> {
  const client = new Redis('redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** The item a chat call was for: its last user message, `item-<n>`. */
export function itemOfCall(request: MockUpstreamRequest): string | undefined {
  const messages = (request.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)
    ?.messages;
  const content = messages?.at(-1)?.content;
  return typeof content === 'string' ? content : undefined;
}

/** Upstream calls per item, from the mock's request log. */
export function callsPerItem(requests: readonly MockUpstreamRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const item = itemOfCall(request);
    if (item !== undefined) counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

/** The most calls that arrived within any window of `windowMs`. */
export function maxCallsInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let head = 0;
  for (let tail = 0; tail < sorted.length; tail++) {
    while ((sorted[tail] as number) - (sorted[head] as number) >= windowMs) head++;
    most = Math.max(most, tail - head + 1);
  }
  return most;
}

/** Calls a second between the first and the last call (n − 1 intervals over the span). */
export function achievedRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((times.length - 1) / span) * 1000 : 0;
}
