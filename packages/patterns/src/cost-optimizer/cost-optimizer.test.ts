import { Bridge, type ChatRequest, Router } from 'ai.matey.core';
import { MockBackend } from 'ai.matey.testing';
import { describe, expect, it } from 'vitest';
import { type CallCost, CostOptimizer, createCostOptimizer } from './create-cost-optimizer.ts';
import { selectCheapestProvider } from './select-cheapest-provider.ts';

// The seed's tables.
const PRICING = {
  deepseek: 0.0002,
  groq: 0.00027,
  anthropic: 0.0008, // Haiku
  openai: 0.0015, // GPT-3.5
};

const QUALITY_TIERS = {
  low: ['deepseek'],
  medium: ['deepseek', 'groq'],
  high: ['groq', 'anthropic', 'openai'],
  ultra: ['anthropic', 'openai'],
};

const USAGE = { inputTokens: 40, outputTokens: 60 };

function fleet() {
  const router = new Router({ defaultBackend: 'openai' });
  const backends = Object.fromEntries(
    Object.keys(PRICING).map((name) => [
      name,
      new MockBackend({ name, reply: { text: `from ${name}`, usage: USAGE } }),
    ]),
  );
  for (const [name, backend] of Object.entries(backends)) router.register(name, backend);
  return { router, backends };
}

const ask = (qualityTier: string, content = 'Summarise this paragraph, please.'): ChatRequest => ({
  messages: [{ role: 'user', content }],
  metadata: { qualityTier },
});

describe('selectCheapestProvider', () => {
  it("matches the seed's snippet", () => {
    const { provider, estimatedCost } = selectCheapestProvider('What is the capital of France?', 'medium', {
      pricing: PRICING,
      tiers: QUALITY_TIERS,
    });
    expect(provider).toBe('deepseek');
    // ceil((30 + 200) / 4) = 58 tokens at $0.0002 per 1K.
    expect(estimatedCost).toBeCloseTo((0.0002 * 58) / 1000, 12);
    expect(selectCheapestProvider('x', 'ultra', { pricing: PRICING, tiers: QUALITY_TIERS }).provider).toBe(
      'anthropic',
    );
    expect(() => selectCheapestProvider('x', 'platinum', { pricing: PRICING, tiers: QUALITY_TIERS })).toThrow(
      /Unknown quality tier/,
    );
  });

  it('weighs input and output prices separately when given both', () => {
    const pricing = {
      cheapIn: { inputPer1K: 0.1, outputPer1K: 10 },
      cheapOut: { inputPer1K: 1, outputPer1K: 1 },
    };
    const tiers = { any: ['cheapIn', 'cheapOut'] };
    expect(selectCheapestProvider('x'.repeat(40_000), 'any', { pricing, tiers }).provider).toBe('cheapIn');
    expect(selectCheapestProvider('x', 'any', { pricing, tiers, expectedOutputTokens: 1_000 }).provider).toBe(
      'cheapOut',
    );
  });
});

describe('createCostOptimizer', () => {
  it('a mixed workload through a Router saves against always-openai', async () => {
    const { router, backends } = fleet();
    const optimizer = createCostOptimizer({ pricing: PRICING, tiers: QUALITY_TIERS, reference: 'openai' });
    const bridge = new Bridge({ backend: router }).use(optimizer);
    const workload = [...Array(4).fill('low'), ...Array(3).fill('medium'), 'high', 'high', 'ultra'];
    for (const tier of workload) {
      const response = await bridge.execute(ask(tier));
      expect((response.metadata?.cost as CallCost | undefined)?.tier).toBe(tier);
    }
    const report = optimizer.report();
    expect(report.calls).toBe(10);
    expect(report.distribution.deepseek).toMatchObject({ calls: 7, share: 0.7 });
    expect(report.distribution.groq).toMatchObject({ calls: 2 });
    expect(report.distribution.anthropic).toMatchObject({ calls: 1 });
    expect(backends.openai?.calls).toHaveLength(0);
    // Every call used 100 tokens: (7 × 0.0002 + 2 × 0.00027 + 0.0008) / (10 × 0.0015).
    expect(report.totalUsd).toBeCloseTo(0.1 * (7 * 0.0002 + 2 * 0.00027 + 0.0008), 12);
    expect(report.referenceUsd).toBeCloseTo(0.1 * 10 * 0.0015, 12);
    expect(report.savingsPct).toBeCloseTo(81.73, 1);
    console.log(
      `cost optimizer: ${report.savingsPct.toFixed(1)}% saved against always-openai`,
      report.distribution,
    );
  });

  it('records estimated and actual cost per call, for streams too', async () => {
    const { router } = fleet();
    const optimizer = createCostOptimizer({ pricing: PRICING, tiers: QUALITY_TIERS });
    expect(optimizer.reference).toBe('openai');
    const bridge = new Bridge({ backend: router }).use(optimizer);
    const response = await bridge.stream(ask('high', 'x'.repeat(400))).collect();
    const cost = response.providerMetadata?.cost as unknown as CallCost;
    expect(cost).toMatchObject({ provider: 'groq', tier: 'high' });
    expect(cost.estimatedUsd).toBeCloseTo((0.00027 * (100 + 50)) / 1000, 12);
    expect(cost.actualUsd).toBeCloseTo((0.00027 * 100) / 1000, 12);
    expect(optimizer.calls()).toEqual([cost]);
  });

  it('keeps a provider the request already names', async () => {
    const { router, backends } = fleet();
    const bridge = new Bridge({ backend: router }).use(
      createCostOptimizer({ pricing: PRICING, tiers: QUALITY_TIERS }),
    );
    await bridge.execute({ ...ask('low'), metadata: { qualityTier: 'low', provider: 'openai' } });
    expect(backends.openai?.calls).toHaveLength(1);
  });

  it('refuses calls over budget with BudgetExceededError', async () => {
    const { router } = fleet();
    const optimizer = createCostOptimizer({
      pricing: PRICING,
      tiers: QUALITY_TIERS,
      budget: { maxTotalUsd: 0.0001 },
    });
    const bridge = new Bridge({ backend: router }).use(optimizer);
    await bridge.execute(ask('ultra')); // 100 tokens at anthropic: $0.00008
    await expect(bridge.execute(ask('ultra'))).rejects.toMatchObject({ kind: 'budget-exceeded' });
    expect(optimizer.report().calls).toBe(1);
  });
});

describe('new CostOptimizer() without options', () => {
  it("uses the guide's prices and tiers: medium goes to deepseek, ultra to anthropic, savings against openai", async () => {
    const { router, backends } = fleet();
    const optimizer = new CostOptimizer();
    expect(optimizer.reference).toBe('openai');
    const bridge = new Bridge({ backend: router }).use(optimizer);
    expect((await bridge.execute({ messages: [{ role: 'user', content: 'Hi' }] })).routing?.backend).toBe(
      'deepseek',
    );
    expect((await bridge.execute(ask('ultra'))).routing?.backend).toBe('anthropic');
    expect(backends.openai?.calls).toHaveLength(0);
    const report = optimizer.report();
    // 100 tokens a call: deepseek $0.00002 + anthropic $0.00008 against 2 × openai $0.00015.
    expect(report.totalUsd).toBeCloseTo(0.0001, 12);
    expect(report.savingsPct).toBeCloseTo((1 - 0.0001 / 0.0003) * 100, 6);
  });
});
