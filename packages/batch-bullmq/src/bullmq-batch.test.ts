import { OpenAIBackendAdapter } from 'ai.matey.backend';
import type { ChatRequest } from 'ai.matey.core';
import { createBatchProcessor, lastUserText } from 'ai.matey.patterns';
import { type MockUpstream, type MockUpstreamReply, startMockUpstream } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqBatch } from './bullmq-batch.ts';
import { deleteQueueKeys, uniqueQueuePrefix } from './test-support/worker-fleet.ts';

let upstream: MockUpstream | undefined;
let prefix: string | undefined;

afterEach(async () => {
  await upstream?.close();
  if (prefix) await deleteQueueKeys(prefix);
  upstream = undefined;
  prefix = undefined;
});

function requests(count: number): ChatRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `item-${i}` }],
  }));
}

/** A batch worked by this process alone (its own worker), against a mock upstream answering `reply`. */
async function runHere(
  count: number,
  reply: (item: string, call: number) => MockUpstreamReply,
  maxAttempts = 1,
) {
  let calls = 0;
  upstream = await startMockUpstream({ reply: (request) => reply(lastUserText(request), calls++) });
  prefix = uniqueQueuePrefix('bullmq-batch');
  const adapter = new OpenAIBackendAdapter({ apiKey: 'test-key', baseURL: `${upstream.url}/v1` });
  const processor = createBatchProcessor({
    concurrency: 3,
    // One attempt by default: an item that needed a retry of its own would fail.
    retry: { maxAttempts, baseDelayMs: 100 },
    distributed: createBullmqBatch({ prefix, queue: 'batch', pollIntervalMs: 50 }),
  });
  return processor.run(requests(count), adapter);
}

describe('createBullmqBatch in one process', () => {
  it("pauses the whole queue for a provider's retry-after, and the item goes back without using its attempt", async () => {
    const results = await runHere(8, (item, call) =>
      call === 0 ? { status: 429, retryAfterMs: 1_500 } : { text: `done ${item}` },
    );
    expect(results.every((result) => result.success)).toBe(true);
    const [first, ...rest] = upstream?.requests ?? [];
    // Jobs the worker had taken before the 429 came back may still land (a loaded machine
    // delays them); after that, nothing starts until the 1.5 s are over, then the rest.
    const answeredAt = first?.completedAt ?? 0;
    expect(rest.filter((r) => r.time > answeredAt + 300 && r.time < answeredAt + 1_400)).toEqual([]);
    expect(rest.filter((r) => r.time >= answeredAt + 1_400).length).toBeGreaterThanOrEqual(5);
  });

  it('pauses for rate-limit headers saying nothing is left', async () => {
    const exhausted: Record<string, string> = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
    };
    const results = await runHere(8, (item, call) => ({
      text: `done ${item}`,
      headers: call === 0 ? exhausted : { 'x-ratelimit-remaining-requests': '100' },
    }));
    expect(results.every((result) => result.success)).toBe(true);
    const [first, ...rest] = upstream?.requests ?? [];
    const answeredAt = first?.completedAt ?? 0;
    expect(rest.filter((r) => r.time > answeredAt + 300 && r.time < answeredAt + 900)).toEqual([]);
    expect(rest.filter((r) => r.time >= answeredAt + 900).length).toBeGreaterThan(0);
  });

  it('stores a failure that is not worth retrying as the typed error of its kind, in input order', async () => {
    const results = await runHere(3, (item) =>
      item === 'item-1' ? { status: 400, errorMessage: 'bad item' } : { text: `done ${item}` },
    );
    expect(results.map((result) => result.success)).toEqual([true, false, true]);
    const failure = results[1];
    expect(failure?.success === false && failure.error.toJSON()).toMatchObject({
      kind: 'invalid-request',
      status: 400,
    });
    expect(upstream?.requests).toHaveLength(3);
  });

  it('retries a retryable failure with backoff while attempts are left, through the queue', async () => {
    const results = await runHere(
      3,
      (item, call) => (call === 0 ? { status: 503 } : { text: `done ${item}` }),
      3,
    );
    expect(results.map((result) => result.success)).toEqual([true, true, true]);
    expect(results.map((result) => result.attempts).sort()).toEqual([1, 1, 2]);
    expect(upstream?.requests).toHaveLength(4);
  });

  it('a cancelled submitter hands its unfinished items back: the next run does them, none stored as failed', async () => {
    upstream = await startMockUpstream({
      reply: (_request, { callIndex }) => (callIndex < 3 ? { latencyMs: 10_000 } : {}),
    });
    prefix = uniqueQueuePrefix('bullmq-cancel');
    const adapter = new OpenAIBackendAdapter({ apiKey: 'test-key', baseURL: `${upstream.url}/v1` });
    const processor = () =>
      createBatchProcessor({
        concurrency: 3,
        distributed: createBullmqBatch({
          prefix,
          queue: 'batch',
          batchId: 'cancelled',
          pollIntervalMs: 50,
          worker: { lockDurationMs: 1_000, stalledIntervalMs: 500 },
        }),
      });
    const controller = new AbortController();
    const first = processor().run(requests(3), adapter, { signal: controller.signal });
    await upstream.waitForRequests(3);
    controller.abort();
    await expect(first).rejects.toMatchObject({ kind: 'cancelled' });

    const results = await processor().run(requests(3), adapter);
    expect(results.map((result) => result.success && !result.fromCheckpoint)).toEqual([true, true, true]);
    expect(upstream.requests).toHaveLength(6);
  });
});
