import {
  BudgetExceededError,
  type ChatRequest,
  type ChatResponse,
  checkOptions,
  type Middleware,
  mapReply,
  type NextFunction,
  type OptionShape,
  type Reply,
  type Usage,
} from 'ai.matey.core';
import { defaultPricing, defaultQualityTiers } from './default-pricing.ts';
import {
  type CostModel,
  cheapestFor,
  estimateTokens,
  type PricingTable,
  type ProviderSelection,
  priceTokens,
  type QualityTiers,
} from './select-cheapest-provider.ts';

export interface CostOptimizerOptions {
  /** USD per 1,000 tokens per provider (one figure, or input and output prices). Default `defaultPricing`. */
  pricing?: PricingTable;
  /**
   * Quality tier → eligible providers. A request picks its tier with `metadata.qualityTier`.
   * Default `defaultQualityTiers` (low, medium, high, ultra).
   */
  tiers?: QualityTiers;
  /** Default `medium`. */
  defaultTier?: string;
  /** See `CostModel.expectedOutputTokens`. Default 50. */
  expectedOutputTokens?: number;
  /** Refuse a call (`BudgetExceededError`) whose estimate would pass these limits. */
  budget?: { maxUsdPerCall?: number; maxTotalUsd?: number };
  /** The provider savings are measured against. Default: the most expensive one priced. */
  reference?: string;
}

/** One call's cost, as recorded on `response.metadata.cost` (streams: the finish event's `providerMetadata.cost`). */
export interface CallCost {
  provider: string;
  tier: string;
  estimatedUsd: number;
  /** From the usage the provider reported. */
  actualUsd: number;
  /** What the same usage would have cost at the reference provider. */
  referenceUsd: number;
}

export interface CostReport {
  calls: number;
  totalUsd: number;
  estimatedUsd: number;
  reference: string;
  referenceUsd: number;
  savingsUsd: number;
  /** Percent saved against the reference (0–100). */
  savingsPct: number;
  distribution: Record<string, { calls: number; share: number; totalUsd: number }>;
}

/**
 * Sends each call to the cheapest provider of its quality tier (the seed's pattern 4), as a
 * middleware that sets `metadata.provider` for a Router to honour. A request that already names
 * its provider keeps it (only its cost is recorded). Costs are estimated before the call (prompt
 * characters / 4, plus `expectedOutputTokens`) and measured after it from the reported usage.
 *
 * @example
 * const optimizer = createCostOptimizer({ pricing: PRICING, tiers: QUALITY_TIERS, reference: 'openai' });
 * const bridge = new Bridge({ backend: router }).use(optimizer);
 * await bridge.execute({ messages, metadata: { qualityTier: 'high' } });
 * optimizer.report(); // { calls: 1, totalUsd, referenceUsd, savingsPct, distribution: { groq: … } }
 */
export function createCostOptimizer(options: CostOptimizerOptions = {}): CostOptimizer {
  return new CostOptimizer(options);
}

const costOptimizerOptions: OptionShape<CostOptimizerOptions> = {
  pricing: true,
  tiers: true,
  defaultTier: true,
  expectedOutputTokens: true,
  reference: true,
  budget: { maxUsdPerCall: true, maxTotalUsd: true },
};

/** See `createCostOptimizer`. */
export class CostOptimizer implements Middleware {
  readonly name = 'cost-optimizer';
  readonly reference: string;
  readonly #options: CostOptimizerOptions;
  readonly #model: CostModel;
  readonly #records: CallCost[] = [];
  #committedUsd = 0;

  constructor(options: CostOptimizerOptions = {}) {
    checkOptions('CostOptimizer', options, costOptimizerOptions);
    this.#options = options;
    const pricing = options.pricing ?? defaultPricing;
    this.#model = {
      pricing,
      tiers: options.tiers ?? defaultQualityTiers,
      ...(options.expectedOutputTokens === undefined
        ? {}
        : { expectedOutputTokens: options.expectedOutputTokens }),
    };
    const priced = Object.entries(pricing);
    const dearest = priced.reduce<[string, number] | undefined>((best, [name, price]) => {
      const cost = priceTokens(price, 1000, 1000);
      return !best || cost > best[1] ? [name, cost] : best;
    }, undefined);
    this.reference = options.reference ?? dearest?.[0] ?? '';
    if (!(this.reference in pricing)) {
      throw new TypeError(`The reference provider '${this.reference}' has no price`);
    }
  }

  /** The cheapest provider for a prompt in a tier, with this optimizer's prices. */
  select(prompt: string, tier = this.#options.defaultTier ?? 'medium'): ProviderSelection {
    return cheapestFor(estimateTokens(prompt.length, this.#options.expectedOutputTokens), tier, this.#model);
  }

  async execute(request: ChatRequest, next: NextFunction): Promise<Reply> {
    const tier = String(request.metadata?.qualityTier ?? this.#options.defaultTier ?? 'medium');
    const estimate = estimateTokens(promptChars(request), this.#options.expectedOutputTokens);
    const pinned = request.metadata?.provider;
    const choice =
      typeof pinned === 'string' && this.#model.pricing[pinned] !== undefined
        ? {
            provider: pinned,
            estimatedCost: priceTokens(
              this.#model.pricing[pinned],
              estimate.inputTokens,
              estimate.outputTokens,
            ),
          }
        : cheapestFor(estimate, tier, this.#model);
    this.#checkBudget(choice.estimatedCost);
    this.#committedUsd += choice.estimatedCost;
    let reply: Reply;
    try {
      reply = await next({ ...request, metadata: { ...request.metadata, provider: choice.provider } });
    } finally {
      this.#committedUsd -= choice.estimatedCost;
    }
    const costOf = (response: ChatResponse): CallCost =>
      this.#record(response.routing?.backend ?? choice.provider, tier, choice.estimatedCost, response.usage);
    let served = choice.provider;
    return mapReply(reply, {
      response: (response) => ({ ...response, metadata: { ...response.metadata, cost: costOf(response) } }),
      stream: (stream) =>
        stream.map((event) => {
          if (event.type === 'start') served = event.routing?.backend ?? served;
          if (event.type !== 'finish') return event;
          const cost = this.#record(served, tier, choice.estimatedCost, event.usage);
          return { ...event, providerMetadata: { ...event.providerMetadata, cost: { ...cost } } };
        }),
    });
  }

  /** Totals so far, and the savings against the reference provider. */
  report(): CostReport {
    const totalUsd = sum(this.#records.map((r) => r.actualUsd));
    const referenceUsd = sum(this.#records.map((r) => r.referenceUsd));
    const distribution: CostReport['distribution'] = {};
    for (const record of this.#records) {
      const entry = distribution[record.provider] ?? { calls: 0, share: 0, totalUsd: 0 };
      distribution[record.provider] = entry;
      entry.calls++;
      entry.totalUsd += record.actualUsd;
    }
    for (const entry of Object.values(distribution)) entry.share = entry.calls / this.#records.length;
    return {
      calls: this.#records.length,
      totalUsd,
      estimatedUsd: sum(this.#records.map((r) => r.estimatedUsd)),
      reference: this.reference,
      referenceUsd,
      savingsUsd: referenceUsd - totalUsd,
      savingsPct: referenceUsd > 0 ? ((referenceUsd - totalUsd) / referenceUsd) * 100 : 0,
      distribution,
    };
  }

  /** Every call's cost, in order. */
  calls(): CallCost[] {
    return [...this.#records];
  }

  #checkBudget(estimatedUsd: number): void {
    const { maxUsdPerCall, maxTotalUsd } = this.#options.budget ?? {};
    if (maxUsdPerCall !== undefined && estimatedUsd > maxUsdPerCall) {
      throw new BudgetExceededError({
        message: `The call is estimated at $${estimatedUsd.toFixed(6)}, over the $${maxUsdPerCall} per-call budget`,
      });
    }
    const spent = sum(this.#records.map((r) => r.actualUsd)) + this.#committedUsd;
    if (maxTotalUsd !== undefined && spent + estimatedUsd > maxTotalUsd) {
      throw new BudgetExceededError({
        message: `The call would bring spending to $${(spent + estimatedUsd).toFixed(6)}, over the $${maxTotalUsd} budget`,
      });
    }
  }

  #record(provider: string, tier: string, estimatedUsd: number, usage: Usage): CallCost {
    const price = this.#model.pricing[provider] ?? 0;
    const reference = this.#model.pricing[this.reference] ?? 0;
    const record: CallCost = {
      provider,
      tier,
      estimatedUsd,
      actualUsd: priceTokens(price, usage.inputTokens, usage.outputTokens),
      referenceUsd: priceTokens(reference, usage.inputTokens, usage.outputTokens),
    };
    this.#records.push(record);
    return record;
  }
}

/** Characters of text in the request's messages: what the estimate is made from. */
function promptChars(request: ChatRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    if (typeof message.content === 'string') chars += message.content.length;
    else
      for (const part of message.content) {
        if (part.type === 'text' || part.type === 'reasoning') chars += part.text.length;
        else if (part.type === 'tool-call') chars += part.arguments.length;
        else if (part.type === 'tool-result')
          chars +=
            typeof part.content === 'string' ? part.content.length : JSON.stringify(part.content).length;
      }
  }
  return chars;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
