import {
  Bridge,
  CircuitOpenError,
  InvalidRequestError,
  type Middleware,
  NetworkError,
  RateLimitError,
  UpstreamServerError,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, hello, modes } from '../test-support/bridge-call.ts';
import { createRetryMiddleware, RetryBudget, type RetryRecord } from './index.ts';

const noSleep = async () => {};
const serverError = () => new UpstreamServerError({ message: 'upstream 500' });

afterEach(() => {
  vi.useRealTimers();
});

describe.each(modes)('createRetryMiddleware (%s)', (mode) => {
  it('waits exactly the 30 s retry-after hint before calling the backend again', async () => {
    vi.useFakeTimers();
    const backend = new MockBackend({
      replies: [
        { error: new RateLimitError({ message: 'slow down', retryAfterMs: 30_000 }) },
        { text: 'finally' },
      ],
    });
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware()] });
    const pending = call(bridge, mode);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(backend.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(backend.calls).toHaveLength(2);
    const response = await pending;
    expect(response.content).toEqual([{ type: 'text', text: 'finally' }]);
  });

  it('backs off with full jitter, growing exponentially up to the cap', async () => {
    const backend = new MockBackend({
      replies: [{ error: serverError() }, { error: serverError() }, { error: serverError() }, { text: 'ok' }],
    });
    const delays: number[] = [];
    const retry = createRetryMiddleware({
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 300,
      random: () => 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    // Four upstream calls: the request's own budget (the Bridge's maxAttempts) must allow them.
    const response = await call(new Bridge({ backend, middleware: [retry], maxAttempts: 4 }), mode);
    expect(response.content).toEqual([{ type: 'text', text: 'ok' }]);
    // Half of 100, 200, then of the 300 cap (not 400).
    expect(delays).toEqual([50, 100, 150]);
  });

  it('does not retry an error that is not retryable', async () => {
    const backend = new MockBackend({
      replies: [{ error: new InvalidRequestError({ message: 'bad', param: 'messages' }) }, { text: 'ok' }],
    });
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware({ sleep: noSleep })] });
    await expect(call(bridge, mode)).rejects.toMatchObject({ kind: 'invalid-request', param: 'messages' });
    expect(backend.calls).toHaveLength(1);
  });

  it('fails fast with the original error when retry-after is longer than it will wait', async () => {
    const backend = new MockBackend({
      replies: [{ error: new RateLimitError({ message: 'come back in 2 min', retryAfterMs: 120_000 }) }],
    });
    const sleep = vi.fn(noSleep);
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware({ sleep })] });
    await expect(call(bridge, mode)).rejects.toMatchObject({ kind: 'rate-limited', retryAfterMs: 120_000 });
    expect(backend.calls).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('gives up after maxAttempts and records the attempts', async () => {
    const backend = new MockBackend({ reply: { error: serverError() } });
    let record: RetryRecord | undefined;
    const observe: Middleware = {
      async execute(request, next, context) {
        try {
          return await next(request);
        } finally {
          record = context.state.get('retry') as RetryRecord;
        }
      },
    };
    const retry = createRetryMiddleware({ maxAttempts: 3, sleep: noSleep, budget: false });
    const bridge = new Bridge({ backend, middleware: [observe, retry] });
    await expect(call(bridge, mode)).rejects.toMatchObject({ kind: 'upstream-server' });
    expect(backend.calls).toHaveLength(3);
    expect(record?.attempts).toBe(3);
  });

  it('retries only while the request has upstream calls left (the Bridge maxAttempts)', async () => {
    const backend = new MockBackend({ reply: { error: serverError() } });
    const retry = createRetryMiddleware({ maxAttempts: 10, sleep: noSleep, budget: false });
    let record: RetryRecord | undefined;
    const observe: Middleware = {
      async execute(request, next, context) {
        try {
          return await next(request);
        } finally {
          record = context.state.get('retry') as RetryRecord;
        }
      },
    };
    const bridge = new Bridge({ backend, middleware: [observe, retry], maxAttempts: 2 });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(backend.calls).toHaveLength(2);
    expect(record).toMatchObject({ attempts: 2, attemptsExhausted: true });
  });

  it('does not wait out an open circuit: its error goes to the caller at once, retry hint intact', async () => {
    const open = new CircuitOpenError({ message: 'circuit open', retryAfterMs: 9_900 });
    const backend = new MockBackend({ replies: [{ error: open }, { text: 'too late' }] });
    const slept: number[] = [];
    const retry = createRetryMiddleware({ sleep: async (ms) => void slept.push(ms) });
    const error = await call(new Bridge({ backend, middleware: [retry] }), mode).catch((e: unknown) => e);
    expect(CircuitOpenError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, code: 'circuit_open', retryAfterMs: 9_900 });
    expect(slept).toEqual([]);
    expect(backend.calls).toHaveLength(1);
  });

  it('stops retrying once the shared budget is spent, and earns it back with successes', async () => {
    const budget = new RetryBudget({ maxTokens: 2, ratio: 0.5, minRetriesPerSecond: 0 });
    const backend = new MockBackend({ reply: { error: serverError() } });
    const retry = createRetryMiddleware({ maxAttempts: 5, sleep: noSleep, budget });
    const bridge = new Bridge({ backend, middleware: [retry] });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(backend.calls).toHaveLength(3); // the first call and the budget's 2 retries
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(backend.calls).toHaveLength(4); // no retry left

    backend.setReply({ text: 'ok' });
    await call(bridge, mode);
    await call(bridge, mode); // two successes earn one retry
    backend.setReply({ error: serverError() });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(backend.calls).toHaveLength(6 + 2);
  });

  it('stops waiting when the caller cancels', async () => {
    const backend = new MockBackend({
      replies: [
        { error: new RateLimitError({ message: 'slow down', retryAfterMs: 10_000 }) },
        { text: 'ok' },
      ],
    });
    const controller = new AbortController();
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware()] });
    const pending = call(bridge, mode, hello, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
    expect(backend.calls).toHaveLength(1);
  });
});

describe('createRetryMiddleware', () => {
  it('records the attempts in the response metadata', async () => {
    const backend = new MockBackend({ replies: [{ error: serverError() }, { text: 'ok' }] });
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware({ sleep: noSleep })] });
    const response = await bridge.execute(hello);
    expect(response.metadata?.retry).toEqual({ attempts: 2 });
  });

  it('retries a stream that fails before its first event', async () => {
    const backend = new MockBackend({ replies: [{ error: serverError() }, { text: 'second try' }] });
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware({ sleep: noSleep })] });
    const response = await bridge.stream(hello).collect();
    expect(response.content).toEqual([{ type: 'text', text: 'second try' }]);
    expect(backend.calls).toHaveLength(2);
  });

  it('never retries a stream after its first event went out', async () => {
    const backend = new MockBackend({
      replies: [{ text: 'one two three four', failAfterEvents: 2 }, { text: 'not this' }],
    });
    const bridge = new Bridge({ backend, middleware: [createRetryMiddleware({ sleep: noSleep })] });
    const seen: string[] = [];
    await expect(async () => {
      for await (const event of bridge.stream(hello)) seen.push(event.type);
    }).rejects.toBeInstanceOf(NetworkError);
    expect(seen).toEqual(['start', 'text-delta']);
    expect(backend.calls).toHaveLength(1);
  });
});
