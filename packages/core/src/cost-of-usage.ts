import type { ModelInfo } from './backend.ts';
import type { Usage } from './spec/response.ts';

/** A model's prices in USD per million tokens, the shape of `ModelInfo.pricing`. */
export type ModelPricing = NonNullable<ModelInfo['pricing']>;

/**
 * The USD cost of a call's usage at a model's prices, unrounded. `inputTokens` includes cached
 * reads and cache writes, so those are taken out of the full-price input and charged at their
 * own rates (the input rate when the price has none). Usage that says what the provider billed
 * (`usage.billed`) is priced on that instead.
 *
 * @example
 * costOfUsage({ inputPerMTok: 2.5, outputPerMTok: 10 }, { inputTokens: 1000, outputTokens: 200, totalTokens: 1200 }); // 0.0045
 */
export function costOfUsage(pricing: ModelPricing, usage: Usage): number {
  if (usage.billed) {
    const { inputTokens, outputTokens } = usage.billed;
    return (inputTokens * pricing.inputPerMTok + outputTokens * pricing.outputPerMTok) / 1_000_000;
  }
  const cachedRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const freshInput = Math.max(0, usage.inputTokens - cachedRead - cacheWrite);
  const microUsd =
    freshInput * pricing.inputPerMTok +
    cachedRead * (pricing.cachedInputPerMTok ?? pricing.inputPerMTok) +
    cacheWrite * (pricing.cacheWritePerMTok ?? pricing.inputPerMTok) +
    usage.outputTokens * pricing.outputPerMTok;
  return microUsd / 1_000_000;
}
