import type { PricingTable, QualityTiers } from './select-cheapest-provider.ts';

/**
 * The prices `new CostOptimizer()` uses when given none: the integration-patterns guide's
 * example table, USD per 1,000 tokens, one figure for input and output (DeepSeek, Groq's Llama,
 * Claude Haiku, GPT-3.5 as they were then). They show the pattern; for real figures pass your
 * own `pricing`, for instance from `ai.matey.backend`'s model catalog.
 */
export const defaultPricing: PricingTable = {
  deepseek: 0.0002,
  groq: 0.00027,
  anthropic: 0.0008,
  openai: 0.0015,
};

/** The guide's quality tiers, used with `defaultPricing`. */
export const defaultQualityTiers: QualityTiers = {
  low: ['deepseek'],
  medium: ['deepseek', 'groq'],
  high: ['groq', 'anthropic', 'openai'],
  ultra: ['anthropic', 'openai'],
};
