import {
  AllBackendsFailedError,
  type Backend,
  type BackendCallOptions,
  type ChatRequest,
  responseText,
  UpstreamServerError,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createParallelAggregator, type ParallelAggregatorEvents } from './create-parallel-aggregator.ts';
import { longestResponse, majorityVote } from './selectors.ts';

const request: ChatRequest = { messages: [{ role: 'user', content: 'What is the capital of France?' }] };

/** Remembers the signal each call got, to prove losers are aborted. */
function spy(backend: MockBackend): Backend & { signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  return {
    signals,
    metadata: backend.metadata,
    execute(req: ChatRequest, options?: BackendCallOptions) {
      if (options?.signal) signals.push(options.signal);
      return backend.execute(req, options);
    },
    stream(req: ChatRequest, options?: BackendCallOptions) {
      if (options?.signal) signals.push(options.signal);
      return backend.stream(req, options);
    },
  };
}

const boom = () => new UpstreamServerError({ message: 'boom', provider: 'broken', status: 500 });

describe('createParallelAggregator', () => {
  it("'all' settles every provider, failures included, in backend order, with events", async () => {
    const aggregator = createParallelAggregator({
      strategy: 'all',
      backends: [
        new MockBackend({ name: 'openai', reply: { text: 'Paris', latencyMs: 30 } }),
        new MockBackend({ name: 'broken', reply: { error: boom() } }),
        new MockBackend({ name: 'groq', reply: { text: 'Paris.' } }),
      ],
    });
    const seen: string[] = [];
    aggregator.on('response', ({ provider, success }) => seen.push(`${provider}:${success}`));
    aggregator.on('error', ({ provider, error }) => seen.push(`${provider}:${error.kind}`));
    const { results, response, provider } = await aggregator.execute(request);
    expect(results.map((r) => [r.provider, r.success])).toEqual([
      ['openai', true],
      ['broken', false],
      ['groq', true],
    ]);
    expect(results.every((r) => r.durationMs >= 0)).toBe(true);
    expect(seen).toEqual(['broken:upstream-server', 'groq:true', 'openai:true']);
    expect(provider).toBe('openai');
    expect(response && responseText(response)).toBe('Paris');
  });

  it("'first-success' answers with the first success and aborts the slower calls", async () => {
    const slow = spy(new MockBackend({ name: 'slow', reply: { text: 'late', latencyMs: 5_000 } }));
    const aggregator = createParallelAggregator({
      strategy: 'first-success',
      backends: [
        slow,
        new MockBackend({ name: 'broken', reply: { error: boom() } }),
        new MockBackend({ name: 'fast', reply: { text: 'Paris', latencyMs: 20 } }),
      ],
    });
    const cancelled: string[] = [];
    aggregator.on('cancelled', ({ provider }) => cancelled.push(provider));
    const { provider, response, results } = await aggregator.execute(request);
    expect(provider).toBe('fast');
    expect(response && responseText(response)).toBe('Paris');
    expect(slow.signals[0]?.aborted).toBe(true);
    expect(slow.signals[0]?.reason.kind).toBe('cancelled');
    expect(cancelled).toEqual(['slow']);
    expect(results.find((r) => r.provider === 'slow')).toMatchObject({ success: false, cancelled: true });
    expect(results.find((r) => r.provider === 'broken')).toMatchObject({ success: false });
  });

  it("'first-success' with chunk listeners streams every provider and cancels the losing streams", async () => {
    const slow = new MockBackend({ name: 'slow', reply: { text: 'late answer', latencyMs: 5_000 } });
    const fast = new MockBackend({ name: 'fast', reply: { text: 'Paris is the capital' } });
    const aggregator = createParallelAggregator({ strategy: 'first-success', backends: [slow, fast] });
    const chunks: string[] = [];
    aggregator.on('chunk', ({ provider, event }) => {
      if (event.type === 'text-delta') chunks.push(`${provider}:${event.delta}`);
    });
    const { provider } = await aggregator.execute(request);
    expect(provider).toBe('fast');
    expect(chunks).toEqual(['fast:Paris ', 'fast:is ', 'fast:the ', 'fast:capital']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slow.cancelledStreams).toBe(1);
    expect(fast.cancelledStreams).toBe(0);
  });

  it("'first-success' throws AllBackendsFailedError with each attempt when every provider fails", async () => {
    const aggregator = createParallelAggregator({
      strategy: 'first-success',
      backends: [
        new MockBackend({ name: 'a', reply: { error: boom() } }),
        new MockBackend({ name: 'b', reply: { error: boom() } }),
      ],
    });
    const error = await aggregator.execute(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllBackendsFailedError);
    expect((error as AllBackendsFailedError).attempts.map((a) => a.backend)).toEqual(['a', 'b']);
  });

  it("'fastest-stream' streams from the first provider to send an event and cancels the others", async () => {
    const slow = new MockBackend({ name: 'slow', reply: { text: 'too late', latencyMs: 5_000 } });
    const broken = new MockBackend({ name: 'broken', reply: { error: boom() } });
    const fast = new MockBackend({ name: 'fast', reply: { text: 'Paris it is', latencyMs: 20 } });
    const aggregator = createParallelAggregator({
      strategy: 'fastest-stream',
      backends: [slow, broken, fast],
    });
    const events: Array<ParallelAggregatorEvents['chunk']> = [];
    aggregator.on('chunk', (chunk) => events.push(chunk));
    let text = '';
    for await (const delta of aggregator.stream(request).textStream()) text += delta;
    expect(text).toBe('Paris it is');
    expect(new Set(events.map((e) => e.provider))).toEqual(new Set(['fast']));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(slow.cancelledStreams).toBe(1);

    const { provider, results } = await aggregator.execute(request);
    expect(provider).toBe('fast');
    expect(results.map((r) => `${r.provider}:${r.success}`).sort()).toEqual([
      'broken:false',
      'fast:true',
      'slow:false',
    ]);
  });

  it('stops the winning stream upstream when the reader breaks out', async () => {
    const fast = new MockBackend({ name: 'fast', reply: { text: 'one two three four', chunkDelayMs: 5 } });
    const aggregator = createParallelAggregator({ strategy: 'fastest-stream', backends: [fast] });
    for await (const event of aggregator.stream(request)) if (event.type === 'text-delta') break;
    expect(fast.cancelledStreams).toBe(1);
  });

  it("'custom' picks from every settled result: majority vote and longest", async () => {
    const backends = [
      new MockBackend({ name: 'a', reply: { text: 'Lyon, I think, or maybe Marseille' } }),
      new MockBackend({ name: 'b', reply: { text: 'Paris' } }),
      new MockBackend({ name: 'c', reply: { text: 'paris ' } }),
      new MockBackend({ name: 'd', reply: { error: boom() } }),
    ];
    const vote = await createParallelAggregator({
      backends,
      strategy: 'custom',
      select: majorityVote,
    }).execute(request);
    expect(vote.provider).toBe('b');
    expect(vote.results).toHaveLength(4);
    const longest = await createParallelAggregator({
      backends,
      strategy: 'custom',
      select: longestResponse,
    }).execute(request);
    expect(longest.provider).toBe('a');
  });

  it('fails a provider that runs past timeoutMs with a TimeoutError', async () => {
    const aggregator = createParallelAggregator({
      strategy: 'all',
      timeoutMs: 30,
      backends: [new MockBackend({ name: 'hung', reply: { text: 'x', latencyMs: 5_000 } })],
    });
    const { results } = await aggregator.execute(request);
    expect(results[0]).toMatchObject({ provider: 'hung', success: false, error: { kind: 'timeout' } });
  });
});
