import { describe, expect, it } from 'vitest';
import { costOfUsage } from './cost-of-usage.ts';

describe('costOfUsage', () => {
  const pricing = { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75 };

  it('bills cached reads and cache writes at their own rates, out of the input tokens', () => {
    const usd = costOfUsage(pricing, {
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      totalTokens: 1_100_000,
      cachedInputTokens: 400_000,
      cacheWriteTokens: 100_000,
    });
    // 500k fresh × 3 + 400k × 0.3 + 100k × 3.75 + 100k × 15, per million.
    expect(usd).toBeCloseTo(1.5 + 0.12 + 0.375 + 1.5, 10);
  });

  it('falls back to the input rate when the price has no cache rates', () => {
    const usd = costOfUsage(
      { inputPerMTok: 2, outputPerMTok: 8 },
      { inputTokens: 1000, outputTokens: 500, totalTokens: 1500, cachedInputTokens: 600 },
    );
    expect(usd).toBeCloseTo((1000 * 2 + 500 * 8) / 1_000_000, 12);
  });
});
