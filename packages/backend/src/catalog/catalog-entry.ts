import type { BackendCapabilities, ModelInfo } from 'ai.matey.core';

/** Where a price came from and when it was read; prices change, so every one carries its date. */
export interface PricingSource {
  url: string;
  /** `YYYY-MM-DD` the price was read. */
  retrieved: string;
  /** Caveats: unverified figures, tiers not modelled, third-party confirmation. */
  note?: string;
}

/** A model in the catalog: `ModelInfo` plus the source of its price. */
export interface CatalogEntry extends ModelInfo {
  pricingSource?: PricingSource;
}

/** One provider's models, with the source that applies to all of them unless an entry has its own. */
export interface ProviderCatalog {
  provider: string;
  pricingSource: PricingSource;
  models: CatalogEntry[];
}

type Capability = keyof BackendCapabilities;

/** Compact form of a catalog row: prices are USD per million tokens `[input, output, cachedInput?, cacheWrite?]`. */
export interface ModelSpec {
  aliases?: readonly string[];
  context?: number;
  maxOutput?: number;
  price?: [input: number, output: number, cachedInput?: number, cacheWrite?: number];
  /** Capabilities the model has. */
  has?: readonly Capability[];
  /** Capabilities the model is known to lack (a request needing them is refused before sending). */
  lacks?: readonly Capability[];
  /** An embedding model: its vectors' length, and whether it gives shorter ones (`dimensions`). */
  embedding?: { dimensions: number; flexibleDimensions?: boolean };
  source?: PricingSource;
}

/** Builds a catalog entry from a compact spec, so the data tables stay one line a model. */
export function model(provider: string, id: string, spec: ModelSpec = {}): CatalogEntry {
  const entry: CatalogEntry = { id, provider };
  if (spec.aliases) entry.aliases = [...spec.aliases];
  if (spec.context !== undefined) entry.contextWindow = spec.context;
  if (spec.maxOutput !== undefined) entry.maxOutputTokens = spec.maxOutput;
  if (spec.has || spec.lacks) {
    const capabilities: Partial<BackendCapabilities> = { streaming: true };
    for (const capability of spec.has ?? []) capabilities[capability] = true;
    for (const capability of spec.lacks ?? []) capabilities[capability] = false;
    entry.capabilities = capabilities;
  }
  if (spec.price) {
    const [inputPerMTok, outputPerMTok, cachedInputPerMTok, cacheWritePerMTok] = spec.price;
    entry.pricing = { inputPerMTok, outputPerMTok };
    if (cachedInputPerMTok !== undefined) entry.pricing.cachedInputPerMTok = cachedInputPerMTok;
    if (cacheWritePerMTok !== undefined) entry.pricing.cacheWritePerMTok = cacheWritePerMTok;
  }
  if (spec.embedding) entry.embedding = { ...spec.embedding };
  if (spec.source) entry.pricingSource = spec.source;
  return entry;
}
