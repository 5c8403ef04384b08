const LABEL = /^[\x21-\x7e]{1,128}$/;

/** Distinct labels kept when no model list is configured. */
export const MAX_MODEL_LABELS = 100;

/**
 * The values the `model` metrics label may take. Prometheus keeps a series per label value, so
 * an open set (an upstream echoing any model name back) is a memory leak and a way to flood the
 * scrape. With a list (`knownModels`, the catalog's ids at the gateway) a model outside it is
 * labelled `other`; without one the first 100 distinct names are kept, then `other`.
 */
export class KnownModels {
  readonly #configured: ReadonlySet<string> | undefined;
  readonly #seen = new Set<string>();

  constructor(configured?: Iterable<string>) {
    this.#configured = configured === undefined ? undefined : new Set(configured);
  }

  /** The label for a reply's model: the id itself when known (or room is left), else `other`. */
  label(provider: string, model: string): string {
    if (!LABEL.test(model)) return 'other';
    if (this.#configured) {
      const known = this.#configured.has(model) || this.#configured.has(`${provider}/${model}`);
      return known ? model : 'other';
    }
    if (this.#seen.has(model)) return model;
    if (this.#seen.size >= MAX_MODEL_LABELS) return 'other';
    this.#seen.add(model);
    return model;
  }
}
