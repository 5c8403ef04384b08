import { costOfUsage, type ModelCatalog, type ModelPricing, parseModelRef } from 'ai.matey.core';

/** Prices in USD per million tokens, the shape of `ModelInfo.pricing`. */
export type ModelPrice = ModelPricing;

/** Where prices come from: a model catalog, a record of your own, or both (the record wins). */
export interface PriceSources {
  catalog?: ModelCatalog;
  /** Keyed by `provider/model` or bare model id. */
  prices?: Record<string, ModelPrice>;
}

/** Splits `provider/model` ids; a bare id keeps the provider given. */
export function splitModelId(model: string, provider?: string): { model: string; provider?: string } {
  const ref = parseModelRef(model);
  if (ref.provider !== undefined || provider === undefined) return ref;
  return { model, provider };
}

/** The price of a model, or undefined when no source knows it. */
export function findPrice(sources: PriceSources, model: string, provider?: string): ModelPrice | undefined {
  if (!model) return undefined;
  const id = splitModelId(model, provider);
  const own = sources.prices;
  if (own) {
    const price =
      (id.provider ? own[`${id.provider}/${id.model}`] : undefined) ?? own[id.model] ?? own[model];
    if (price) return price;
  }
  return sources.catalog?.find(id.model, id.provider)?.pricing;
}

/** Rounds to a nano-dollar, so sums of small costs do not print as 0.30000000000000004. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

/** The cost of a number of input and output tokens at full price (for estimates). */
export function costOfTokens(inputTokens: number, outputTokens: number, price: ModelPrice): number {
  return roundUsd(costOfUsage(price, { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }));
}
