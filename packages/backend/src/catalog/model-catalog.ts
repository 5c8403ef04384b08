import { type ModelCatalog as CoreModelCatalog, costOfUsage, parseModelRef, type Usage } from 'ai.matey.core';
import type { CatalogEntry, ProviderCatalog } from './catalog-entry.ts';
import { MODELS } from './models.ts';

/** Other names callers use for a catalog provider. */
const PROVIDER_ALIASES: Record<string, string> = {
  google: 'gemini',
  'google-ai': 'gemini',
  azure: 'openai',
  'azure-openai': 'openai',
  'x-ai': 'xai',
  grok: 'xai',
  claude: 'anthropic',
};

/** Providers that resell others' models under `vendor/model` ids at the vendor's price. */
const RESELLERS = new Set(['openrouter']);

const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;

function canonicalProvider(provider: string | undefined): string | undefined {
  if (provider === undefined) return undefined;
  const lower = provider.toLowerCase();
  return PROVIDER_ALIASES[lower] ?? lower;
}

/**
 * Looks up models by id or alias (case-insensitive; `models/` prefixes, `provider/` prefixes and
 * dated snapshot suffixes such as `gpt-4.1-2025-04-14` are understood), lists them, and prices a
 * call's usage in USD from the per-million-token rates.
 *
 * @example
 * const info = defaultCatalog.find('claude-sonnet-4-5', 'anthropic');
 * const usd = defaultCatalog.price('gpt-4o-mini', { inputTokens: 1000, outputTokens: 200, totalTokens: 1200 });
 */
export class ModelCatalog implements CoreModelCatalog {
  readonly #entries: CatalogEntry[] = [];
  readonly #index = new Map<string, CatalogEntry[]>();

  constructor(providers: readonly ProviderCatalog[] = MODELS) {
    for (const provider of providers) this.#add(provider, false);
  }

  /** Adds a provider's models; where an id is already known, the added entry wins. */
  add(catalog: ProviderCatalog): this {
    this.#add(catalog, true);
    return this;
  }

  #add(catalog: ProviderCatalog, prepend: boolean): void {
    for (const entry of catalog.models) {
      const withSource: CatalogEntry = {
        ...entry,
        pricingSource: entry.pricingSource ?? catalog.pricingSource,
      };
      this.#entries.push(withSource);
      for (const name of [entry.id, ...(entry.aliases ?? [])]) {
        const key = name.toLowerCase();
        const existing = this.#index.get(key);
        if (!existing) this.#index.set(key, [withSource]);
        else if (prepend) existing.unshift(withSource);
        else existing.push(withSource);
      }
    }
  }

  /** The model with this id or alias, from `provider` when given (`google`, `azure` are understood). */
  find(model: string, provider?: string): CatalogEntry | undefined {
    const wanted = canonicalProvider(provider);
    let key = model.toLowerCase();
    if (key.startsWith('models/')) key = key.slice('models/'.length);
    const direct = this.#lookup(key, wanted) ?? this.#lookup(key.replace(DATE_SUFFIX, ''), wanted);
    if (direct) return direct;
    const ref = parseModelRef(key);
    if (ref.provider === undefined) return undefined;
    const prefix = canonicalProvider(ref.provider);
    const rest = ref.model;
    if (wanted === undefined || wanted === prefix) return this.find(rest, prefix);
    if (RESELLERS.has(wanted)) return this.find(rest, prefix);
    return undefined;
  }

  /** Every model, or one provider's. */
  list(provider?: string): CatalogEntry[] {
    const wanted = canonicalProvider(provider);
    return wanted === undefined ? [...this.#entries] : this.#entries.filter((e) => e.provider === wanted);
  }

  /**
   * The USD cost of a call's usage, or `undefined` when the model or its price is unknown.
   * Cached and cache-write tokens are part of `inputTokens` and billed at their own rates.
   */
  price(model: string, usage: Usage, provider?: string): number | undefined {
    const pricing = this.find(model, provider)?.pricing;
    return pricing ? costOfUsage(pricing, usage) : undefined;
  }

  #lookup(key: string, provider: string | undefined): CatalogEntry | undefined {
    const candidates = this.#index.get(key);
    if (!candidates) return undefined;
    if (provider === undefined) return candidates.find((c) => !RESELLERS.has(c.provider)) ?? candidates[0];
    return candidates.find((candidate) => candidate.provider === provider);
  }
}

/** The catalog built from the bundled model table. */
export const defaultCatalog: ModelCatalog = new ModelCatalog();
