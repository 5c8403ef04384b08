import {
  costOfUsage,
  type EmbedContext,
  type EmbedNextFunction,
  type EmbedRequest,
  type EmbedResponse,
  observeEmbed,
} from 'ai.matey.core';
import type { CostRecord, CostTracker } from './cost-tracker.ts';
import { costOfTokens, findPrice, type PriceSources, roundUsd, splitModelId } from './pricing.ts';

/** What the cost-tracking middleware shares with its embedding half. */
export interface EmbedCostDeps {
  prices: PriceSources;
  tracker: CostTracker;
  /** Records a priced call (totals, `onCost`). */
  notify(record: CostRecord): void;
  /** Leaves the call's cost in `COST_STATE`. */
  remember(context: EmbedContext, cost: EmbedCallCost): void;
}

/** The cost of an embedding call, as `CallCost` describes a chat call's. */
export interface EmbedCallCost {
  estimatedUsd: number;
  actualUsd: number;
  chargedUsd: number;
  inputTokens: number;
  outputTokens: number;
  priced: boolean;
}

/**
 * An embedding call through the cost tracker: its worst case (a token per character) priced up
 * front and reserved in every budget (refused when one cannot cover them), then settled to the cost of the usage the
 * provider reported; a failed call gives its reservation back.
 */
export async function trackEmbedCost(
  request: EmbedRequest,
  next: EmbedNextFunction,
  context: EmbedContext,
  deps: EmbedCostDeps,
): Promise<EmbedResponse> {
  const model = request.model ?? context.backend.defaultModel ?? '';
  const provider = context.backend.provider === 'router' ? undefined : context.backend.provider;
  const id = splitModelId(model, provider);
  const estimatePrice = findPrice(deps.prices, model, provider);
  // The reservation caps what is charged: a token per character bounds any tokenizer's count of
  // ordinary text (a quarter of that, the usual estimate, would undercharge CJK text fourfold).
  const ceiling = request.inputs.reduce<number>((sum, input) => sum + input.length, 0);
  const estimatedUsd = estimatePrice ? costOfTokens(ceiling, 0, estimatePrice) : 0;
  const reservation = await deps.tracker.reserve(request, estimatedUsd);
  let cost: EmbedCallCost | undefined;
  return observeEmbed(next, request, {
    async onEnd(outcome) {
      if (outcome.status === 'failed') return deps.tracker.release(reservation).catch(() => {});
      const { response, usage } = outcome;
      const price = findPrice(deps.prices, response.model, response.provider || provider) ?? estimatePrice;
      const actualUsd = price ? roundUsd(costOfUsage(price, usage)) : 0;
      cost = {
        estimatedUsd,
        actualUsd,
        chargedUsd: estimatePrice ? Math.min(actualUsd, estimatedUsd) : actualUsd,
        inputTokens: usage.inputTokens,
        outputTokens: 0,
        priced: price !== undefined,
      };
      deps.remember(context, cost);
      deps.notify({
        requestId: context.requestId,
        mode: 'embed',
        provider: response.provider || id.provider || context.backend.provider,
        model: response.model || id.model,
        key: deps.tracker.keyOf(request),
        inputTokens: usage.inputTokens,
        outputTokens: 0,
        cachedInputTokens: 0,
        estimatedUsd,
        actualUsd,
        priced: cost.priced,
        outcome: 'completed',
      });
      // A store that fails now must not fail a call that has been served and paid for.
      return deps.tracker.settle(reservation, cost.chargedUsd).catch(() => {});
    },
    stampResponse: (response) =>
      cost ? { ...response, metadata: { ...response.metadata, cost } } : response,
  });
}
