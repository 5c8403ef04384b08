import { Bridge, type Middleware, RateLimitError, UpstreamServerError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { call, hello, modes } from '../test-support/bridge-call.ts';
import { createRateLimitMiddleware, estimateInputTokens, type RateLimitOptions } from './index.ts';

function setup(options: RateLimitOptions, backend = new MockBackend()) {
  const clock = { time: 0 };
  const limit = createRateLimitMiddleware({ now: () => clock.time, ...options });
  return { clock, backend, bridge: new Bridge({ backend, middleware: [limit] }) };
}

async function limitedFor(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RateLimitError);
  return (error as RateLimitError).retryAfterMs;
}

describe.each(modes)('createRateLimitMiddleware (%s)', (mode) => {
  it('sliding window: limits requests and says exactly when the next one fits', async () => {
    const { clock, bridge, backend } = setup({ requestsPerWindow: 2, windowMs: 1_000 });
    await call(bridge, mode);
    await call(bridge, mode);
    // In the next window the two calls weigh half at 1,500 ms: 2 · 0.5 + 1 = 2.
    expect(await limitedFor(call(bridge, mode))).toBe(1_500);
    clock.time = 1_499;
    expect(await limitedFor(call(bridge, mode))).toBe(1);
    clock.time = 1_500;
    await call(bridge, mode);
    expect(backend.calls).toHaveLength(3);
  });

  it('token bucket: refills continuously and says exactly when the next one fits', async () => {
    const { clock, bridge } = setup({ requestsPerWindow: 2, windowMs: 1_000, algorithm: 'token-bucket' });
    await call(bridge, mode);
    await call(bridge, mode);
    expect(await limitedFor(call(bridge, mode))).toBe(500);
    clock.time = 499;
    expect(await limitedFor(call(bridge, mode))).toBe(1);
    clock.time = 500;
    await call(bridge, mode);
  });

  it.each(['sliding-window', 'token-bucket'] as const)(
    'corrects the token estimate with the real usage (%s)',
    async (algorithm) => {
      const backend = new MockBackend({
        reply: { text: 'long answer', usage: { inputTokens: 10, outputTokens: 50 } },
      });
      const { bridge } = setup({ tokensPerWindow: 100, windowMs: 60_000, algorithm }, backend);
      expect(estimateInputTokens(hello)).toBe(3);
      await call(bridge, mode);
      await call(bridge, mode);
      // 60 + 60 tokens were used; charged only by the estimate (3 each) a third call would pass.
      await expect(call(bridge, mode)).rejects.toBeInstanceOf(RateLimitError);
      expect(backend.calls).toHaveLength(2);
    },
  );

  it('gives the tokens back when the call fails before any reply', async () => {
    const backend = new MockBackend({
      reply: { error: new UpstreamServerError({ message: 'upstream 500' }) },
    });
    const { bridge } = setup({ tokensPerWindow: 10, estimateTokens: () => 6 }, backend);
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(backend.calls).toHaveLength(2);
  });

  it('keeps one limit per user', async () => {
    const { bridge } = setup({ requestsPerWindow: 1 });
    const alice = { ...hello, metadata: { userId: 'alice' } };
    await call(bridge, mode, alice);
    await expect(call(bridge, mode, alice)).rejects.toBeInstanceOf(RateLimitError);
    await call(bridge, mode, { ...hello, metadata: { userId: 'bob' } });
    await call(bridge, mode, { ...hello, metadata: { apiKeyId: 'key-1' } });
    await call(bridge, mode);
  });

  it('refuses for good a request larger than the whole token limit, without using a request', async () => {
    const { bridge, backend } = setup({ requestsPerWindow: 1, tokensPerWindow: 10 });
    const huge = { messages: [{ role: 'user' as const, content: 'x'.repeat(400) }] };
    const error = await call(bridge, mode, huge).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'rate-limited', isRetryable: false, retryAfterMs: undefined });
    await call(bridge, mode); // the request slot was given back
    expect(backend.calls).toHaveLength(1);
  });

  it('reports the headroom in context.state', async () => {
    let state: unknown;
    const observe: Middleware = {
      async execute(request, next, context) {
        const reply = await next(request);
        state = context.state.get('rate-limit');
        return reply;
      },
    };
    const limit = createRateLimitMiddleware({ requestsPerWindow: 5, tokensPerWindow: 1_000 });
    await call(new Bridge({ backend: new MockBackend(), middleware: [observe, limit] }), mode);
    expect(state).toEqual({
      key: 'global',
      limitRequests: 5,
      remainingRequests: 4,
      limitTokens: 1_000,
      remainingTokens: 997,
    });
  });
});

describe('createRateLimitMiddleware', () => {
  it('corrects a stream from its final usage', async () => {
    const backend = new MockBackend({
      reply: { text: 'a b c d', usage: { inputTokens: 5, outputTokens: 55 } },
    });
    const { bridge } = setup({ tokensPerWindow: 60 }, backend);
    // Charged 3 up front; only the final usage (60) leaves no room for a second call.
    for await (const _ of bridge.stream(hello)) {
      // read to the end
    }
    const retryAfterMs = await limitedFor(bridge.stream(hello).collect());
    expect(retryAfterMs).toBeGreaterThan(0);
  });

  it('needs at least one limit', () => {
    expect(() => createRateLimitMiddleware({})).toThrow(TypeError);
  });
});
