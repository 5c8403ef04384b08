import { Bridge, type ChatRequest, StoreUnavailableError } from 'ai.matey.core';
import { createCacheMiddleware, type KeyValueStore } from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { createSemanticCacheMiddleware, type SemanticCacheOptions } from './semantic-cache.ts';
import { ask, type Mode, modes, question } from './test-support/calls.ts';
import { WordsEmbedder } from './test-support/words-embedder.ts';

const reset = question('How do I reset my password?');
const resetAgain = question('how do i reset my password');
const weather = question('What is the weather in Paris today?');

/** A chat backend that echoes the prompt (so an answer tells which prompt it was for). */
function setup(options: Partial<SemanticCacheOptions> = {}) {
  const backend = new MockBackend();
  const embedder = new WordsEmbedder();
  const semantic = createSemanticCacheMiddleware({
    embedder: new Bridge({ backend: embedder }),
    threshold: 0.9,
    ...options,
  });
  const bridge = new Bridge({ backend, middleware: [semantic] });
  return { backend, embedder, semantic, bridge };
}

describe.each(modes)('createSemanticCacheMiddleware (%s)', (mode: Mode) => {
  it('serves a paraphrase the stored answer, with semantic-hit and the similarity', async () => {
    const { backend, bridge, semantic } = setup();
    const first = await ask(bridge, mode, reset);
    const second = await ask(bridge, mode, resetAgain);
    expect(backend.calls).toHaveLength(1);
    expect(second.text).toBe(first.text);
    expect(first.cache).toBeUndefined();
    expect(second.cache).toMatchObject({ status: 'semantic-hit' });
    expect(second.cache?.similarity).toBeCloseTo(1, 5);
    expect(semantic.stats()).toMatchObject({ hits: 1, misses: 1, writes: 1 });
  });

  it('does not serve a different question', async () => {
    const { backend, bridge } = setup();
    await ask(bridge, mode, reset);
    const other = await ask(bridge, mode, weather);
    expect(backend.calls).toHaveLength(2);
    expect(other.text).toContain('weather');
  });

  it('never shares an answer between two system prompts', async () => {
    const { backend, bridge } = setup();
    await ask(bridge, mode, question('How do I reset my password?', 'You answer for Acme.'));
    const other = await ask(bridge, mode, question('How do I reset my password?', 'You answer for Globex.'));
    expect(backend.calls).toHaveLength(2);
    expect(other.cache).toBeUndefined();
  });

  it('never shares an answer between two conversations with different earlier turns', async () => {
    const { backend, bridge } = setup();
    const earlier = (said: string): ChatRequest => ({
      model: 'mock-model',
      messages: [
        { role: 'user', content: said },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'How do I reset it?' },
      ],
    });
    await ask(bridge, mode, earlier('My router is broken.'));
    await ask(bridge, mode, earlier('My password is lost.'));
    expect(backend.calls).toHaveLength(2);
  });

  it('passes requests with tools or a temperature by, unless allowed', async () => {
    const tools = [{ name: 'lookup', inputSchema: { type: 'object' } }];
    const { backend, bridge, embedder, semantic } = setup();
    for (const request of [
      { ...reset, tools },
      { ...reset, temperature: 0.7 },
    ]) {
      await ask(bridge, mode, request);
      await ask(bridge, mode, request);
    }
    expect(backend.calls).toHaveLength(4);
    expect(embedder.calls).toHaveLength(0);
    expect(semantic.stats().bypassed).toBe(4);

    const allowing = setup({ allowTools: true, allowTemperature: true });
    await ask(allowing.bridge, mode, { ...reset, tools, temperature: 0.7 });
    const again = await ask(allowing.bridge, mode, { ...resetAgain, tools, temperature: 0.7 });
    expect(allowing.backend.calls).toHaveLength(1);
    expect(again.cache).toMatchObject({ status: 'semantic-hit' });
  });

  it('serves only calls it is enabled for: two keys without opt-in never share an answer', async () => {
    const optedIn = new Set(['key-a']);
    const { backend, bridge, embedder } = setup({
      enabled: (request) => optedIn.has(String(request.metadata?.apiKeyId)),
    });
    const as = (request: ChatRequest, apiKeyId: string) => ({ ...request, metadata: { apiKeyId } });
    await ask(bridge, mode, as(reset, 'key-b'));
    const other = await ask(bridge, mode, as(resetAgain, 'key-c'));
    expect(backend.calls).toHaveLength(2);
    expect(other.cache).toBeUndefined();
    expect(embedder.calls).toHaveLength(0);
    // The opted-in key is not served what the others were answered either: they stored nothing.
    await ask(bridge, mode, as(reset, 'key-a'));
    expect(backend.calls).toHaveLength(3);
  });

  it('serves an answer for ttlMs, then asks the backend again', async () => {
    let now = 1_000_000;
    const { backend, bridge } = setup({ ttlMs: 60_000, now: () => now });
    await ask(bridge, mode, reset);
    now += 59_000;
    expect((await ask(bridge, mode, resetAgain)).cache).toMatchObject({
      status: 'semantic-hit',
      ageMs: 59_000,
    });
    now += 2_000;
    expect((await ask(bridge, mode, resetAgain)).cache).toBeUndefined();
    expect(backend.calls).toHaveLength(2);
  });

  it('keeps at most maxEntries answers, the oldest going first', async () => {
    const { backend, bridge } = setup({ maxEntries: 2 });
    const prompts = ['How do I reset my password?', 'What is the weather in Paris?', 'Who wrote Hamlet?'];
    for (const prompt of prompts) await ask(bridge, mode, question(prompt));
    expect((await ask(bridge, mode, question('who wrote hamlet'))).cache).toMatchObject({
      status: 'semantic-hit',
    });
    expect((await ask(bridge, mode, question('how do i reset my password'))).cache).toBeUndefined();
    expect(backend.calls).toHaveLength(4);
  });

  it('never serves a prompt with other numbers in it, unless matchNumbers is off', async () => {
    const { backend, bridge } = setup();
    await ask(bridge, mode, question('Convert 5 miles to kilometers'));
    expect((await ask(bridge, mode, question('convert 50 miles to kilometers'))).cache).toBeUndefined();
    expect((await ask(bridge, mode, question('Convert 5 miles to kilometers!'))).cache).toMatchObject({
      status: 'semantic-hit',
    });
    expect(backend.calls).toHaveLength(2);

    const loose = setup({ matchNumbers: false, threshold: 0.75 });
    await ask(loose.bridge, mode, question('Convert 5 miles to kilometers'));
    expect((await ask(loose.bridge, mode, question('convert 50 miles to kilometers'))).cache).toBeDefined();
  });

  it('goes on uncached when the store fails', async () => {
    const down = async () => {
      throw new StoreUnavailableError({ message: 'the store is down' });
    };
    const store: KeyValueStore = { get: down, set: down, delete: down, increment: down };
    const { backend, bridge, semantic } = setup({ store });
    await ask(bridge, mode, reset);
    const second = await ask(bridge, mode, resetAgain);
    expect(second.text).toContain('how do i reset');
    expect(backend.calls).toHaveLength(2);
    expect(semantic.stats().storeErrors).toBeGreaterThanOrEqual(2);
  });

  it('goes on uncached when the embedding call fails', async () => {
    const { backend, bridge, embedder, semantic } = setup();
    embedder.failing = true;
    await ask(bridge, mode, reset);
    await ask(bridge, mode, resetAgain);
    expect(backend.calls).toHaveLength(2);
    expect(semantic.stats()).toMatchObject({ embedErrors: 2, hits: 0 });
  });

  it('behind the exact cache: a repeat costs no embedding call, a paraphrase is a semantic hit', async () => {
    const backend = new MockBackend();
    const embedder = new WordsEmbedder();
    const semantic = createSemanticCacheMiddleware({
      embedder: new Bridge({ backend: embedder }),
      threshold: 0.9,
    });
    const bridge = new Bridge({ backend, middleware: [createCacheMiddleware(), semantic] });
    await ask(bridge, mode, reset);
    expect((await ask(bridge, mode, reset)).cache).toMatchObject({ status: 'hit' });
    expect(embedder.calls).toHaveLength(1);
    expect((await ask(bridge, mode, resetAgain)).cache).toMatchObject({ status: 'semantic-hit' });
    // The paraphrase's semantic hit was not stored as an exact answer: it is a semantic hit again.
    expect((await ask(bridge, mode, resetAgain)).cache).toMatchObject({ status: 'semantic-hit' });
    expect(backend.calls).toHaveLength(1);
  });
});

describe('createSemanticCacheMiddleware across call modes', () => {
  it('a streamed miss is stored once complete, and served to a plain call (and back)', async () => {
    const { backend, bridge } = setup();
    const streamed = await ask(bridge, 'stream', reset);
    const plain = await ask(bridge, 'execute', resetAgain);
    expect(plain.text).toBe(streamed.text);
    expect(plain.cache).toMatchObject({ status: 'semantic-hit' });
    const replayed = await ask(bridge, 'stream', question('How do I RESET my password'));
    expect(replayed.text).toBe(streamed.text);
    expect(backend.calls).toHaveLength(1);
  });
});

describe('createSemanticCacheMiddleware: who pays for the embedding', () => {
  it("sends the call's metadata with the embedding, so a cost tracker keyed by it charges the caller", async () => {
    const { embedder, bridge } = setup();
    await bridge.execute({ ...reset, metadata: { userId: 'alice', apiKeyId: 'team-a' } });
    expect(embedder.calls[0]?.metadata).toMatchObject({ userId: 'alice', apiKeyId: 'team-a' });
  });
});
