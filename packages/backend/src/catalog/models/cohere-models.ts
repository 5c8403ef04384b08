import { model, type ProviderCatalog } from '../catalog-entry.ts';

const noVision = { lacks: ['vision'] } as const;

/**
 * Cohere (chat v2). Prices are USD per million tokens of what Cohere bills (`billed_units`),
 * which leaves out the prompt template Cohere adds; the spec usage counts all tokens, so a cost
 * computed from it is an upper bound.
 */
export const cohereModels: ProviderCatalog = {
  provider: 'cohere',
  pricingSource: {
    url: 'https://cohere.com/pricing',
    retrieved: '2026-12-07',
    note: 'NOT verified against the live page (no access from this machine): figures as last known; check before billing.',
  },
  models: [
    model('cohere', 'command-a-03-2025', {
      aliases: ['command-a'],
      context: 256_000,
      maxOutput: 8_000,
      price: [2.5, 10],
      has: ['tools', 'jsonSchema'],
      lacks: ['vision', 'reasoning'],
    }),
    model('cohere', 'command-a-reasoning-08-2025', {
      aliases: ['command-a-reasoning'],
      context: 256_000,
      maxOutput: 32_000,
      price: [2.5, 10],
      has: ['tools', 'jsonSchema', 'reasoning'],
      ...noVision,
    }),
    model('cohere', 'command-a-vision-07-2025', {
      aliases: ['command-a-vision'],
      context: 128_000,
      maxOutput: 8_000,
      price: [2.5, 10],
      has: ['vision', 'jsonSchema'],
      lacks: ['tools', 'reasoning'],
    }),
    model('cohere', 'command-r-plus-08-2024', {
      context: 128_000,
      maxOutput: 4_000,
      price: [2.5, 10],
      has: ['tools', 'jsonSchema'],
      lacks: ['vision', 'reasoning'],
    }),
    model('cohere', 'command-r-08-2024', {
      context: 128_000,
      maxOutput: 4_000,
      price: [0.15, 0.6],
      has: ['tools', 'jsonSchema'],
      lacks: ['vision', 'reasoning'],
    }),
    model('cohere', 'command-r7b-12-2024', {
      context: 128_000,
      maxOutput: 4_000,
      price: [0.0375, 0.15],
      has: ['tools', 'jsonSchema'],
      lacks: ['vision', 'reasoning'],
    }),
  ],
};
