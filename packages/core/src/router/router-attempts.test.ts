import { describe, expect, it } from 'vitest';
import { Bridge } from '../bridge.ts';
import { OverloadedError } from '../errors/overloaded-error.ts';
import type { ChatRequest } from '../spec/request.ts';
import { MockBackend } from '../test-support/mock-backend.ts';
import { Router } from './router.ts';

const hi: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

function fleet() {
  const failing = () => new MockBackend({ reply: { error: new OverloadedError({ message: 'busy' }) } });
  const backends = [failing(), failing(), new MockBackend({ reply: { text: 'from c' } })];
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
