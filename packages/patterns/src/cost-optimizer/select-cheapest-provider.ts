/**
 * A provider's price in USD per 1,000 tokens: one figure for input and output alike (as the
 * seed's table has it), or separate input and output prices.
 */
export type ProviderPrice = number | { inputPer1K: number; outputPer1K: number };
export type PricingTable = Record<string, ProviderPrice>;
/** Quality tier → the providers good enough for it. */
export type QualityTiers = Record<string, readonly string[]>;

export interface CostModel {
  pricing: PricingTable;
  tiers: QualityTiers;
  /**
   * Tokens the reply is expected to take. Default 50, the seed's "+200 characters for the
   * response" at 4 characters a token.
   */
  expectedOutputTokens?: number;
}

export interface TokenEstimate {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export interface ProviderSelection {
  provider: string;
  estimatedCost: number;
  estimatedTokens: number;
}

/** The seed's estimate: about 4 characters per token, plus the expected reply. */
export function estimateTokens(promptChars: number, expectedOutputTokens = 50): TokenEstimate {
  const inputTokens = Math.ceil(promptChars / 4);
  return { inputTokens, outputTokens: expectedOutputTokens, totalTokens: inputTokens + expectedOutputTokens };
}

/** The cost in USD of so many tokens at a provider's price. */
export function priceTokens(price: ProviderPrice, inputTokens: number, outputTokens: number): number {
  if (typeof price === 'number') return (price * (inputTokens + outputTokens)) / 1000;
  return (price.inputPer1K * inputTokens + price.outputPer1K * outputTokens) / 1000;
}

/**
 * The cheapest provider in a quality tier for a prompt, with the estimated cost (the seed's
 * `selectCheapestProvider`; a tie goes to the provider listed first in the tier).
 *
 * @example
 * const { provider, estimatedCost } = selectCheapestProvider('What is the capital of France?', 'medium', {
 *   pricing: { deepseek: 0.0002, groq: 0.00027, anthropic: 0.0008, openai: 0.0015 },
 *   tiers: { medium: ['deepseek', 'groq'] },
 * });
 * // provider === 'deepseek', estimatedCost === 0.0000116
 */
export function selectCheapestProvider(prompt: string, tier: string, model: CostModel): ProviderSelection {
  const estimate = estimateTokens(prompt.length, model.expectedOutputTokens);
  return cheapestFor(estimate, tier, model);
}

/** The cheapest provider in `tier` for an estimate. */
export function cheapestFor(estimate: TokenEstimate, tier: string, model: CostModel): ProviderSelection {
  const eligible = model.tiers[tier];
  if (!eligible || eligible.length === 0) {
    throw new TypeError(`Unknown quality tier '${tier}' (known: ${Object.keys(model.tiers).join(', ')})`);
  }
  let best: ProviderSelection | undefined;
  for (const provider of eligible) {
    const price = model.pricing[provider];
    if (price === undefined) continue;
    const estimatedCost = priceTokens(price, estimate.inputTokens, estimate.outputTokens);
    if (!best || estimatedCost < best.estimatedCost) {
      best = { provider, estimatedCost, estimatedTokens: estimate.totalTokens };
    }
  }
  if (!best) throw new TypeError(`No provider in tier '${tier}' has a price`);
  return best;
}
