import { type ModelSpec, model, type ProviderCatalog } from '../catalog-entry.ts';

const claude = { context: 200_000, has: ['tools', 'vision', 'reasoning', 'jsonSchema'] } as const;
const nova = { context: 300_000, has: ['tools', 'vision', 'jsonSchema'], lacks: ['reasoning'] } as const;
const llama = { context: 128_000, has: ['tools'], lacks: ['vision', 'reasoning'] } as const;

/**
 * A Bedrock model, with its cross-region inference profiles (`us.`, `eu.`, `apac.`, `global.`) as
 * aliases: AWS prices a call through a profile at the source region's on-demand rate.
 */
const m = (id: string, spec: ModelSpec) =>
  model('bedrock', id, { ...spec, aliases: ['us', 'eu', 'apac', 'global'].map((geo) => `${geo}.${id}`) });

/** Models on Amazon Bedrock (Converse). Prices: `[input, output, cache read, cache write]` per million tokens. */
export const bedrockModels: ProviderCatalog = {
  provider: 'bedrock',
  pricingSource: {
    url: 'https://aws.amazon.com/bedrock/pricing/',
    retrieved: '2026-12-07',
    note: 'On-demand, us-east-1. Claude rates equal Anthropic’s list (as AWS states); Nova and Llama rates as AWS published them in 2025, not re-read from the live page. Batch (-50%), provisioned throughput and other regions are not modelled.',
  },
  models: [
    m('anthropic.claude-sonnet-4-5-20250929-v1:0', {
      ...claude,
      maxOutput: 64_000,
      price: [3, 15, 0.3, 3.75],
    }),
    m('anthropic.claude-haiku-4-5-20251001-v1:0', { ...claude, maxOutput: 64_000, price: [1, 5, 0.1, 1.25] }),
    m('anthropic.claude-sonnet-4-20250514-v1:0', { ...claude, maxOutput: 64_000, price: [3, 15, 0.3, 3.75] }),
    m('anthropic.claude-3-7-sonnet-20250219-v1:0', {
      ...claude,
      maxOutput: 64_000,
      price: [3, 15, 0.3, 3.75],
    }),
    m('anthropic.claude-3-5-haiku-20241022-v1:0', {
      ...claude,
      has: ['tools', 'jsonSchema'],
      lacks: ['reasoning'],
      maxOutput: 8192,
      price: [0.8, 4, 0.08, 1],
    }),
    m('amazon.nova-premier-v1:0', {
      ...nova,
      context: 1_000_000,
      has: ['tools', 'vision', 'jsonSchema', 'reasoning'],
      lacks: [],
      price: [2.5, 12.5],
    }),
    m('amazon.nova-pro-v1:0', { ...nova, maxOutput: 10_000, price: [0.8, 3.2, 0.2] }),
    m('amazon.nova-lite-v1:0', { ...nova, maxOutput: 10_000, price: [0.06, 0.24, 0.015] }),
    m('amazon.nova-micro-v1:0', {
      context: 128_000,
      maxOutput: 10_000,
      has: ['tools', 'jsonSchema'],
      lacks: ['vision', 'reasoning'],
      price: [0.035, 0.14, 0.00875],
    }),
    m('meta.llama3-3-70b-instruct-v1:0', { ...llama, maxOutput: 8192, price: [0.72, 0.72] }),
    m('meta.llama3-1-8b-instruct-v1:0', { ...llama, maxOutput: 8192, price: [0.22, 0.22] }),
    m('meta.llama3-70b-instruct-v1:0', {
      ...llama,
      context: 8192,
      maxOutput: 2048,
      lacks: ['tools', 'vision', 'reasoning'],
      has: [],
      price: [2.65, 3.5],
    }),
    m('meta.llama3-8b-instruct-v1:0', {
      ...llama,
      context: 8192,
      maxOutput: 2048,
      lacks: ['tools', 'vision', 'reasoning'],
      has: [],
      price: [0.3, 0.6],
    }),
  ],
};
