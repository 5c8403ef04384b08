import {
  Bridge,
  type ChatRequest,
  ChatStream,
  type Middleware,
  type StreamEvent,
  UpstreamServerError,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.ts';
import type { KeyValueStore } from '../store/store.ts';
import { call as callIn, type Mode, modes } from '../test-support/bridge-call.ts';
import { cacheKey, createCacheMiddleware } from './index.ts';

const hello: ChatRequest = { model: 'mock-model', messages: [{ role: 'user', content: 'Hello there' }] };
const call = (bridge: Bridge, mode: Mode, request: ChatRequest = hello) => callIn(bridge, mode, request);

async function events(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of stream) seen.push(event);
  return seen;
}

describe.each(modes)('createCacheMiddleware (%s)', (mode) => {
  it('answers a repeated request from the cache without calling the backend', async () => {
    const backend = new MockBackend({ reply: { text: 'General Kenobi' } });
    const cache = createCacheMiddleware();
    const bridge = new Bridge({ backend, middleware: [cache] });
    const first = await call(bridge, mode);
    const second = await call(bridge, mode);
    expect(backend.calls).toHaveLength(1);
    expect(second.content).toEqual(first.content);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1 });
  });

  it('tells hit from miss in context.state', async () => {
    const statuses: unknown[] = [];
    const observe: Middleware = {
      async execute(request, next, context) {
        const reply = await next(request);
        statuses.push(context.state.get('cache-status'));
        return reply;
      },
    };
    const bridge = new Bridge({ backend: new MockBackend(), middleware: [observe, createCacheMiddleware()] });
    await call(bridge, mode);
    await call(bridge, mode);
    await call(bridge, mode, { ...hello, temperature: 1 });
    expect(statuses).toEqual(['miss', 'hit', 'bypass']);
  });

  it('does not cache a non-deterministic request unless told to', async () => {
    const backend = new MockBackend();
    const warm = { ...hello, temperature: 0.7 };
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware()] });
    await call(bridge, mode, warm);
    await call(bridge, mode, warm);
    expect(backend.calls).toHaveLength(2);
    // A seed makes sampling repeatable, so it is cached.
    await call(bridge, mode, { ...warm, seed: 7 });
    await call(bridge, mode, { ...warm, seed: 7 });
    expect(backend.calls).toHaveLength(3);

    const anything = new Bridge({
      backend,
      middleware: [createCacheMiddleware({ cacheNonDeterministic: true })],
    });
    await call(anything, mode, warm);
    await call(anything, mode, warm);
    expect(backend.calls).toHaveLength(4);
  });

  it('never caches an error', async () => {
    const backend = new MockBackend({
      replies: [{ error: new UpstreamServerError({ message: 'upstream 500' }) }],
      reply: { text: 'whole answer' },
    });
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware()] });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect((await call(bridge, mode)).content).toEqual([{ type: 'text', text: 'whole answer' }]);
    expect((await call(bridge, mode)).content).toEqual([{ type: 'text', text: 'whole answer' }]);
    expect(backend.calls).toHaveLength(2);
  });

  it('serves an entry for its TTL only', async () => {
    let time = 0;
    const now = () => time;
    const backend = new MockBackend();
    const cache = createCacheMiddleware({ store: new MemoryStore({ now }), ttlMs: 1_000, now });
    const bridge = new Bridge({ backend, middleware: [cache] });
    await call(bridge, mode);
    time = 999;
    await call(bridge, mode);
    expect(backend.calls).toHaveLength(1);
    time = 1_000;
    await call(bridge, mode);
    expect(backend.calls).toHaveLength(2);
  });

  it('keeps answering when its store fails', async () => {
    const broken: KeyValueStore = {
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
      increment: () => Promise.reject(new Error('store down')),
    };
    const cache = createCacheMiddleware({ store: broken });
    const bridge = new Bridge({ backend: new MockBackend({ reply: { text: 'fine' } }), middleware: [cache] });
    expect((await call(bridge, mode)).content).toEqual([{ type: 'text', text: 'fine' }]);
    await Promise.resolve();
    expect(cache.stats()).toMatchObject({ misses: 1, writes: 0, storeErrors: 2 });
  });
});

describe('createCacheMiddleware (across modes)', () => {
  it('replays a hit in a stream call as a stream equal to the first', async () => {
    const backend = new MockBackend({ reply: { text: 'The answer is forty two.', reasoning: 'Think.' } });
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware()] });
    const first = await events(bridge.stream(hello));
    const replayed = await events(bridge.stream(hello));
    expect(backend.calls).toHaveLength(1);
    expect(replayed.length).toBeGreaterThan(2);
    expect(replayed.map((event) => event.type)).toEqual(['start', 'reasoning-delta', 'text-delta', 'finish']);
    expect(await ChatStream.from(replayed).collect()).toEqual(await ChatStream.from(first).collect());
  });

  it('shares entries between execute and stream calls, and marks execute hits in metadata', async () => {
    const backend = new MockBackend({ reply: { text: 'shared' } });
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware()] });
    const streamed = await bridge.stream(hello).collect();
    const executed = await bridge.execute(hello);
    expect(backend.calls).toHaveLength(1);
    expect(executed.content).toEqual(streamed.content);
    expect(executed.metadata?.cache).toMatchObject({ status: 'hit' });
  });

  it('does not store a stream the reader abandoned, nor one that broke mid-way', async () => {
    const backend = new MockBackend({
      replies: [
        { text: 'one two three four', chunkDelayMs: 1 },
        { text: 'one two three', failAfterEvents: 2 },
      ],
      reply: { text: 'complete' },
    });
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware()] });
    for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') break;
    await expect(bridge.stream(hello).collect()).rejects.toThrow('reset mid-stream');
    expect((await bridge.stream(hello).collect()).content).toEqual([{ type: 'text', text: 'complete' }]);
    expect((await bridge.execute(hello)).content).toEqual([{ type: 'text', text: 'complete' }]);
    expect(backend.calls).toHaveLength(3);
  });
});

describe('cacheKey', () => {
  it('ignores metadata and key order, and changes with anything that changes the answer', async () => {
    const base = await cacheKey(hello);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await cacheKey({ messages: hello.messages, model: 'mock-model', metadata: { userId: 'u1' } }),
    ).toBe(base);
    expect(await cacheKey({ ...hello, temperature: 0 })).not.toBe(base);
    expect(await cacheKey({ ...hello, model: 'other' })).not.toBe(base);
    expect(await cacheKey({ ...hello, stopSequences: ['x'] })).not.toBe(base);
    expect(await cacheKey({ ...hello, providerOptions: { openai: { store: true } } })).not.toBe(base);
    expect(await cacheKey(hello, 'another-backend')).not.toBe(base);
  });
});
