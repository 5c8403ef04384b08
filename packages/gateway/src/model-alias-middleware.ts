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
  return {
    name: 'model-aliases',
    execute: (request, next) => {
      const target =
        request.model && Object.hasOwn(aliases, request.model) ? aliases[request.model] : undefined;
      return next(target ? { ...request, model: target } : request);
    },
  };
}
