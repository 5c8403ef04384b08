import { describe, expect, it } from 'vitest';
import { Bridge } from '../bridge.ts';
import { OverloadedError } from '../errors/overloaded-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { Router } from './router.ts';

const hi: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

const busy = new OverloadedError({ message: 'busy' });

function fleet(lastServes = true) {
  // One error instance thrown by every failing call, as a shared abort reason would be.
  const failing = () => new MockBackend({ reply: { error: busy } });
  const backends = [
    failing(),
    failing(),
    lastServes ? new MockBackend({ reply: { text: 'from c' } }) : failing(),
  ];
  const router = new Router({ defaultBackend: 'a', fallbackChain: ['b', 'c'] })
    .register('a', backends[0] as MockBackend)
    .register('b', backends[1] as MockBackend)
    .register('c', backends[2] as MockBackend);
  return { router, calls: () => backends.map((backend) => backend.calls.length) };
}

describe('Router within the call’s budget of upstream calls', () => {
  it('stops falling back once the call has made all its upstream attempts', async () => {
    const { router, calls } = fleet();
    await expect(new Bridge({ backend: router, maxAttempts: 2 }).execute(hi)).rejects.toMatchObject({
      kind: 'all-backends-failed',
    });
    expect(calls()).toEqual([1, 1, 0]);
  });

  it('reports every upstream call in routing.attempts', async () => {
    const { router, calls } = fleet();
    const response = await new Bridge({ backend: router }).execute(hi);
    expect(response.routing).toMatchObject({ backend: 'c', attempts: 3 });
    expect(calls()).toEqual([1, 1, 1]);
  });
});

describe.each(['execute', 'stream'] as const)('a failed call’s error (%s)', (mode) => {
  const call = (bridge: Bridge) =>
    (mode === 'execute' ? bridge.execute(hi) : bridge.stream(hi).collect()).catch((error: unknown) => error);

  it('says how many upstream calls the call made, and at which backend it ended', async () => {
    const { router, calls } = fleet(false);
    const error = await call(new Bridge({ backend: router }));
    expect(calls()).toEqual([1, 1, 1]);
    expect(error).toMatchObject({ kind: 'all-backends-failed', routing: { attempts: 3, backend: 'c' } });
  });

  it('counts each call for itself, even when the same error instance ends both', async () => {
    const { router } = fleet(false);
    const one = await call(new Bridge({ backend: router, maxAttempts: 1 }));
    const two = await call(new Bridge({ backend: router, maxAttempts: 2 }));
    expect(one).toMatchObject({ kind: 'overloaded', routing: { attempts: 1, backend: 'a' } });
    expect(two).toMatchObject({ routing: { attempts: 2, backend: 'b' } });
    expect(busy.routing).toBeUndefined();
  });

  it('says 0 when the call never went upstream', async () => {
    const { router, calls } = fleet();
    const error = await call(
      new Bridge({ backend: router }).use({
        name: 'refuse',
        execute: () => Promise.reject(new OverloadedError({ message: 'not today' })),
      }),
    );
    expect(calls()).toEqual([0, 0, 0]);
    expect(error).toMatchObject({ routing: { attempts: 0 } });
  });
});
