import {
  defaultPricing,
  defaultQualityTiers,
  selectCheapestProvider as librarySelect,
} from 'ai.matey.patterns';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('guide pattern 4: cost-optimized selection', () => {
  it("prints the guide's choice, and the library's selectCheapestProvider agrees with it everywhere", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { selectCheapestProvider } = await import('./blocks/04-cost-optimized-selection.ts');
    // ceil((30 + 200) / 4) = 58 tokens at $0.0002 per 1K = $0.0000116.
    expect(log).toHaveBeenCalledWith('Using deepseek (estimated cost: $0.000012)');

    for (const tier of ['low', 'medium', 'high', 'ultra'] as const) {
      for (const prompt of ['Hi', 'What is the capital of France?', 'x'.repeat(2_000)]) {
        const guide = selectCheapestProvider(prompt, tier);
        const library = librarySelect(prompt, tier, { pricing: defaultPricing, tiers: defaultQualityTiers });
        expect(library.provider).toBe(guide.provider);
        expect(library.estimatedCost).toBeCloseTo(guide.estimatedCost, 12);
      }
    }
  });
});
