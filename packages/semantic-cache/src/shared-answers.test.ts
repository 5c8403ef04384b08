import { Bridge } from 'ai.matey.core';
import { RedisStore } from 'ai.matey.store.redis';
import { MockBackend } from 'ai.matey.testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createSemanticCacheMiddleware, type SemanticCacheOptions } from './semantic-cache.ts';
import { ask, question } from './test-support/calls.ts';
import { WordsEmbedder } from './test-support/words-embedder.ts';

/** Replicas on the local Redis, each its own connection, one key prefix for this run. */
describe('semantic cache replicas sharing Redis', () => {
  const prefix = `matey-test:semantic:${process.pid}:${Date.now()}:`;
  const stores: RedisStore[] = [];

  function replica(options: Partial<SemanticCacheOptions> = {}) {
    const store = new RedisStore({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix });
    stores.push(store);
    const backend = new MockBackend();
    const semantic = createSemanticCacheMiddleware({
      embedder: new Bridge({ backend: new WordsEmbedder() }),
      threshold: 0.9,
      store,
      ...options,
    });
    return { backend, semantic, bridge: new Bridge({ backend, middleware: [semantic] }) };
  }

  afterAll(async () => {
    const [first] = stores;
    if (first) {
      const keys = await first.client.keys(`${prefix}*`);
      if (keys.length > 0) await first.client.del(...keys);
    }
    await Promise.all(stores.map((store) => store.close()));
  });

  it('an answer stored by one replica is served by another, and by a replica started later', async () => {
    const one = replica({ keyPrefix: 'a:' });
    const two = replica({ keyPrefix: 'a:' });
    const stored = await ask(one.bridge, 'execute', question('How do I reset my password?'));
    const served = await ask(two.bridge, 'stream', question('how do i reset my password'));
    expect(served).toMatchObject({ text: stored.text, cache: { status: 'semantic-hit' } });
    const later = replica({ keyPrefix: 'a:' });
    const rebuilt = await ask(later.bridge, 'execute', question('How do I reset my PASSWORD'));
    expect(rebuilt.text).toBe(stored.text);
    expect(later.backend.calls).toHaveLength(0);
    expect(later.semantic.stats().entries).toBe(1);
  });

  it('the size bound holds in every replica alike: the oldest answers go first', async () => {
    const one = replica({ keyPrefix: 'b:', maxEntries: 2 });
    const two = replica({ keyPrefix: 'b:', maxEntries: 2 });
    await ask(two.bridge, 'execute', question('Who wrote Hamlet?'));
    for (const prompt of [
      'How do I reset my password?',
      'What is the weather in Paris?',
      'Who painted the Mona Lisa?',
    ])
      await ask(one.bridge, 'execute', question(prompt));
    expect((await ask(two.bridge, 'execute', question('who painted the mona lisa'))).cache).toBeDefined();
    expect((await ask(two.bridge, 'execute', question('who wrote hamlet'))).cache).toBeUndefined();
    expect(await stores[0]?.get('b:entry:1')).toBeUndefined();
  });
});
