/**
 * `GatewayPolicy.embedOnBehalf`: an embedding the gateway makes for a call it admitted (the
 * semantic cache's) is paid by the key named in its metadata, and costs the key nothing else.
 */
import { defaultCatalog } from 'ai.matey.backend';
import {
  Bridge,
  type ChatRequest,
  type EmbedRequest,
  type EmbedResponse,
  type Middleware,
} from 'ai.matey.core';
import { MemoryStore } from 'ai.matey.middleware';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { budgetCounterKey } from './budget-counters.ts';
import { GatewayPolicy } from './gateway-policy.ts';

const SECRET = 'gw-key-on-behalf-3f9a1c';
const EMBEDDING_MODEL = 'openai/text-embedding-3-small';
/** $0.02 a million tokens, 2 tokens a call (within the reservation: a token per character). */
const EMBED_COST = (2 * 0.02) / 1e6;

/** A mock whose embeddings report 2 input tokens each call. */
class EmbeddingMock extends MockBackend {
  async embed(request: EmbedRequest): Promise<EmbedResponse> {
    return {
      model: 'text-embedding-3-small',
      provider: 'openai',
      embeddings: request.inputs.map(() => [1, 0]),
      usage: { inputTokens: 2, outputTokens: 0, totalTokens: 2 },
      warnings: [],
    };
  }
}

function setup() {
  const store = new MemoryStore();
  const seen: unknown[] = [];
  const watcher: Middleware = {
    name: 'watcher',
    execute: (request, next) => next(request),
    embed: (request, next) => {
      seen.push(request.metadata?.apiKeyId);
      return next(request);
    },
  };
  const policy = new GatewayPolicy({
    bridge: new Bridge({ backend: new EmbeddingMock() }),
    keys: [{ id: 'k', key: SECRET, requestsPerMinute: 1, allowedModels: ['mock-model'], budgetUsdPerDay: 1 }],
    catalog: defaultCatalog,
    store,
    outerMiddleware: [watcher],
  });
  return { policy, store, seen };
}

const onBehalf: EmbedRequest = { model: EMBEDDING_MODEL, inputs: ['hello'], metadata: { apiKeyId: 'k' } };
const chat: ChatRequest = { model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] };

describe('GatewayPolicy.embedOnBehalf', () => {
  it("charges the key's budget and passes the outer middleware, with the key's id", async () => {
    const { policy, store, seen } = setup();
    await policy.embedOnBehalf(onBehalf);
    await policy.embedOnBehalf(onBehalf);
    const counted = await store.get<number>(budgetCounterKey('k', 'day', Date.now()));
    expect(counted).toBeCloseTo(2 * EMBED_COST, 12);
    expect(seen).toEqual(['k', 'k']);
  });

  it("neither spends the key's requests per minute nor checks its models (the caller's own embed call does)", async () => {
    const { policy } = setup();
    const key = await policy.authenticate(SECRET);
    await policy.embedOnBehalf(onBehalf);
    await policy.embedOnBehalf(onBehalf);
    // The key's one request a minute is still there for its own call…
    await expect(policy.execute(key, chat)).resolves.toMatchObject({ model: expect.any(String) });
    await expect(policy.execute(key, chat)).rejects.toMatchObject({ kind: 'rate-limited' });
    // …and the same embedding asked for by the caller is refused: not one of its models.
    await expect(policy.embed(key, { model: EMBEDDING_MODEL, inputs: ['hello'] })).rejects.toMatchObject({
      kind: 'permission',
    });
  });
});
