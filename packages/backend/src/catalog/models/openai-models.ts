import { model, type ProviderCatalog } from '../catalog-entry.ts';

const all = ['tools', 'vision', 'reasoning', 'jsonSchema'] as const;
const nonReasoning = { has: ['tools', 'vision', 'jsonSchema'], lacks: ['reasoning'] } as const;
const m = (id: string, spec: Parameters<typeof model>[2]) => model('openai', id, spec);

/** OpenAI's main chat models. Prices: standard tier, USD per million tokens. */
export const openaiModels: ProviderCatalog = {
  provider: 'openai',
  pricingSource: {
    url: 'https://platform.openai.com/docs/pricing',
    retrieved: '2026-11-23',
    note:
      'Not read from the official page here; cross-checked against several dated third-party price tables ' +
      '(GitHub Copilot models-and-pricing table, openai-cost crate, 2026 pricing summaries) that agree. ' +
      'Batch/flex/priority tiers are not modelled.',
  },
  models: [
    m('gpt-5', { context: 400_000, maxOutput: 128_000, price: [1.25, 10, 0.125], has: [...all] }),
    m('gpt-5-mini', { context: 400_000, maxOutput: 128_000, price: [0.25, 2, 0.025], has: [...all] }),
    m('gpt-5-nano', { context: 400_000, maxOutput: 128_000, price: [0.05, 0.4, 0.005], has: [...all] }),
    m('gpt-5.1', { context: 400_000, maxOutput: 128_000, price: [1.25, 10, 0.125], has: [...all] }),
    m('gpt-5.2', { context: 400_000, maxOutput: 128_000, price: [1.75, 14, 0.175], has: [...all] }),
    m('gpt-4.1', { context: 1_047_576, maxOutput: 32_768, price: [2, 8, 0.5], ...nonReasoning }),
    m('gpt-4.1-mini', { context: 1_047_576, maxOutput: 32_768, price: [0.4, 1.6, 0.1], ...nonReasoning }),
    m('gpt-4.1-nano', { context: 1_047_576, maxOutput: 32_768, price: [0.1, 0.4, 0.025], ...nonReasoning }),
    m('gpt-4o', {
      aliases: ['chatgpt-4o-latest'],
      context: 128_000,
      maxOutput: 16_384,
      price: [2.5, 10, 1.25],
      ...nonReasoning,
    }),
    m('gpt-4o-mini', { context: 128_000, maxOutput: 16_384, price: [0.15, 0.6, 0.075], ...nonReasoning }),
    m('o3', { context: 200_000, maxOutput: 100_000, price: [2, 8, 0.5], has: [...all] }),
    m('o4-mini', { context: 200_000, maxOutput: 100_000, price: [1.1, 4.4, 0.275], has: [...all] }),
    m('o3-mini', {
      context: 200_000,
      maxOutput: 100_000,
      price: [1.1, 4.4, 0.55],
      has: ['tools', 'reasoning', 'jsonSchema'],
      lacks: ['vision'],
    }),
  ],
};
