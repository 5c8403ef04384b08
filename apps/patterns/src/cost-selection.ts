import { defaultCatalog } from 'ai.matey.backend';
import { Bridge, type ChatRequest, Router, type Usage } from 'ai.matey.core';
import {
  type CostReport,
  createCostOptimizer,
  defaultPricing,
  defaultQualityTiers,
  type PricingTable,
} from 'ai.matey.patterns';
import { FLEET_PROVIDERS, type FleetBackends } from './fleet-backends.ts';
import type { PatternContext, PatternOutcome } from './pattern-result.ts';
import { formatPct, formatUsd } from './stats.ts';
import { formatTable } from './text-table.ts';

/**
 * A workload whose tier mix gives, under the seed's prices, the seed's reported distribution
 * (50% DeepSeek, 30% Groq, 20% Haiku): low and medium go to deepseek, high to groq, ultra to anthropic.
 */
const WORKLOAD: Array<{ tier: 'low' | 'medium' | 'high' | 'ultra'; prompt: string }> = [
  ...[
    'Capital of France?',
    'Spell "necessary".',
    'Is 17 prime?',
    'Plural of mouse?',
    'Translate "thanks" to German.',
  ].map((prompt) => ({ tier: 'low' as const, prompt })),
  ...[
    'Summarise the water cycle in two sentences.',
    'Write a haiku about autumn.',
    'List three uses of baking soda.',
    'What is the difference between weather and climate?',
    'Suggest a name for a bakery.',
  ].map((prompt) => ({ tier: 'medium' as const, prompt })),
  ...[
    'Explain the CAP theorem with an example.',
    'Write a SQL query for the top 5 customers by revenue.',
    'Review this function for bugs: function add(a, b) { return a - b }',
    'Outline a blog post about zero-downtime deploys.',
    'Explain how HTTPS certificates are validated.',
    'Compare REST and GraphQL for a mobile app backend.',
  ].map((prompt) => ({ tier: 'high' as const, prompt })),
  ...[
    'Draft a data-retention policy for a healthcare startup.',
    'Analyze the risks of a single-region database deployment.',
    'Evaluate three strategies for migrating a monolith to services.',
    'Synthesize the main arguments for and against four-day work weeks.',
  ].map((prompt) => ({ tier: 'ultra' as const, prompt })),
];

export interface CostRun {
  label: string;
  report: CostReport;
  /** The usage each call reported, in workload order. */
  usages: Usage[];
}

export interface CostSelectionResult extends PatternOutcome {
  /** The seed's price table, applied to the usage the fleet reported; savings against always-openai. */
  seedPrices: CostRun;
  /** The catalog's prices for the models that answered; savings against always-openai (gpt-4o-mini). */
  catalogPrices: CostRun;
  /** The same calls priced as if all had gone to gpt-4o, the fleet's flagship OpenAI model. */
  catalogVsFlagship: { referenceUsd: number; savingsPct: number };
}

/**
 * Pattern 4: `createCostOptimizer` picks the cheapest provider of each call's quality tier and
 * measures the cost from the usage each simulated provider reported. It runs twice: with the
 * seed's own price table (to check its 84% claim) and with real catalog prices.
 */
export async function runCostSelection(context: PatternContext): Promise<CostSelectionResult> {
  const { backends } = context.clean;
  const seedPrices = await runWorkload("guide's prices", backends, defaultPricing);
  const pricing = catalogPricing(backends);
  const catalogPrices = await runWorkload('catalog prices', backends, pricing);

  // Always-gpt-4o: the same usage at the flagship's price (what "always use OpenAI" often means).
  const flagshipUsd = catalogPrices.usages.reduce(
    (sum, usage) => sum + (defaultCatalog.price('gpt-4o', usage, 'openai') ?? Number.NaN),
    0,
  );
  const catalogVsFlagship = {
    referenceUsd: flagshipUsd,
    savingsPct: ((flagshipUsd - catalogPrices.report.totalUsd) / flagshipUsd) * 100,
  };

  const rows = [seedPrices, catalogPrices].map((run) => [
    run.label,
    distribution(run.report),
    formatUsd(run.report.totalUsd),
    formatUsd(run.report.referenceUsd),
    formatPct(run.report.savingsPct, 1),
  ]);
  const priceList = Object.entries(pricing)
    .map(([provider, price]) => `${provider} ${describePrice(price)}`)
    .join('; ');
  return {
    seedPrices,
    catalogPrices,
    catalogVsFlagship,
    details: [
      formatTable(['prices', 'distribution', 'cost', 'always-openai', 'saved'], rows, {
        maxWidth: [14, 50, 10, 13, 6],
        alignRight: [2, 3, 4],
      }),
      `Workload: ${WORKLOAD.length} calls (5 low, 5 medium, 6 high, 4 ultra); costs use the usage each simulated provider reported.`,
      `Catalog prices (USD per 1K tokens, in/out): ${priceList}.`,
      `With catalog prices "always openai" means gpt-4o-mini, itself among the cheapest models; ` +
        `against always gpt-4o the same calls save ${formatPct(catalogVsFlagship.savingsPct, 1)}.`,
    ],
    summary: {
      ran: `${WORKLOAD.length} calls in 4 quality tiers, cheapest eligible provider, actual usage`,
      measured:
        `guide's prices: ${formatPct(seedPrices.report.savingsPct, 1)} saved (${distribution(seedPrices.report)}); ` +
        `catalog prices: ${formatPct(catalogPrices.report.savingsPct, 1)} vs gpt-4o-mini, ` +
        `${formatPct(catalogVsFlagship.savingsPct, 1)} vs gpt-4o`,
      ok: seedPrices.report.calls === WORKLOAD.length && seedPrices.report.savingsPct > 0,
    },
  };
}

async function runWorkload(label: string, backends: FleetBackends, pricing: PricingTable): Promise<CostRun> {
  const router = new Router({ defaultBackend: 'openai' });
  for (const name of FLEET_PROVIDERS) router.register(name, backends[name]);
  const optimizer = createCostOptimizer({ pricing, tiers: defaultQualityTiers, reference: 'openai' });
  const bridge = new Bridge({ backend: router }).use(optimizer);
  const replies = await Promise.all(
    WORKLOAD.map(({ tier, prompt }) => {
      const request: ChatRequest = {
        messages: [{ role: 'user', content: prompt }],
        metadata: { qualityTier: tier },
      };
      return bridge.execute(request);
    }),
  );
  return { label, report: optimizer.report(), usages: replies.map((reply) => reply.usage) };
}

/** Each provider priced at its adapter's default model (the model the fleet answers with). */
function catalogPricing(backends: FleetBackends): PricingTable {
  const table: PricingTable = {};
  for (const name of FLEET_PROVIDERS) {
    const model = backends[name].metadata.defaultModel ?? '';
    const pricing = defaultCatalog.find(model, name)?.pricing;
    if (!pricing) throw new Error(`The catalog has no price for ${name}/${model}`);
    table[name] = { inputPer1K: pricing.inputPerMTok / 1000, outputPer1K: pricing.outputPerMTok / 1000 };
  }
  return table;
}

function distribution(report: CostReport): string {
  return Object.entries(report.distribution)
    .sort(([, a], [, b]) => b.calls - a.calls)
    .map(([provider, entry]) => `${provider} ${formatPct(entry.share * 100)}`)
    .join(', ');
}

function describePrice(price: PricingTable[string]): string {
  if (typeof price === 'number') return `$${price}`;
  return `$${+price.inputPer1K.toPrecision(3)}/$${+price.outputPer1K.toPrecision(3)}`;
}
