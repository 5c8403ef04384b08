import { Bridge, InvalidRequestError, UpstreamServerError } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { call, hello, modes } from '../test-support/bridge-call.ts';
import { createCircuitBreakerMiddleware } from './index.ts';

function clock() {
  let time = 1_000_000;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const serverError = () => new UpstreamServerError({ message: 'upstream 500' });

describe.each(modes)('createCircuitBreakerMiddleware (%s)', (mode) => {
  it('opens after consecutive failures and then fails fast without calling the backend', async () => {
    const time = clock();
    const backend = new MockBackend({ reply: { error: serverError() } });
    const breaker = createCircuitBreakerMiddleware({
      failureThreshold: 2,
      cooldownMs: 10_000,
      now: time.now,
    });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(breaker.states().mock?.state).toBe('closed');
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    expect(breaker.states().mock?.state).toBe('open');

    time.advance(4_000);
    await expect(call(bridge, mode)).rejects.toMatchObject({
      kind: 'upstream-server',
      code: 'circuit_open',
      isRetryable: true,
      retryAfterMs: 6_000,
    });
    expect(backend.calls).toHaveLength(2);
  });

  it('lets a probe through after the cool-down: success closes the circuit', async () => {
    const time = clock();
    const backend = new MockBackend({ reply: { error: serverError() } });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 1, cooldownMs: 5_000, now: time.now });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    time.advance(5_000);
    expect(breaker.states().mock?.state).toBe('half-open');
    backend.setReply({ text: 'recovered' });
    expect((await call(bridge, mode)).content).toEqual([{ type: 'text', text: 'recovered' }]);
    expect(breaker.states().mock).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('re-opens when the probe fails', async () => {
    const time = clock();
    const backend = new MockBackend({ reply: { error: serverError() } });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 3, cooldownMs: 5_000, now: time.now });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    for (let i = 0; i < 3; i++) await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    time.advance(5_000);
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500'); // the probe
    expect(breaker.states().mock?.state).toBe('open');
    await expect(call(bridge, mode)).rejects.toMatchObject({ code: 'circuit_open', retryAfterMs: 5_000 });
    expect(backend.calls).toHaveLength(4);
  });

  it('lets only the allowed number of probes through while half-open', async () => {
    const time = clock();
    const backend = new MockBackend({ replies: [{ error: serverError() }] });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 1, cooldownMs: 1_000, now: time.now });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(call(bridge, mode)).rejects.toThrow('upstream 500');
    time.advance(1_000);
    backend.setReply({ text: 'slow probe', latencyMs: 50 });
    const probe = call(bridge, mode);
    await expect(call(bridge, mode)).rejects.toMatchObject({ code: 'circuit_open', retryAfterMs: undefined });
    await probe;
    expect(breaker.states().mock?.state).toBe('closed');
    expect(backend.calls).toHaveLength(2);
  });

  it('does not count errors that say nothing about the backend health', async () => {
    const backend = new MockBackend({ reply: { error: new InvalidRequestError({ message: 'bad input' }) } });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 1 });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(call(bridge, mode)).rejects.toThrow('bad input');
    await expect(call(bridge, mode)).rejects.toThrow('bad input');
    expect(breaker.states().mock?.state).toBe('closed');
  });

  it('keeps one circuit per provider named in the request metadata', async () => {
    const backend = new MockBackend({
      reply: (request) =>
        request.metadata?.provider === 'flaky' ? { error: serverError() } : { text: 'ok' },
    });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 1 });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    const flaky = { ...hello, metadata: { provider: 'flaky' } };
    await expect(call(bridge, mode, flaky)).rejects.toThrow('upstream 500');
    await expect(call(bridge, mode, flaky)).rejects.toMatchObject({
      code: 'circuit_open',
      provider: 'flaky',
    });
    await call(bridge, mode, { ...hello, metadata: { provider: 'steady' } });
    await call(bridge, mode);
    const states = breaker.states();
    expect(Object.keys(states).sort()).toEqual(['flaky', 'mock', 'steady']);
    expect(states.flaky?.state).toBe('open');
    expect(states.steady?.state).toBe('closed');
    breaker.reset('flaky');
    expect(breaker.states().flaky?.state).toBe('closed');
  });
});

describe('createCircuitBreakerMiddleware (streams)', () => {
  it('counts a stream that breaks after its first event as a failure', async () => {
    const backend = new MockBackend({ reply: { text: 'one two three', failAfterEvents: 2 } });
    const changes: string[] = [];
    const breaker = createCircuitBreakerMiddleware({
      failureThreshold: 1,
      onStateChange: ({ key, from, to }) => changes.push(`${key}: ${from} -> ${to}`),
    });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(bridge.stream(hello).collect()).rejects.toThrow('reset mid-stream');
    expect(breaker.states().mock?.state).toBe('open');
    expect(changes).toEqual(['mock: closed -> open']);
  });

  it('counts a stream the reader abandoned as neither success nor failure', async () => {
    const time = clock();
    const backend = new MockBackend({ replies: [{ error: serverError() }] });
    const breaker = createCircuitBreakerMiddleware({ failureThreshold: 1, cooldownMs: 1_000, now: time.now });
    const bridge = new Bridge({ backend, middleware: [breaker] });
    await expect(bridge.stream(hello).collect()).rejects.toThrow('upstream 500');
    time.advance(1_000);
    backend.setReply({ text: 'one two three four', chunkDelayMs: 1 });
    for await (const event of bridge.stream(hello)) if (event.type === 'text-delta') break;
    // The abandoned probe freed its slot without closing the circuit: another probe may go.
    expect(breaker.states().mock?.state).toBe('half-open');
    await bridge.stream(hello).collect();
    expect(breaker.states().mock?.state).toBe('closed');
  });
});
