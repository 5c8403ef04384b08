import {
  Bridge,
  BulkheadFullError,
  type ChatRequest,
  ConcurrencyLimitError,
  UnknownOptionError,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { call, modes } from '../test-support/bridge-call.ts';
import { GatedBackend } from '../test-support/gated-backend.ts';
import { createBulkheadMiddleware } from './index.ts';

const ask = (text: string, metadata?: Record<string, unknown>): ChatRequest => ({
  messages: [{ role: 'user', content: text }],
  ...(metadata ? { metadata } : {}),
});

/** Resolves once `check` holds, polling each macrotask (bounded). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(modes)('createBulkheadMiddleware (%s)', (mode) => {
  it('lets maxConcurrent calls in and the rest in arrival order as slots free up', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 2, maxQueue: 10 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const calls = ['a', 'b', 'c', 'd', 'e'].map((text) => call(bridge, mode, ask(text)));
    await until(() => backend.waiting === 2, 'two calls in');
    expect(bulkhead.stats().mock).toMatchObject({ inFlight: 2, queued: 3, rejected: 0 });
    expect(backend.entered).toEqual(['a', 'b']);
    for (let open = 0; open < 5; open++) {
      backend.open();
      await until(() => backend.entered.length >= Math.min(5, open + 3), 'the next call in');
    }
    await Promise.all(calls);
    expect(backend.entered).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(bulkhead.stats().mock).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('refuses a call at once when the queue is full: 503 bulkhead_full with retry-after, backend not called', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 1, retryAfterMs: 2_000 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const first = call(bridge, mode, ask('a'));
    const second = call(bridge, mode, ask('b'));
    await until(() => backend.waiting === 1, 'the first call in');
    const started = performance.now();
    const refused = await call(bridge, mode, ask('c')).catch((error: unknown) => error);
    expect(performance.now() - started).toBeLessThan(500);
    expect(BulkheadFullError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({
      status: 503,
      code: 'bulkhead_full',
      retryAfterMs: 2_000,
      isRetryable: false,
    });
    expect((refused as BulkheadFullError).isRequestFault).toBe(false);
    expect(bulkhead.stats().mock).toMatchObject({ rejectedQueueFull: 1, rejected: 1 });
    backend.open();
    await until(() => backend.waiting === 1, 'the queued call in');
    backend.open();
    await Promise.all([first, second]);
    expect(backend.entered).toEqual(['a', 'b']);
  });

  it('refuses a queued call when it has waited queueTimeoutMs, and leaves the others their turn', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 60 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const first = call(bridge, mode, ask('a'));
    await until(() => backend.waiting === 1, 'the first call in');
    const started = performance.now();
    const timedOut = await call(bridge, mode, ask('b')).catch((error: unknown) => error);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(55);
    expect(waited).toBeLessThan(2_000);
    expect(timedOut).toMatchObject({ code: 'bulkhead_full', message: expect.stringContaining('60 ms') });
    expect(bulkhead.stats().mock).toMatchObject({ inFlight: 1, queued: 0, rejectedQueueTimeout: 1 });
    backend.open();
    await first;
    expect(bulkhead.stats().mock?.inFlight).toBe(0);
  });

  it('takes a waiting call out of the queue when its caller gives up', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 5, queueTimeoutMs: 10_000 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const first = call(bridge, mode, ask('a'));
    await until(() => backend.waiting === 1, 'the first call in');
    const controller = new AbortController();
    const gone = call(bridge, mode, ask('b'), { signal: controller.signal }).catch((error: unknown) => error);
    await until(() => bulkhead.stats().mock?.queued === 1, 'the second call queued');
    controller.abort();
    expect(await gone).toMatchObject({ kind: 'cancelled' });
    expect(bulkhead.stats().mock).toMatchObject({ queued: 0, rejected: 0 });
    backend.open();
    await first;
    expect(backend.entered).toEqual(['a']);
  });

  it('passes a call with no bulkhead (no limits for its key) straight through', async () => {
    const backend = new MockBackend();
    const bulkhead = createBulkheadMiddleware({ limits: { other: { maxConcurrent: 1 } } });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    await Promise.all([call(bridge, mode), call(bridge, mode)]);
    expect(bulkhead.stats()).toEqual({});
  });
});

describe('createBulkheadMiddleware: a stream holds its slot until it ends', () => {
  it('gives the slot back when the reader cancels the stream', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 10_000 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const stream = bridge.stream(ask('a'));
    let queued: Promise<unknown> | undefined;
    for await (const event of stream) {
      expect(event.type).toBe('start');
      expect(bulkhead.stats().mock?.inFlight).toBe(1);
      queued = call(bridge, 'execute', ask('b'));
      await until(() => bulkhead.stats().mock?.queued === 1, 'the second call queued');
      break;
    }
    await until(() => backend.entered.length === 2, 'the queued call in');
    expect(bulkhead.stats().mock).toMatchObject({ inFlight: 1, queued: 0 });
    // The cancelled stream's gate first (nobody waits on it now), then the queued call's.
    backend.open();
    backend.open();
    await until(() => bulkhead.stats().mock?.inFlight === 0, 'every slot back');
    await queued;
  });

  it('gives the slot back when the stream fails mid-way', async () => {
    const backend = new MockBackend({ replies: [{ text: 'one two three four', failAfterEvents: 2 }] });
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 0 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    await expect(bridge.stream(ask('a')).collect()).rejects.toMatchObject({ kind: 'network' });
    expect(bulkhead.stats().mock?.inFlight).toBe(0);
    expect((await call(bridge, 'stream', ask('b'))).provider).toBe('mock');
  });

  it('holds the slot while the stream is read, not only until its first event', async () => {
    const backend = new MockBackend({ reply: { text: 'one two three', chunkDelayMs: 30 } });
    const bulkhead = createBulkheadMiddleware({ maxConcurrent: 1, maxQueue: 0 });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const reading = bridge.stream(ask('a')).collect();
    await until(() => backend.calls.length === 1, 'the stream open');
    await expect(call(bridge, 'execute', ask('b'))).rejects.toMatchObject({ code: 'bulkhead_full' });
    await reading;
    expect(bulkhead.stats().mock?.inFlight).toBe(0);
  });
});

describe('createBulkheadMiddleware: per gateway key', () => {
  it('caps each key on its own and refuses over the cap with 429 concurrency_limit_exceeded', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({
      scope: 'caller',
      key: (request) => request.metadata?.apiKeyId as string | undefined,
      limits: { 'key-a': { maxConcurrent: 1, maxQueue: 0 } },
    });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const held = bridge.execute(ask('a1', { apiKeyId: 'key-a' }));
    await until(() => backend.waiting === 1, 'key-a call in');
    const refused = await bridge.execute(ask('a2', { apiKeyId: 'key-a' })).catch((error: unknown) => error);
    expect(ConcurrencyLimitError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ status: 429, kind: 'rate-limited', code: 'concurrency_limit_exceeded' });
    // Another key, and a call without a key, are not held by key-a's cap.
    const others = [bridge.execute(ask('b', { apiKeyId: 'key-b' })), bridge.execute(ask('none'))];
    await until(() => backend.waiting === 3, 'the other calls in');
    for (let i = 0; i < 3; i++) backend.open();
    await Promise.all([held, ...others]);
    expect(Object.keys(bulkhead.stats())).toEqual(['key-a']);
  });
});

describe('createBulkheadMiddleware options', () => {
  it('refuses unknown options, also inside limits', () => {
    expect(() => createBulkheadMiddleware({ maxConcurency: 1 } as never)).toThrow(UnknownOptionError);
    expect(() =>
      createBulkheadMiddleware({ limits: { a: { maxConcurrent: 1, queueTimeout: 5 } as never } }),
    ).toThrow(/unknown option 'queueTimeout'/);
  });

  it.each([
    [{ maxConcurrent: 0 }, /maxConcurrent must be an integer >= 1/],
    [{ maxConcurrent: 1.5 }, /maxConcurrent must be an integer >= 1/],
    [{ maxConcurrent: 1, maxQueue: -1 }, /maxQueue must be an integer >= 0/],
    [{ maxConcurrent: 1, queueTimeoutMs: Number.NaN }, /queueTimeoutMs must be a number >= 0/],
    [{ maxQueue: 10 }, /need maxConcurrent/],
    [{ limits: { openai: { maxConcurrent: -2 } } }, /limits\.openai\.maxConcurrent/],
    [{ maxConcurrent: 1, retryAfterMs: -1 }, /retryAfterMs/],
    [{ maxConcurrent: 1, scope: 'team' }, /scope/],
  ])('refuses %j', (options, message) => {
    expect(() => createBulkheadMiddleware(options as never)).toThrow(message);
  });
});
