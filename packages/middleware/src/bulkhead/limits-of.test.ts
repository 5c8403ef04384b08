import { Bridge, type ChatRequest, ConcurrencyLimitError } from 'ai.matey.core';
import { describe, expect, it } from 'vitest';
import { GatedBackend } from '../test-support/gated-backend.ts';
import { type BulkheadLimits, createBulkheadMiddleware } from './index.ts';

const ask = (text: string, key: string): ChatRequest => ({
  messages: [{ role: 'user', content: text }],
  metadata: { apiKeyId: key },
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('createBulkheadMiddleware: limitsOf (limits read on every call)', () => {
  it("follows a key's limits as they change: raised, lowered, removed", async () => {
    const backend = new GatedBackend();
    const current = new Map<string, BulkheadLimits>([['k', { maxConcurrent: 1 }]]);
    const bulkhead = createBulkheadMiddleware({
      scope: 'caller',
      key: (request) => String(request.metadata?.apiKeyId),
      limits: { k: { maxConcurrent: 5 } },
      limitsOf: (key) => current.get(key),
    });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const first = bridge.execute(ask('a', 'k'));
    await until(() => backend.waiting === 1, 'the first call in');
    // limitsOf wins over `limits`: one slot, no queue.
    const refused = await bridge.execute(ask('b', 'k')).catch((error: unknown) => error);
    expect(ConcurrencyLimitError.isInstance(refused)).toBe(true);

    current.set('k', { maxConcurrent: 2 });
    const second = bridge.execute(ask('c', 'k'));
    await until(() => backend.waiting === 2, 'the second call in, under the raised cap');
    expect(bulkhead.stats().k).toMatchObject({ inFlight: 1 });

    current.delete('k');
    const static5 = [bridge.execute(ask('d', 'k')), bridge.execute(ask('e', 'k'))];
    await until(() => backend.waiting === 4, 'back to the static limits (5)');
    for (let i = 0; i < 4; i++) backend.open();
    await Promise.all([first, second, ...static5]);
    expect(backend.entered).toEqual(['a', 'c', 'd', 'e']);
  });

  it('lets a key pass uncapped when neither limitsOf nor limits name it, keeping no entry', async () => {
    const backend = new GatedBackend();
    const bulkhead = createBulkheadMiddleware({
      scope: 'caller',
      key: (request) => String(request.metadata?.apiKeyId),
      limitsOf: () => undefined,
    });
    const bridge = new Bridge({ backend, middleware: [bulkhead] });
    const calls = ['a', 'b', 'c'].map((text) => bridge.execute(ask(text, 'free')));
    await until(() => backend.waiting === 3, 'all three in');
    for (let i = 0; i < 3; i++) backend.open();
    await Promise.all(calls);
    expect(bulkhead.stats()).toEqual({});
  });
});
