import { parseModelRef } from 'ai.matey.core';
import type { ModelCatalog } from '../catalog/model-catalog.ts';

export interface ResolveModelOptions {
  /** A Router already took the `provider/` prefix off: the id is sent as it is. */
  resolved: boolean;
  /** The model when the request names none. */
  fallback: string;
  /** The names a prefix may use for this backend: its own name, then its provider's. */
  names: readonly [name: string, provider: string];
  catalog: ModelCatalog;
}

/**
 * The upstream model id of a requested one: the request's (minus a `name/` prefix naming this
 * backend, unless a Router already took it off) or the fallback. A prefix that is part of a
 * known id stays (`openrouter/auto` is a real id at OpenRouter).
 *
 * @example
 * resolveModelId('groq/llama-3.3-70b-versatile', { resolved: false, fallback: 'x', names: ['groq', 'groq'], catalog });
 * // 'llama-3.3-70b-versatile'
 */
export function resolveModelId(requested: string | undefined, options: ResolveModelOptions): string {
  if (requested === undefined || requested === '') return options.fallback;
  if (options.resolved) return requested;
  const ref = parseModelRef(requested);
  const [name, provider] = options.names;
  if (ref.provider !== name && ref.provider !== provider) return requested;
  const known = options.catalog.find(requested, provider);
  if (known && (known.id === requested || known.aliases?.includes(requested))) return requested;
  return ref.model;
}
