/** A model reference split at its first slash: `provider/model`, or a bare model id. */
export interface ModelRef {
  /** The part before the first `/`, when there is one (and it is not empty). */
  provider?: string;
  /** The rest: the model id as its provider knows it. */
  model: string;
}

/**
 * Splits `provider/model` at the first slash (`openrouter/openai/gpt-4o` is provider
 * `openrouter`, model `openai/gpt-4o`); a bare id, or one starting with `/`, has no provider.
 * Whether the prefix really names a provider is the caller's to decide (a Router checks its
 * registrations, a catalog its providers).
 *
 * @example
 * parseModelRef('anthropic/claude-sonnet-4-5'); // { provider: 'anthropic', model: 'claude-sonnet-4-5' }
 * parseModelRef('gpt-4o');                      // { model: 'gpt-4o' }
 */
export function parseModelRef(ref: string): ModelRef {
  const slash = ref.indexOf('/');
  return slash > 0 ? { provider: ref.slice(0, slash), model: ref.slice(slash + 1) } : { model: ref };
}
