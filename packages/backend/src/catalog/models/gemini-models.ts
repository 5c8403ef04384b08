import { model, type ProviderCatalog } from '../catalog-entry.ts';

const all = { has: ['tools', 'vision', 'reasoning', 'jsonSchema'] } as const;
const m = (id: string, spec: Parameters<typeof model>[2]) => model('gemini', id, spec);

/** Google's Gemini models (Gemini Developer API). Prices: standard tier, prompts up to 200k tokens. */
export const geminiModels: ProviderCatalog = {
  provider: 'gemini',
  pricingSource: {
    url: 'https://ai.google.dev/gemini-api/docs/pricing',
    retrieved: '2026-11-23',
    note:
      'Input/output prices cross-checked against dated third-party summaries of the official page; cached ' +
      'prices assume the 90% implicit-cache discount those summaries describe (not read from the official ' +
      'page). Gemini 2.5 Pro bills $2.50/$15 above 200k prompt tokens: not modelled. Audio input is dearer.',
  },
  models: [
    m('gemini-2.5-pro', { context: 1_048_576, maxOutput: 65_536, price: [1.25, 10, 0.125], ...all }),
    m('gemini-2.5-flash', { context: 1_048_576, maxOutput: 65_536, price: [0.3, 2.5, 0.03], ...all }),
    m('gemini-2.5-flash-lite', { context: 1_048_576, maxOutput: 65_536, price: [0.1, 0.4, 0.01], ...all }),
    m('gemini-2.0-flash', {
      aliases: ['gemini-2.0-flash-001'],
      context: 1_048_576,
      maxOutput: 8_192,
      price: [0.1, 0.4, 0.025],
      has: ['tools', 'vision', 'jsonSchema'],
      lacks: ['reasoning'],
    }),
    m('gemini-3-pro-preview', {
      context: 1_048_576,
      maxOutput: 65_536,
      price: [2, 12, 0.2],
      ...all,
      source: {
        url: 'https://ai.google.dev/gemini-api/docs/pricing',
        retrieved: '2026-11-23',
        note: 'Price from third-party 2026 summaries only; context/output limits assumed equal to 2.5 Pro.',
      },
    }),
  ],
};
