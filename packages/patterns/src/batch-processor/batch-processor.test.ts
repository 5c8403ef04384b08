import { appendFile, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Backend,
  type BackendCallOptions,
  type ChatRequest,
  type ChatResponse,
  errorFromStatus,
  InvalidRequestError,
  UpstreamServerError,
} from 'ai.matey.core';
import { abortableSleep } from 'ai.matey.testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchItemContext } from './batch-run.ts';
import { type BatchProcessorEvents, createBatchProcessor } from './create-batch-processor.ts';

interface LimitedServerOptions {
  /** Requests accepted per sliding window. */
  limit: number;
  windowMs: number;
  /** Send x-ratelimit-* headers (default true). */
  headers?: boolean;
  /** Answer these request numbers (1-based) with 429 and `retry-after: 1`, whatever the count. */
  force429?: number[];
}

/** A provider stand-in: a sliding-window requests limit, 429 with retry-after when over it. */
async function startLimitedServer(options: LimitedServerOptions) {
  const accepted: number[] = [];
  const stats = { requests: 0, rejected: 0, arrivals: [] as number[], rejections: [] as number[] };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const now = performance.now();
      const number = ++stats.requests;
      stats.arrivals.push(now);
      while (accepted.length > 0 && now - (accepted[0] as number) >= options.windowMs) accepted.shift();
      if (options.force429?.includes(number) || accepted.length >= options.limit) {
        stats.rejected++;
        stats.rejections.push(now);
        const waitMs = accepted.length > 0 ? (accepted[0] as number) + options.windowMs - now : 1000;
        const retryAfter = options.force429?.includes(number) ? 1 : Math.max(1, Math.ceil(waitMs / 1000));
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
        res.end(JSON.stringify({ error: { message: 'Rate limit exceeded' } }));
        return;
      }
      accepted.push(now);
      const body = JSON.parse(Buffer.concat(chunks).toString()) as ChatRequest;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.headers !== false) {
        headers['x-ratelimit-limit-requests'] = String(options.limit);
        headers['x-ratelimit-remaining-requests'] = String(options.limit - accepted.length);
        const resetMs = Math.ceil((accepted[0] as number) + options.windowMs - now);
        headers['x-ratelimit-reset-requests'] = `${resetMs}ms`;
      }
      res.writeHead(200, headers);
      res.end(JSON.stringify({ text: `echo ${body.messages[0]?.content}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
  return {
    url,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A Backend that calls the test server with fetch and reads its rate-limit headers. */
function httpBackend(url: string): Backend {
  const metadata = {
    name: 'limited',
    provider: 'limited',
    capabilities: { streaming: false, tools: false, vision: false, reasoning: false, jsonSchema: false },
  };
  return {
    metadata,
    async execute(request: ChatRequest, options?: BackendCallOptions): Promise<ChatResponse> {
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify(request),
        signal: options?.signal,
      });
      const body = (await res.json()) as { text?: string; error?: { message: string } };
      if (!res.ok) {
        const retryAfter = res.headers.get('retry-after');
        throw errorFromStatus(res.status, {
          message: body.error?.message ?? 'failed',
          provider: 'limited',
          retryAfterMs: retryAfter ? Number(retryAfter) * 1000 : undefined,
        });
      }
      const remaining = res.headers.get('x-ratelimit-remaining-requests');
      const reset = res.headers.get('x-ratelimit-reset-requests');
      return {
        id: 'x',
        model: 'limited-1',
        provider: 'limited',
        content: [{ type: 'text', text: body.text ?? '' }],
        finishReason: 'stop',
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
        warnings: [],
        ...(remaining && reset
          ? { rateLimit: { remainingRequests: Number(remaining), resetRequestsMs: Number.parseFloat(reset) } }
          : {}),
      };
    },
    stream: () => {
      throw new Error('not used');
    },
  };
}

const requests = (n: number): ChatRequest[] =>
  Array.from({ length: n }, (_, i) => ({ messages: [{ role: 'user', content: `item ${i}` }] }));

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function server(options: LimitedServerOptions) {
  const started = await startLimitedServer(options);
  closers.push(started.close);
  return started;
}

describe('createBatchProcessor against a rate-limited server', () => {
  it('runs 1,000 items at the allowed rate: no 429s, all succeed, results in input order', async () => {
    // 200/s allowed. The gate never admits more than 200 in any 1,005 ms (rate-gate.test.ts), but the
    // server counts arrivals: the first requests of a run wait for new connections (the second one
    // arrived ≈ 18 ms after its admission here), which is why the gate counts its first window 30 ms
    // late. The server tolerates 5% over the rate in any 1 s window for the rest of the jitter.
    const { url, stats } = await server({ limit: 210, windowMs: 1_000 });
    const processor = createBatchProcessor({ concurrency: 16, rateLimit: { requestsPerMinute: 12_000 } });
    const started = performance.now();
    const results = await processor.run(requests(1_000), httpBackend(url));
    const seconds = (performance.now() - started) / 1000;
    const ratio = 1_000 / seconds / 200;
    let busiest = 0;
    for (let first = 0, last = 0; last < stats.arrivals.length; last++) {
      while ((stats.arrivals[last] as number) - (stats.arrivals[first] as number) >= 1_000) first++;
      busiest = Math.max(busiest, last - first + 1);
    }
    console.log(
      `batch: 1000 items in ${seconds.toFixed(2)} s = ${(1_000 / seconds).toFixed(1)}/s, ${(ratio * 100).toFixed(1)}% of the allowed 200/s; busiest second at the server: ${busiest} arrivals`,
    );
    expect(stats.rejected).toBe(0);
    expect(results.every((r) => r.success)).toBe(true);
    expect(results.map((r) => (r.success ? r.result.content[0] : undefined))).toEqual(
      requests(1_000).map((_, i) => ({ type: 'text', text: `echo item ${i}` })),
    );
    expect(ratio).toBeGreaterThanOrEqual(0.9);
    expect(ratio).toBeLessThanOrEqual(1.05);
  });

  it('(control) without pacing the same kind of server answers 429s', async () => {
    const { url, stats } = await server({ limit: 50, windowMs: 1_000, headers: false });
    const processor = createBatchProcessor({ concurrency: 16, retry: { maxAttempts: 1 } });
    const results = await processor.run(requests(150), httpBackend(url));
    expect(stats.rejected).toBeGreaterThan(0);
    expect(results.filter((r) => !r.success && r.error.kind === 'rate-limited')).toHaveLength(stats.rejected);
  });

  it("pauses when the provider's headers say no requests remain, so none is refused", async () => {
    const { url, stats } = await server({ limit: 5, windowMs: 300 });
    const processor = createBatchProcessor({ concurrency: 1 });
    const pauses: Array<BatchProcessorEvents['pause']> = [];
    processor.on('pause', (pause) => pauses.push(pause));
    const results = await processor.run(requests(12), httpBackend(url));
    expect(results.every((r) => r.success)).toBe(true);
    expect(stats.rejected).toBe(0);
    expect(pauses.length).toBeGreaterThanOrEqual(2);
    expect(pauses.every((p) => p.reason === 'rate-limit-headers')).toBe(true);
  });

  it('a 429 with retry-after: 1 pauses the whole scheduler, then the batch finishes', async () => {
    const { url, stats } = await server({ limit: 1_000, windowMs: 1_000, force429: [5] });
    const processor = createBatchProcessor({ concurrency: 2, rateLimit: { requestsPerMinute: 6_000 } });
    const pauses: Array<BatchProcessorEvents['pause']> = [];
    processor.on('pause', (pause) => pauses.push(pause));
    const results = await processor.run(requests(20), httpBackend(url));
    expect(results.every((r) => r.success)).toBe(true);
    expect(stats.rejected).toBe(1);
    expect(pauses).toEqual([{ ms: 1_000, reason: 'retry-after' }]);
    const rejectedAt = stats.rejections[0] as number;
    // Only a call already in flight may arrive just after the 429; then nothing for the pause.
    const duringPause = stats.arrivals.filter((t) => t > rejectedAt + 50 && t < rejectedAt + 950);
    expect(duringPause).toEqual([]);
    expect(results.find((r) => r.index === 4)?.attempts).toBe(2);
  });
});

describe('createBatchProcessor', () => {
  it('resumes from its checkpoint after a cancel and a torn line: every item done exactly once', async () => {
    const path = join(tmpdir(), `ai-matey-batch-${process.pid}-${Date.now()}.jsonl`);
    closers.push(() => rm(path, { force: true }));
    const items = Array.from({ length: 100 }, (_, i) => i);
    const calls: Array<{ run: number; index: number; ok?: boolean }> = [];
    let run = 1;
    const executor = async (n: number, { index, signal }: BatchItemContext) => {
      const call: { run: number; index: number; ok?: boolean } = { run, index };
      calls.push(call);
      await abortableSleep(5, signal);
      call.ok = true;
      return n * 2;
    };
    const options = { concurrency: 4, rateLimit: { requestsPerMinute: 60_000 }, checkpoint: { path } };

    const controller = new AbortController();
    const first = createBatchProcessor(options);
    first.on('progress', ({ done }) => {
      if (done === 50) controller.abort();
    });
    await expect(first.process(items, executor, { signal: controller.signal })).rejects.toMatchObject({
      kind: 'cancelled',
    });
    const finishedFirst = new Set(calls.filter((c) => c.ok).map((c) => c.index));
    expect(finishedFirst.size).toBeGreaterThanOrEqual(50);
    expect(finishedFirst.size).toBeLessThan(100);
    // The process "crashed" mid-write:
    await appendFile(path, '{"index":99,"ok":tr');

    run = 2;
    const results = await createBatchProcessor(options).process(items, executor);
    expect(results.map((r) => (r.success ? r.result : undefined))).toEqual(items.map((n) => n * 2));
    expect(results.filter((r) => r.fromCheckpoint)).toHaveLength(finishedFirst.size);

    const secondRun = calls.filter((c) => c.run === 2).map((c) => c.index);
    expect(new Set(secondRun).size).toBe(secondRun.length);
    expect(secondRun.filter((index) => finishedFirst.has(index))).toEqual([]);
    expect(new Set([...finishedFirst, ...secondRun]).size).toBe(100);
    const successes = calls.filter((c) => c.ok).map((c) => c.index);
    expect(successes.sort((a, b) => a - b)).toEqual(items);

    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(100);
    expect(new Set(lines.map((line) => (JSON.parse(line) as { index: number }).index)).size).toBe(100);
  });

  it('retries retryable errors with backoff and records the rest as failures', async () => {
    const processor = createBatchProcessor({ concurrency: 4, retry: { maxAttempts: 3, baseDelayMs: 5 } });
    const retries: number[] = [];
    processor.on('retry', ({ index }) => retries.push(index));
    const results = await processor.process([0, 1, 2, 3], async (n, { attempt }) => {
      if (n === 3) throw new InvalidRequestError({ message: 'bad item' });
      if (n % 2 === 0 && attempt === 1) throw new UpstreamServerError({ message: 'flaky', status: 500 });
      return `ok ${n}`;
    });
    expect(results.map((r) => [r.success, r.attempts])).toEqual([
      [true, 2],
      [true, 1],
      [true, 2],
      [false, 1],
    ]);
    expect(retries.sort()).toEqual([0, 2]);
  });

  it('cancels: calls in flight are aborted, pending ones never start', async () => {
    const signals: AbortSignal[] = [];
    const processor = createBatchProcessor({ concurrency: 2 });
    const controller = new AbortController();
    const pending = processor.process(
      Array.from({ length: 10 }, (_, i) => i),
      async (_n, { signal }) => {
        signals.push(signal);
        if (signals.length === 2) setTimeout(() => controller.abort(), 5);
        await abortableSleep(10_000, signal);
      },
      { signal: controller.signal },
    );
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });

  it('reports progress with rate and ETA', async () => {
    const processor = createBatchProcessor({ concurrency: 2, rateLimit: { requestsPerMinute: 30_000 } });
    const progress: Array<BatchProcessorEvents['progress']> = [];
    processor.on('progress', (p) => progress.push(p));
    await processor.process([1, 2, 3, 4, 5, 6], async (n) => n);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toMatchObject({ total: 6, failed: 0, inFlight: 0, pending: 0 });
    expect(progress[2]?.ratePerSecond).toBeGreaterThan(0);
    expect(progress[2]?.etaMs).toBeGreaterThanOrEqual(3 * 2); // at least 3 more slots of 2 ms
  });
});
