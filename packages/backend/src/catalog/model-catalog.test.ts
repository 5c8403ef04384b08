import { describe, expect, it } from 'vitest';
import { model } from './catalog-entry.ts';
import { defaultCatalog, ModelCatalog } from './model-catalog.ts';

describe('ModelCatalog', () => {
  it('finds models by id, alias, dated snapshot, models/ prefix and provider/ prefix', () => {
    expect(defaultCatalog.find('gpt-4o-mini')?.provider).toBe('openai');
    expect(defaultCatalog.find('claude-sonnet-4-5')?.id).toBe('claude-sonnet-4-5-20250929');
    expect(defaultCatalog.find('gpt-4.1-2025-04-14')?.id).toBe('gpt-4.1');
    expect(defaultCatalog.find('models/gemini-2.5-flash')?.id).toBe('gemini-2.5-flash');
    expect(defaultCatalog.find('anthropic/claude-haiku-4-5')?.id).toBe('claude-haiku-4-5-20251001');
    expect(defaultCatalog.find('GPT-4O')?.id).toBe('gpt-4o');
    expect(defaultCatalog.find('no-such-model')).toBeUndefined();
  });

  it('keeps providers apart: a model is found only under the provider that serves it', () => {
    expect(defaultCatalog.find('gpt-4o', 'anthropic')).toBeUndefined();
    expect(defaultCatalog.find('gemini-2.5-pro', 'google')?.provider).toBe('gemini');
    expect(defaultCatalog.find('gpt-4o', 'azure-openai')?.provider).toBe('openai');
    expect(defaultCatalog.find('openai/gpt-oss-120b', 'groq')?.provider).toBe('groq');
    expect(defaultCatalog.find('openai/gpt-4o-mini', 'openrouter')?.id).toBe('gpt-4o-mini');
  });

  it('records capabilities, limits and per-million prices for the main models', () => {
    const haiku = defaultCatalog.find('claude-3-5-haiku-latest');
    expect(haiku?.capabilities).toMatchObject({ tools: true, reasoning: false });
    expect(haiku?.pricing).toEqual({
      inputPerMTok: 0.8,
      outputPerMTok: 4,
      cachedInputPerMTok: 0.08,
      cacheWritePerMTok: 1,
    });
    expect(defaultCatalog.find('llama-3.3-70b-versatile')?.capabilities?.vision).toBe(false);
    expect(defaultCatalog.find('gpt-4.1')?.contextWindow).toBe(1_047_576);
    for (const id of ['o3', 'o4-mini', 'gpt-5', 'deepseek-reasoner', 'gemini-2.5-flash-lite', 'grok-4']) {
      expect(defaultCatalog.find(id)?.pricing, id).toBeDefined();
    }
  });

  it('dates and sources every entry', () => {
    const entries = defaultCatalog.list();
    expect(entries.length).toBeGreaterThan(40);
    for (const entry of entries) {
      expect(entry.pricingSource?.url, entry.id).toMatch(/^https:\/\//);
      expect(entry.pricingSource?.retrieved, entry.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('lists one provider', () => {
    const anthropic = defaultCatalog.list('anthropic');
    expect(anthropic.length).toBeGreaterThan(5);
    expect(anthropic.every((entry) => entry.provider === 'anthropic')).toBe(true);
  });

  it('prices usage, billing cached and cache-write tokens at their own rates', () => {
    // gpt-4o-mini: $0.15 in, $0.075 cached, $0.60 out per million.
    const plain = defaultCatalog.price('gpt-4o-mini', {
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      totalTokens: 0,
    });
    expect(plain).toBeCloseTo(0.75, 10);
    const cached = defaultCatalog.price('gpt-4o-mini', {
      inputTokens: 1_000_000,
      cachedInputTokens: 400_000,
      outputTokens: 0,
      totalTokens: 0,
    });
    expect(cached).toBeCloseTo(0.6 * 0.15 + 0.4 * 0.075, 10);
    // Sonnet 4.5: $3 in, $3.75 cache write, $0.30 cache hit.
    const written = defaultCatalog.price('claude-sonnet-4-5', {
      inputTokens: 2_000_000,
      cacheWriteTokens: 1_000_000,
      cachedInputTokens: 500_000,
      outputTokens: 0,
      totalTokens: 0,
    });
    expect(written).toBeCloseTo(0.5 * 3 + 3.75 + 0.5 * 0.3, 10);
    expect(
      defaultCatalog.price('unknown', { inputTokens: 1, outputTokens: 1, totalTokens: 2 }),
    ).toBeUndefined();
  });

  it('lets a user add models; an added id wins over the bundled one', () => {
    const catalog = new ModelCatalog().add({
      provider: 'openai',
      pricingSource: { url: 'https://example.test/prices', retrieved: '2026-01-01' },
      models: [model('openai', 'gpt-4o', { price: [1, 2] }), model('openai', 'my-tune', { price: [3, 4] })],
    });
    expect(catalog.find('gpt-4o')?.pricing?.inputPerMTok).toBe(1);
    expect(catalog.find('my-tune')?.pricingSource?.url).toBe('https://example.test/prices');
    expect(defaultCatalog.find('gpt-4o')?.pricing?.inputPerMTok).toBe(2.5);
  });
});
