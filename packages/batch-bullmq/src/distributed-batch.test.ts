import { type ChatRequest, type ChatResponse, responseText } from 'ai.matey.core';
import { createBatchProcessor } from 'ai.matey.patterns';
import { type MockUpstream, startMockUpstream } from 'ai.matey.testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBatchStatus } from './batch-status.ts';
import { createBullmqBatch } from './bullmq-batch.ts';
import { limiterFromRateLimit, limiterRatePerSecond } from './limiter-from-rate-limit.ts';
import {
  achievedRate,
  callsPerItem,
  deleteQueueKeys,
  forkMockWorker,
  itemOfCall,
  type MockWorkerProcess,
  maxCallsInWindow,
  stopWorkers,
  uniqueQueuePrefix,
} from './test-support/worker-fleet.ts';

// Six seconds of work at 20/s: the dead worker's items (back within ~4.5 s of the kill) rejoin
// while the others still have a backlog, so the run's rate can be held to the limit.
const ITEMS = 120;
const RATE_LIMIT = { requestsPerMinute: 1_200 }; // 20 a second
const ALLOWED_PER_SECOND = 20;

function itemRequests(count: number): ChatRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `item-${i}` }],
  }));
}

/** The submitter works on nothing itself: every call goes through the worker processes. */
const nobodyHere = {
  execute(): Promise<ChatResponse> {
    throw new Error('the submitter should not run items when work is false');
  },
};

describe('a distributed batch on BullMQ, three worker processes, one killed', () => {
  let upstream: MockUpstream;
  let prefix: string;
  let workers: MockWorkerProcess[] = [];

  beforeEach(async () => {
    upstream = await startMockUpstream({ defaults: { latencyMs: 150 } });
    prefix = uniqueQueuePrefix('distbatch');
  });

  afterEach(async () => {
    await stopWorkers(workers);
    workers = [];
    await upstream.close();
    await deleteQueueKeys(prefix);
  });

  it('loses nothing, duplicates no result, writes input order and holds the global rate', async () => {
    const limiter = limiterFromRateLimit(RATE_LIMIT);
    expect(limiterRatePerSecond(limiter)).toBe(ALLOWED_PER_SECOND);
    workers = await Promise.all(
      ['w0', 'w1', 'w2'].map((name) =>
        forkMockWorker({
          upstreamUrl: upstream.url,
          prefix,
          queue: 'batch',
          name,
          concurrency: 4,
          limiter,
          // Short, so the dead worker's items move on within the test; long enough that a live
          // worker on a loaded machine renews its locks in time (at half the duration).
          lockDurationMs: 3_000,
          stalledIntervalMs: 1_000,
        }),
      ),
    );
    const batch = () =>
      createBullmqBatch({
        prefix,
        queue: 'batch',
        batchId: 'nightly',
        work: false,
        itemId: (item) => String((item as ChatRequest).messages[0]?.content),
      });
    const processor = createBatchProcessor({ rateLimit: RATE_LIMIT, distributed: batch() });
    const running = processor.run(itemRequests(ITEMS), nobodyHere);

    // Kill w0 once it has calls in flight, a sixth of the way in.
    const inFlightOf = (name: string) =>
      upstream.requests.filter((r) => r.headers['x-batch-worker'] === name && r.completedAt === undefined);
    await upstream.waitForRequests(ITEMS / 6, 15_000);
    while (inFlightOf('w0').length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const abandoned = inFlightOf('w0').length;
    workers[0]?.child.kill('SIGKILL');

    const results = await running;
    expect(results.map((result) => result.index)).toEqual([...Array(ITEMS).keys()]);
    for (const [index, result] of results.entries()) {
      expect(result.success, `item ${index}`).toBe(true);
      if (result.success) expect(responseText(result.result)).toContain(`item-${index}`);
    }

    // Nothing lost: every item reached the upstream. The only items called twice are ones w0 had
    // in flight when it died (at most its 4 slots), each redone once by another worker.
    const calls = callsPerItem(upstream.requests);
    expect(calls.size).toBe(ITEMS);
    expect(abandoned).toBeGreaterThan(0);
    const repeated = [...calls].filter(([, count]) => count > 1);
    expect(repeated.length).toBeLessThanOrEqual(4);
    for (const [item, count] of repeated) {
      expect(count, item).toBe(2);
      const first = upstream.requests.find((request) => itemOfCall(request) === item);
      expect(first?.headers['x-batch-worker'], item).toBe('w0');
    }

    // Each item stored once, and progress visible from any process.
    const status = await readBatchStatus({ prefix, queue: 'batch', batchId: 'nightly' });
    expect(status).toMatchObject({ total: ITEMS, done: ITEMS, failed: 0, pending: 0 });

    // The global limit held. BullMQ admits 2 per 100 ms window; arrivals jitter on a loaded
    // machine (a stalled event loop sends several admitted calls at once), so one second gets
    // room, while the run as a whole must stay at the limit. Without the limiter, 12 slots at
    // 150 ms would send about 80 a second.
    const times = upstream.requests.map((request) => request.time);
    expect(maxCallsInWindow(times, 1_000)).toBeLessThanOrEqual(ALLOWED_PER_SECOND * 1.5);
    expect(achievedRate(times)).toBeLessThanOrEqual(ALLOWED_PER_SECOND * 1.15);
    expect(achievedRate(times)).toBeGreaterThan(ALLOWED_PER_SECOND * 0.7);

    // The same batch again (a crashed submitter rerun, say): every result is read back, nothing is redone.
    const before = upstream.requests.length;
    const again = await createBatchProcessor({ rateLimit: RATE_LIMIT, distributed: batch() }).run(
      itemRequests(ITEMS),
      nobodyHere,
    );
    expect(upstream.requests.length).toBe(before);
    expect(again.every((result) => result.success && result.fromCheckpoint)).toBe(true);
  }, 45_000);
});
