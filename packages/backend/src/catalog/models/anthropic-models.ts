import { model, type ProviderCatalog } from '../catalog-entry.ts';

// Structured output is listed for every model because the Anthropic codec serves `json-schema`
// through a forced tool call, which all of these support.
const thinking = { has: ['tools', 'vision', 'reasoning', 'jsonSchema'] } as const;
const m = (id: string, spec: Parameters<typeof model>[2]) => model('anthropic', id, spec);

/** Anthropic's Claude models. Prices: `[input, output, cache hit, 5-minute cache write]` per million tokens. */
export const anthropicModels: ProviderCatalog = {
  provider: 'anthropic',
  pricingSource: {
    url: 'https://platform.claude.com/docs/en/about-claude/pricing',
    retrieved: '2026-11-23',
    note: 'Read from the official pricing table. 1-hour cache writes and long-context (1M beta) rates are not modelled.',
  },
  models: [
    m('claude-opus-4-7', { context: 200_000, price: [5, 25, 0.5, 6.25], ...thinking }),
    m('claude-opus-4-6', { context: 200_000, price: [5, 25, 0.5, 6.25], ...thinking }),
    m('claude-opus-4-5-20251101', {
      aliases: ['claude-opus-4-5'],
      context: 200_000,
      maxOutput: 64_000,
      price: [5, 25, 0.5, 6.25],
      ...thinking,
    }),
    m('claude-opus-4-1-20250805', {
      aliases: ['claude-opus-4-1'],
      context: 200_000,
      maxOutput: 32_000,
      price: [15, 75, 1.5, 18.75],
      ...thinking,
    }),
    m('claude-opus-4-20250514', {
      aliases: ['claude-opus-4-0', 'claude-4-opus-20250514'],
      context: 200_000,
      maxOutput: 32_000,
      price: [15, 75, 1.5, 18.75],
      ...thinking,
    }),
    m('claude-sonnet-4-6', { context: 200_000, maxOutput: 64_000, price: [3, 15, 0.3, 3.75], ...thinking }),
    m('claude-sonnet-4-5-20250929', {
      aliases: ['claude-sonnet-4-5'],
      context: 200_000,
      maxOutput: 64_000,
      price: [3, 15, 0.3, 3.75],
      ...thinking,
    }),
    m('claude-sonnet-4-20250514', {
      aliases: ['claude-sonnet-4-0', 'claude-4-sonnet-20250514'],
      context: 200_000,
      maxOutput: 64_000,
      price: [3, 15, 0.3, 3.75],
      ...thinking,
    }),
    m('claude-haiku-4-5-20251001', {
      aliases: ['claude-haiku-4-5'],
      context: 200_000,
      maxOutput: 64_000,
      price: [1, 5, 0.1, 1.25],
      ...thinking,
    }),
    m('claude-3-5-haiku-20241022', {
      aliases: ['claude-3-5-haiku-latest'],
      context: 200_000,
      maxOutput: 8_192,
      price: [0.8, 4, 0.08, 1],
      has: ['tools', 'vision', 'jsonSchema'],
      lacks: ['reasoning'],
    }),
  ],
};
