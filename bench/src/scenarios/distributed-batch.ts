import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createBullmqBatch, limiterFromRateLimit, limiterRatePerSecond } from 'ai.matey.batch.bullmq';
import { type ChatRequest, type ChatResponse, responseText } from 'ai.matey.core';
import { createBatchProcessor } from 'ai.matey.patterns';
import { type MockUpstreamRequest, startMockUpstream } from 'ai.matey.testing';
import { Redis } from 'ioredis';
import type { MockWorkerSettings as BatchQueueWorkerSettings } from '../../../packages/batch-bullmq/src/test-support/mock-worker.ts';
import { round } from '../processes/child-server.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface DistributedBatchResult {
  items: number;
  workers: number;
  concurrencyPerWorker: number;
  allowedPerSecond: number;
  /** BullMQ's limiter the allowed rate became. */
  limiter: { max: number; duration: number };
  upstreamLatencyMs: number;
  /** When the worker was killed, as a share of the items the upstream had seen. */
  killedAfterItems: number;
  /** Calls the killed worker had in flight (their items are the only ones that may be called twice). */
  abandonedCalls: number;
  /** Items with no result, or missing from the upstream's log. */
  lost: number;
  /** Items whose result was stored or written more than once. */
  duplicatedResults: number;
  /** Items called twice upstream (the abandoned calls redone by another worker). */
  repeatedCalls: number;
  upstreamCalls: number;
  /** Upstream calls a second, first to last call. */
  achievedPerSecond: number;
  ratioToAllowed: number;
  /** The most calls in any one-second window. */
  maxCallsInOneSecond: number;
  /** The most calls in any five-second window, a second's worth. */
  maxPerSecondOverFiveSeconds: number;
  seconds: number;
}

// The package's own test worker: an OpenAI adapter on the mock upstream under `startBatchWorker`.
const WORKER_SCRIPT = fileURLToPath(
  new URL('../../../packages/batch-bullmq/src/test-support/mock-worker.ts', import.meta.url),
);

/**
 * A distributed batch (`createBatchProcessor` + `createBullmqBatch`, submit only) worked by three
 * worker processes on the local Redis, one SIGKILLed a third of the way in: items lost, results
 * duplicated, and the achieved rate against the one global limit.
 */
export async function runDistributedBatch(context: ScenarioContext): Promise<DistributedBatchResult> {
  // Long enough that the workers' first second (JIT, first connections) is a small part of the run.
  const items = context.smoke ? 200 : 1_000;
  const allowedPerSecond = 50;
  // Enough that two workers alone keep 50/s × (100 ms + overhead on a loaded machine) in flight.
  const concurrencyPerWorker = 10;
  const upstreamLatencyMs = 100;
  const rateLimit = { requestsPerMinute: allowedPerSecond * 60 };
  const limiter = limiterFromRateLimit(rateLimit);
  const prefix = `matey-bench-${randomUUID()}`;
  const upstream = await startMockUpstream({ defaults: { latencyMs: upstreamLatencyMs } });
  const workers: ChildProcess[] = [];
  try {
    const settings = (name: string): BatchQueueWorkerSettings => ({
      upstreamUrl: upstream.url,
      prefix,
      queue: 'batch',
      name,
      concurrency: concurrencyPerWorker,
      limiter,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
    });
    workers.push(...(await Promise.all(['w0', 'w1', 'w2'].map((name) => forkWorker(settings(name))))));
    const processor = createBatchProcessor({
      rateLimit,
      distributed: createBullmqBatch({
        prefix,
        queue: 'batch',
        batchId: 'bench',
        work: false,
        pollIntervalMs: 100,
      }),
    });
    const requests: ChatRequest[] = Array.from({ length: items }, (_, i) => ({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `item-${i}` }],
    }));
    const written = new Map<number, number>();
    processor.on('item', ({ result }) => written.set(result.index, (written.get(result.index) ?? 0) + 1));
    const started = performance.now();
    const running = processor.run(requests, { execute: () => Promise.reject(new Error('submit only')) });

    const killedAfterItems = Math.floor(items / 3);
    await upstream.waitForRequests(killedAfterItems, 60_000);
    const inFlight = () =>
      upstream.requests.filter((r) => r.headers['x-batch-worker'] === 'w0' && r.completedAt === undefined)
        .length;
    while (inFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const abandonedCalls = inFlight();
    workers[0]?.kill('SIGKILL');
    const results = await running;
    const seconds = (performance.now() - started) / 1000;

    const calls = callsPerItem(upstream.requests);
    const times = upstream.requests.map((request) => request.time);
    const achievedPerSecond = achievedRate(times);
    const lost = results.filter(
      (result, index) => !result?.success || !isAnswerTo(result.result, index),
    ).length;
    const result: DistributedBatchResult = {
      items,
      workers: 3,
      concurrencyPerWorker,
      allowedPerSecond: limiterRatePerSecond(limiter),
      limiter,
      upstreamLatencyMs,
      killedAfterItems,
      abandonedCalls,
      lost: lost + (items - calls.size),
      duplicatedResults: [...written.values()].filter((count) => count > 1).length + (items - written.size),
      repeatedCalls: [...calls.values()].reduce((sum, count) => sum + count - 1, 0),
      upstreamCalls: upstream.requests.length,
      achievedPerSecond: round(achievedPerSecond, 1),
      ratioToAllowed: round(achievedPerSecond / allowedPerSecond, 4),
      maxCallsInOneSecond: maxCallsInWindow(times, 1_000),
      maxPerSecondOverFiveSeconds: round(maxCallsInWindow(times, 5_000) / 5, 1),
      seconds: round(seconds, 2),
    };
    context.log(
      `distributed batch: ${items} items, 3 workers, w0 killed with ${abandonedCalls} in flight: lost ${result.lost}, ` +
        `duplicated ${result.duplicatedResults}, repeated calls ${result.repeatedCalls}, ` +
        `${result.achievedPerSecond}/s = ${(result.ratioToAllowed * 100).toFixed(1)}% of ${allowedPerSecond}/s, ` +
        `max ${result.maxCallsInOneSecond} in 1 s, ${result.maxPerSecondOverFiveSeconds}/s over 5 s`,
    );
    return result;
  } finally {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
    await upstream.close();
    await deleteKeys(prefix);
  }
}

function isAnswerTo(response: ChatResponse, index: number): boolean {
  return responseText(response).includes(`item-${index}`);
}

function forkWorker(settings: BatchQueueWorkerSettings): Promise<ChildProcess> {
  const child = fork(WORKER_SCRIPT, [JSON.stringify(settings)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: ['--disable-warning=ExperimentalWarning'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`batch worker ${settings.name} exited with ${code}`)));
  });
}

function callsPerItem(requests: readonly MockUpstreamRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const messages = (request.body as { messages?: Array<{ content: unknown }> } | undefined)?.messages;
    const item = String(messages?.at(-1)?.content);
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

function achievedRate(times: readonly number[]): number {
  const span = Math.max(...times) - Math.min(...times);
  return times.length > 1 && span > 0 ? ((times.length - 1) / span) * 1000 : 0;
}

function maxCallsInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let tail = 0, head = 0; tail < sorted.length; tail++) {
    while ((sorted[tail] as number) - (sorted[head] as number) >= windowMs) head++;
    most = Math.max(most, tail - head + 1);
  }
  return most;
}

async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis('redis://127.0.0.1:6379');
  const keys = await client.keys(`${prefix}:*`);
  if (keys.length > 0) await client.del(...keys);
  client.disconnect();
}
