import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.ts';
import { Bridge } from '../bridge.ts';
import { UpstreamServerError } from '../errors/upstream-server-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import type { StreamEvent } from '../spec/stream.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { Router } from './router.ts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const down = () => new UpstreamServerError({ message: 'down', status: 503, provider: 'a' });

function router(a: MockBackend, b = new MockBackend({ name: 'b' })) {
  return new Router({ fallbackChain: ['b'], circuitBreaker: false }).register('a', a).register('b', b);
}

const inFlight = (r: Router) => Object.values(r.stats()).map((s) => s.inFlight);

/** The one attempt loop gives back every in-flight slot it takes, however the call ends. */
describe('Router calls in flight', () => {
  it('counts a plain call while it runs and after success and fallback', async () => {
    const r = router(new MockBackend({ name: 'a', replies: [{ error: down() }, { latencyMs: 30 }] }));
    await r.execute(hello);
    expect(inFlight(r)).toEqual([0, 0]);
    const pending = r.execute(hello);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inFlight(r)).toEqual([1, 0]);
    await pending;
    expect(inFlight(r)).toEqual([0, 0]);
  });

  it('holds a stream’s slot until it ends, is cancelled, or fails mid-way', async () => {
    const r = router(
      new MockBackend({
        name: 'a',
        replies: [{ error: down() }, { text: 'one two three' }, { text: 'x', failAfterEvents: 2 }],
        reply: { text: 'one two three' },
      }),
    );
    const served: string[] = [];
    for await (const event of r.stream(hello))
      if (event.type === 'start') served.push(event.routing?.backend ?? '');
    expect(served).toEqual(['b']);
    expect(inFlight(r)).toEqual([0, 0]);

    const reader = r.stream(hello)[Symbol.asyncIterator]();
    await reader.next();
    expect(inFlight(r)).toEqual([1, 0]);
    await reader.return?.();
    expect(inFlight(r)).toEqual([0, 0]);

    await expect(async () => {
      for await (const _ of r.stream(hello));
    }).rejects.toMatchObject({ kind: 'network', routing: { backend: 'a' } });
    expect(inFlight(r)).toEqual([0, 0]);
  });

  it('books a stream that fails in-band (an upstream error event) against its backend’s circuit', async () => {
    const mock = new MockBackend({ name: 'a' });
    const failsInBand: Backend = {
      metadata: mock.metadata,
      execute: (request) => mock.execute(request),
      async *stream(): AsyncIterable<StreamEvent> {
        yield { type: 'start', id: 'r1', model: 'm', provider: 'a' };
        yield { type: 'error', error: down() };
      },
    };
    const r = new Router({ circuitBreaker: { failureThreshold: 1 } }).register('a', failsInBand);
    await expect(async () => {
      for await (const _ of new Bridge({ backend: r }).stream(hello));
    }).rejects.toMatchObject({ kind: 'upstream-server' });
    expect(r.circuitStates().a).toMatchObject({ state: 'open', consecutiveFailures: 1 });
    expect(inFlight(r)).toEqual([0]);
  });
});
