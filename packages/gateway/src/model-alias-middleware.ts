import type { Middleware } from 'ai.matey.core';

/**
 * Rewrites a request's model when it is one of the config's aliases (`models:`), before the
 * Router picks a provider; any other model goes on as asked. Only the map's own keys count, so a
 * model named like an `Object.prototype` member is never an alias.
 *
 * @example
 * ```ts
 * bridge.use(createModelAliasMiddleware({ fast: 'groq/llama-3.1-8b-instant' }));
 * ```
 */
export function createModelAliasMiddleware(aliases: Readonly<Record<string, string>>): Middleware {
  const resolve = (model: string | undefined) =>
    model && Object.hasOwn(aliases, model) ? aliases[model] : undefined;
  return {
    name: 'model-aliases',
    execute: (request, next) => {
      const target = resolve(request.model);
      return next(target ? { ...request, model: target } : request);
    },
    // Embedding models have aliases too (`embed: openai/text-embedding-3-small`).
    embed: (request, next) => {
      const target = resolve(request.model);
      return next(target ? { ...request, model: target } : request);
    },
  };
}
