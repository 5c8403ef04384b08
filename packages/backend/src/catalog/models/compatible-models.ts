import { model, type ProviderCatalog } from '../catalog-entry.ts';

const today = '2026-11-23';
const fromMemory =
  'NOT verified against the live page (no access from this machine): figures as last known; check before billing.';
const text = { lacks: ['vision'] } as const;

/** Groq (OpenAI-compatible). */
export const groqModels: ProviderCatalog = {
  provider: 'groq',
  pricingSource: { url: 'https://groq.com/pricing', retrieved: today, note: fromMemory },
  models: [
    model('groq', 'llama-3.3-70b-versatile', {
      context: 131_072,
      maxOutput: 32_768,
      price: [0.59, 0.79],
      has: ['tools'],
      lacks: ['vision', 'reasoning'],
    }),
    model('groq', 'llama-3.1-8b-instant', {
      context: 131_072,
      maxOutput: 131_072,
      price: [0.05, 0.08],
      has: ['tools'],
      lacks: ['vision', 'reasoning'],
    }),
    model('groq', 'openai/gpt-oss-120b', {
      context: 131_072,
      maxOutput: 65_536,
      price: [0.15, 0.75],
      has: ['tools', 'reasoning', 'jsonSchema'],
      ...text,
    }),
    model('groq', 'openai/gpt-oss-20b', {
      context: 131_072,
      maxOutput: 65_536,
      price: [0.1, 0.5],
      has: ['tools', 'reasoning', 'jsonSchema'],
      ...text,
    }),
    model('groq', 'meta-llama/llama-4-scout-17b-16e-instruct', {
      context: 131_072,
      maxOutput: 8_192,
      price: [0.11, 0.34],
      has: ['tools', 'vision'],
    }),
  ],
};

/** DeepSeek (OpenAI-compatible). Both endpoints serve DeepSeek-V3.2 at one price. */
export const deepseekModels: ProviderCatalog = {
  provider: 'deepseek',
  pricingSource: {
    url: 'https://api-docs.deepseek.com/quick_start/pricing',
    retrieved: today,
    note:
      'V3.2 prices ($0.28 miss / $0.028 hit / $0.42 out) from a dated April 2026 summary of the official page; ' +
      'the copy of the official page seen here was older (V3.1: $0.56/$0.07/$1.68).',
  },
  models: [
    model('deepseek', 'deepseek-chat', {
      context: 131_072,
      maxOutput: 8_192,
      price: [0.28, 0.42, 0.028],
      has: ['tools'],
      lacks: ['vision', 'reasoning'],
    }),
    model('deepseek', 'deepseek-reasoner', {
      context: 131_072,
      maxOutput: 65_536,
      price: [0.28, 0.42, 0.028],
      has: ['tools', 'reasoning'],
      ...text,
    }),
  ],
};

/** Mistral (OpenAI-compatible chat API). */
export const mistralModels: ProviderCatalog = {
  provider: 'mistral',
  pricingSource: { url: 'https://mistral.ai/pricing#api-pricing', retrieved: today, note: fromMemory },
  models: [
    model('mistral', 'mistral-large-latest', {
      context: 131_072,
      price: [0.5, 1.5],
      has: ['tools', 'vision', 'jsonSchema'],
      source: {
        url: 'https://mistral.ai/pricing#api-pricing',
        retrieved: today,
        note: 'Assumes the alias points at Mistral Large 3; price from a third-party 2026 calculator only.',
      },
    }),
    model('mistral', 'mistral-large-2411', { context: 131_072, price: [2, 6], has: ['tools', 'jsonSchema'] }),
    model('mistral', 'mistral-medium-latest', {
      context: 131_072,
      price: [0.4, 2],
      has: ['tools', 'vision', 'jsonSchema'],
    }),
    model('mistral', 'mistral-small-latest', {
      context: 131_072,
      price: [0.1, 0.3],
      has: ['tools', 'vision', 'jsonSchema'],
    }),
    model('mistral', 'magistral-medium-latest', {
      context: 40_000,
      price: [2, 5],
      has: ['tools', 'reasoning'],
    }),
    model('mistral', 'codestral-latest', { context: 256_000, price: [0.3, 0.9], has: ['tools'], ...text }),
  ],
};

/** xAI Grok (OpenAI-compatible). */
export const xaiModels: ProviderCatalog = {
  provider: 'xai',
  pricingSource: {
    url: 'https://docs.x.ai/developers/pricing',
    retrieved: today,
    note: 'grok-4.3 and grok-4-1-fast read from the official pricing page; grok-4-0709 and grok-3-mini from the 2025 models page.',
  },
  models: [
    model('xai', 'grok-4.3', { context: 1_000_000, price: [1.25, 2.5, 0.2], has: ['tools', 'reasoning'] }),
    model('xai', 'grok-4-1-fast-reasoning', {
      context: 2_000_000,
      price: [0.2, 0.5, 0.05],
      has: ['tools', 'reasoning', 'jsonSchema'],
    }),
    model('xai', 'grok-4-1-fast-non-reasoning', {
      context: 2_000_000,
      price: [0.2, 0.5, 0.05],
      has: ['tools', 'jsonSchema'],
    }),
    model('xai', 'grok-4-0709', {
      aliases: ['grok-4', 'grok-4-latest'],
      context: 256_000,
      price: [3, 15, 0.75],
      has: ['tools', 'vision', 'reasoning', 'jsonSchema'],
    }),
    model('xai', 'grok-3-mini', {
      aliases: ['grok-3-mini-latest'],
      context: 131_072,
      price: [0.3, 0.5, 0.075],
      has: ['tools', 'reasoning'],
      ...text,
    }),
  ],
};

/** Open-weight model hosts (OpenAI-compatible). Their catalogs change often: these are the staples. */
export const hostedOpenModels: ProviderCatalog[] = [
  {
    provider: 'together',
    pricingSource: { url: 'https://www.together.ai/pricing', retrieved: today, note: fromMemory },
    models: [
      model('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', {
        context: 131_072,
        price: [0.88, 0.88],
        has: ['tools'],
        ...text,
      }),
      model('together', 'deepseek-ai/DeepSeek-V3', { context: 131_072, price: [1.25, 1.25], ...text }),
      model('together', 'openai/gpt-oss-120b', { context: 131_072, price: [0.15, 0.6], has: ['reasoning'] }),
    ],
  },
  {
    provider: 'fireworks',
    pricingSource: { url: 'https://fireworks.ai/pricing', retrieved: today, note: fromMemory },
    models: [
      model('fireworks', 'accounts/fireworks/models/llama-v3p3-70b-instruct', {
        context: 131_072,
        price: [0.9, 0.9],
        has: ['tools'],
        ...text,
      }),
      model('fireworks', 'accounts/fireworks/models/gpt-oss-120b', {
        context: 131_072,
        price: [0.15, 0.6],
        has: ['tools', 'reasoning'],
      }),
    ],
  },
  {
    provider: 'cerebras',
    pricingSource: { url: 'https://www.cerebras.ai/pricing', retrieved: today, note: fromMemory },
    models: [
      model('cerebras', 'llama-3.3-70b', { context: 131_072, price: [0.85, 1.2], has: ['tools'], ...text }),
      model('cerebras', 'llama3.1-8b', { context: 32_768, price: [0.1, 0.1], has: ['tools'], ...text }),
      model('cerebras', 'gpt-oss-120b', {
        context: 131_072,
        price: [0.25, 0.69],
        has: ['tools', 'reasoning'],
      }),
    ],
  },
  {
    provider: 'perplexity',
    pricingSource: {
      url: 'https://docs.perplexity.ai/getting-started/pricing',
      retrieved: today,
      note: `${fromMemory} Per-request search fees come on top and are not modelled.`,
    },
    models: [
      model('perplexity', 'sonar', { context: 128_000, price: [1, 1], lacks: ['tools'] }),
      model('perplexity', 'sonar-pro', {
        context: 200_000,
        maxOutput: 8_000,
        price: [3, 15],
        lacks: ['tools'],
      }),
      model('perplexity', 'sonar-reasoning-pro', {
        context: 128_000,
        price: [2, 8],
        has: ['reasoning'],
        lacks: ['tools'],
      }),
    ],
  },
  {
    provider: 'deepinfra',
    pricingSource: { url: 'https://deepinfra.com/pricing', retrieved: today, note: fromMemory },
    models: [
      model('deepinfra', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', {
        context: 131_072,
        price: [0.13, 0.39],
        has: ['tools'],
        ...text,
      }),
      model('deepinfra', 'meta-llama/Meta-Llama-3.1-8B-Instruct', {
        context: 131_072,
        price: [0.03, 0.05],
        ...text,
      }),
    ],
  },
  {
    provider: 'openrouter',
    pricingSource: {
      url: 'https://openrouter.ai/models',
      retrieved: today,
      note: 'OpenRouter bills the routed model; its own models endpoint lists live prices.',
    },
    models: [model('openrouter', 'openrouter/auto', { context: 2_000_000 })],
  },
];
