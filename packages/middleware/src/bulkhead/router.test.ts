import { Bridge, type ChatRequest, NetworkError, Router } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { call, modes } from '../test-support/bridge-call.ts';
import { EmbedBackend } from '../test-support/embed-backend.ts';
import { GatedBackend } from '../test-support/gated-backend.ts';
import { createBulkheadMiddleware } from './index.ts';

const ask = (text: string): ChatRequest => ({
  model: 'model-a',
  messages: [{ role: 'user', content: text }],
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A Router over a gated `a` (capped at one call, no queue) and a free `b`. */
function setup(fallback: boolean) {
  const a = new GatedBackend({ name: 'a' });
  const b = new MockBackend({ name: 'b' });
  const bulkheads = createBulkheadMiddleware({ limits: { a: { maxConcurrent: 1, maxQueue: 0 } } });
  const router = new Router({
    routingStrategy: 'model-based',
    modelMapping: { 'model-a': 'a' },
    ...(fallback ? { fallbackChain: ['b'] } : {}),
    circuitBreaker: { failureThreshold: 1 },
    attemptMiddleware: [bulkheads],
  });
  router.register('a', a).register('b', b);
  return { a, b, bulkheads, router, bridge: new Bridge({ backend: router, maxAttempts: 2 }) };
}

describe.each(modes)('a bulkhead per provider in a Router (%s)', (mode) => {
  it('falls back to the next provider when the first one is at capacity, without charging its circuit', async () => {
    const { a, b, bulkheads, router, bridge } = setup(true);
    const held = call(bridge, mode, ask('first'));
    await until(() => a.waiting === 1, 'the first call at a');
    const served = await call(bridge, mode, ask('second'));
    expect(served.provider).toBe('b');
    expect(b.calls).toHaveLength(1);
    if (mode === 'execute') {
      expect(served.routing).toMatchObject({
        backend: 'b',
        // a was not called: only b's call is counted.
        attempts: 1,
        failures: [{ backend: 'a', kind: 'upstream-server' }],
      });
    }
    expect(router.circuitStates().a?.state).toBe('closed');
    expect(router.stats().a?.inFlight).toBe(1);
    expect(bulkheads.stats().a).toMatchObject({ inFlight: 1, rejectedQueueFull: 1 });
    a.open();
    expect((await held).provider).toBe('a');
    expect(router.stats().a?.inFlight).toBe(0);
  });

  it('fails fast with 503 bulkhead_full and retry-after when there is nowhere to fall back', async () => {
    const { a, b, bridge } = setup(false);
    const held = call(bridge, mode, ask('first'));
    await until(() => a.waiting === 1, 'the first call at a');
    const refused = await call(bridge, mode, ask('second')).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      status: 503,
      code: 'bulkhead_full',
      provider: 'a',
      retryAfterMs: 1_000,
      routing: { attempts: 0, backend: 'a' },
    });
    expect(b.calls).toHaveLength(0);
    a.open();
    await held;
  });
});

describe('a bulkhead per provider in a Router: streams', () => {
  it('holds the slot while the stream is read and gives it back when the reader cancels', async () => {
    const { a, bulkheads, router, bridge } = setup(false);
    const stream = bridge.stream(ask('first'));
    for await (const event of stream) {
      expect(event.type).toBe('start');
      expect(bulkheads.stats().a?.inFlight).toBe(1);
      await expect(bridge.execute(ask('second'))).rejects.toMatchObject({ code: 'bulkhead_full' });
      break;
    }
    await until(() => bulkheads.stats().a?.inFlight === 0, 'the slot back');
    expect(router.stats().a?.inFlight).toBe(0);
    a.open(); // the cancelled stream's gate: nobody waits on it now
    const served = bridge.execute(ask('third'));
    await until(() => a.waiting === 1, 'the third call at a');
    a.open();
    expect((await served).provider).toBe('a');
  });
});

describe('attempt middleware in a Router', () => {
  it('see each attempt under its registered name, embedding calls included', async () => {
    const seen: string[] = [];
    const router = new Router({
      fallbackChain: ['b'],
      attemptMiddleware: [
        {
          name: 'spy',
          execute: (request, next, context) => {
            seen.push(`${context.mode}:${context.backend.name}`);
            return next(request);
          },
          embed: (request, next, context) => {
            seen.push(`embed:${context.backend.name}`);
            return next(request);
          },
        },
      ],
    });
    const failing = new MockBackend({
      name: 'openai',
      reply: { error: new NetworkError({ message: 'reset' }) },
    });
    router.register('a', failing).register('b', new MockBackend({ name: 'openai' }));
    router.register('e', new EmbedBackend());
    const bridge = new Bridge({ backend: router });
    await bridge.execute(ask('x'));
    await bridge.stream(ask('y')).collect();
    await bridge.embed({ inputs: ['z'] });
    expect(seen).toEqual(['execute:a', 'execute:b', 'stream:a', 'stream:b', 'embed:e']);
  });
});
