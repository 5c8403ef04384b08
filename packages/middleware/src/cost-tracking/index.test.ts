import {
  AiMateyError,
  Bridge,
  type ChatResponse,
  ChatStream,
  type ModelCatalog,
  type ModelInfo,
} from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.ts';
import {
  type CallCost,
  type CostRecord,
  createCostTrackingMiddleware,
  estimateInputTokens,
} from './index.ts';

const models: ModelInfo[] = [
  {
    id: 'priced-model',
    provider: 'mock',
    pricing: { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
  },
];
const catalog: ModelCatalog = {
  find: (model, provider) =>
    models.find((info) => info.id === model && (provider === undefined || info.provider === provider)),
};

function costOf(response: ChatResponse): CallCost {
  const cost = response.metadata?.cost;
  if (!cost) throw new Error('the response has no cost');
  return cost as CallCost;
}

describe('cost tracking', () => {
  it('prices an execute call from its real usage and puts the cost on the response', async () => {
    const backend = new MockBackend({
      reply: { text: 'hi', usage: { inputTokens: 1000, outputTokens: 500 } },
    });
    const records: CostRecord[] = [];
    const costs = createCostTrackingMiddleware({ catalog, onCost: (record) => records.push(record) });
    const bridge = new Bridge({ backend, middleware: [costs] });

    const response = await bridge.execute({
      model: 'priced-model',
      messages: [{ role: 'user', content: 'Hello' }],
    });

    const cost = costOf(response);
    // 1000 × $2/M + 500 × $8/M
    expect(cost.actualUsd).toBeCloseTo(0.006, 12);
    expect(cost).toMatchObject({ inputTokens: 1000, outputTokens: 500, priced: true });
    expect(cost.estimatedUsd).toBeGreaterThan(0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ mode: 'execute', provider: 'mock', model: 'priced-model' });
  });

  it('records the cost of a stream from the final usage it saw', async () => {
    const backend = new MockBackend({
      reply: { text: 'a streamed answer in words', usage: { inputTokens: 2000, outputTokens: 1000 } },
    });
    const costs = createCostTrackingMiddleware({ catalog });
    let seenInState: unknown;
    const bridge = new Bridge({
      backend,
      middleware: [
        async (request, next, context) => {
          const reply = await next(request);
          return context.mode === 'stream'
            ? ChatStream.from(reply as ChatStream).onFinish(() => {
                seenInState = context.state.get('cost');
              })
            : reply;
        },
        costs,
      ],
    });

    let text = '';
    for await (const chunk of bridge
      .stream({ model: 'priced-model', messages: [{ role: 'user', content: 'Hi' }] })
      .textStream())
      text += chunk;

    expect(text).toBe('a streamed answer in words');
    // 2000 × $2/M + 1000 × $8/M
    expect(seenInState).toMatchObject({ actualUsd: 0.012, inputTokens: 2000, outputTokens: 1000 });
    const totals = costs.tracker.totals();
    expect(totals.total.usd).toBeCloseTo(0.012, 12);
    expect(totals.byModel['mock/priced-model']?.calls).toBe(1);
    expect(totals.byProvider.mock?.outputTokens).toBe(1000);
    expect(totals.byKey.global?.usd).toBeCloseTo(0.012, 12);
  });

  it('charges cached input tokens at the cached rate', async () => {
    const backend = new MockBackend({
      reply: { text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 800_000 } },
    });
    const costs = createCostTrackingMiddleware({ catalog });
    const bridge = new Bridge({ backend, middleware: [costs] });

    const response = await bridge.execute({
      model: 'priced-model',
      messages: [{ role: 'user', content: 'x' }],
    });

    // 200k fresh × $2/M + 800k cached × $0.5/M = $0.4 + $0.4 (all at full price it would be $2)
    expect(costOf(response).actualUsd).toBeCloseTo(0.8, 12);
  });

  it('refuses a call whose estimate exceeds the remaining budget, and lets an under-budget one through', async () => {
    const backend = new MockBackend({
      reply: { text: 'ok', usage: { inputTokens: 10, outputTokens: 100 } },
    });
    const store = new MemoryStore();
    const costs = createCostTrackingMiddleware({
      prices: { 'priced-model': { inputPerMTok: 1000, outputPerMTok: 1000 } },
      budget: { limitUsd: 1, windowMs: 86_400_000 },
      store,
    });
    const bridge = new Bridge({ backend, middleware: [costs] });
    const small = {
      model: 'priced-model',
      maxOutputTokens: 100,
      messages: [{ role: 'user' as const, content: 'short question' }],
      metadata: { userId: 'alice' },
    };

    // An estimated 11 input + 100 output tokens at $1000/M = $0.111: fits the $1 budget, and is
    // settled down to the real $0.11.
    const first = await bridge.execute(small);
    expect(costOf(first)).toMatchObject({ estimatedUsd: 0.111, actualUsd: 0.11, chargedUsd: 0.11 });
    expect(await costs.tracker.spent('alice')).toBeCloseTo(0.11, 12);

    // 2000 output tokens alone would cost $2: refused before reaching the backend.
    const error = await bridge.execute({ ...small, maxOutputTokens: 2000 }).catch((e: unknown) => e);
    expect(AiMateyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'budget-exceeded', isRetryable: false, code: 'budget_exceeded' });
    expect(backend.calls).toHaveLength(1);
    // The refused call left the budget as it was, and another user's budget is untouched.
    expect(await costs.tracker.spent('alice')).toBeCloseTo(0.11, 12);
    await bridge.execute({ ...small, metadata: { userId: 'bob' } });
    expect(backend.calls).toHaveLength(2);

    // The same refusal applies to a stream, before its first event.
    const streamError = await bridge
      .stream({ ...small, maxOutputTokens: 2000 })
      .collect()
      .catch((e: unknown) => e);
    expect(streamError).toMatchObject({ kind: 'budget-exceeded' });
    expect(backend.calls).toHaveLength(2);
  });

  it('reserves the model output limit when max_tokens is absent, sends it as the cap, and never charges past it', async () => {
    const limited: ModelCatalog = {
      find: () => ({
        id: 'priced-model',
        provider: 'mock',
        maxOutputTokens: 300,
        pricing: { inputPerMTok: 1000, outputPerMTok: 1000 },
      }),
    };
    // The upstream reports far more than it could have produced.
    const backend = new MockBackend({
      reply: { text: 'ok', usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 } },
    });
    const costs = createCostTrackingMiddleware({
      catalog: limited,
      budget: { limitUsd: 1, windowMs: 86_400_000 },
    });
    const bridge = new Bridge({ backend, middleware: [costs] });
    const ask = { model: 'priced-model', messages: [{ role: 'user' as const, content: 'hi' }] };
    // Worst case: 8 input (approximated) + 300 output tokens at $1000/M = $0.308.
    const first = await bridge.execute(ask);
    expect(backend.calls[0]?.maxOutputTokens).toBe(300);
    expect(costOf(first)).toMatchObject({ estimatedUsd: 0.308, actualUsd: 2000, chargedUsd: 0.308 });
    // Asking for more than the model can write reserves what it can write.
    const greedy = await bridge.execute({ ...ask, maxOutputTokens: 1_000_000 });
    expect(costOf(greedy).estimatedUsd).toBe(0.308);
    await bridge.execute(ask);
    // A fourth worst case would pass $1: refused, and the ledger stays within the limit.
    await expect(bridge.execute(ask)).rejects.toMatchObject({ kind: 'budget-exceeded' });
    expect(await costs.tracker.spent('global')).toBeCloseTo(0.924, 9);
    expect(backend.calls).toHaveLength(3);
  });

  it('gives the reservation back when the call fails', async () => {
    const backend = new MockBackend({
      reply: { error: new AiMateyError({ message: 'upstream down', isRetryable: true }) },
    });
    const costs = createCostTrackingMiddleware({
      prices: { 'priced-model': { inputPerMTok: 1000, outputPerMTok: 1000 } },
      budget: { limitUsd: 1, windowMs: 60_000 },
    });
    const bridge = new Bridge({ backend, middleware: [costs] });
    await expect(
      bridge.execute({
        model: 'priced-model',
        maxOutputTokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toThrow('upstream down');
    expect(await costs.tracker.spent('global')).toBe(0);
  });
});

describe('estimateInputTokens', () => {
  it('counts OpenAI-family models with the real tokenizer', async () => {
    // "The quick brown fox jumps over the lazy dog." is 10 o200k tokens; with OpenAI's chat
    // framing (3 per message, 1 for the role, 3 to prime the reply) the prompt is 17 tokens.
    const estimate = await estimateInputTokens({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog.' }],
    });
    expect(estimate).toEqual({ tokens: 17, method: 'tokenizer' });
  });

  it('approximates other families (chars/4 plus framing)', async () => {
    const estimate = await estimateInputTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog.' }],
    });
    // 44 chars / 4 = 11, + 4 framing + 3 priming
    expect(estimate).toEqual({ tokens: 18, method: 'approximate' });
  });
});
