import type { CatalogEntry, ProviderCatalog } from '../catalog-entry.ts';
import { anthropicModels } from './anthropic-models.ts';
import { geminiModels } from './gemini-models.ts';

const DATED = /^(claude-.+)-(\d{8})$/;

/** A first-party entry as Vertex names it: Anthropic's dated ids take an `@` (`claude-sonnet-4-5@20250929`). */
function onVertex(entry: CatalogEntry): CatalogEntry {
  const dated = DATED.exec(entry.id);
  const id = dated ? `${dated[1]}@${dated[2]}` : entry.id;
  const aliases = [...(entry.aliases ?? []), ...(dated ? [entry.id, dated[1] ?? entry.id] : [])];
  return { ...entry, id, provider: 'vertex', ...(aliases.length > 0 ? { aliases } : {}) };
}

/**
 * Google Vertex AI: the Gemini models and Anthropic's models on Vertex, at the first-party list
 * prices (Vertex bills Gemini and Claude at the same per-token rates on the global endpoint;
 * regional endpoints of the newest Claude models cost about 10% more, not modelled here).
 */
export const vertexModels: ProviderCatalog = {
  provider: 'vertex',
  pricingSource: {
    url: 'https://cloud.google.com/vertex-ai/generative-ai/pricing',
    retrieved: '2026-12-07',
    note: 'NOT verified against the live page (no access from this machine): the first-party prices, as last known.',
  },
  models: [...geminiModels.models, ...anthropicModels.models].map(onVertex),
};
