import type { Middleware } from 'ai.matey.core';

/**
 * Runs a middleware chosen by the caller's gateway key (`metadata.apiKeyId`): each key gets its
 * own instance (its own limits and budget); calls from keys without one pass straight through.
 */
export function perKeyMiddleware(
  name: string,
  create: (keyId: string) => Middleware | undefined,
): Middleware {
  const instances = new Map<string, Middleware | undefined>();
  return {
    name,
    execute(request, next, context) {
      const keyId = request.metadata?.apiKeyId;
      if (typeof keyId !== 'string') return next(request);
      if (!instances.has(keyId)) instances.set(keyId, create(keyId));
      const middleware = instances.get(keyId);
      return middleware ? middleware.execute(request, next, context) : next(request);
    },
    embed(request, next, context) {
      const keyId = request.metadata?.apiKeyId;
      if (typeof keyId !== 'string') return next(request);
      if (!instances.has(keyId)) instances.set(keyId, create(keyId));
      const middleware = instances.get(keyId);
      return middleware?.embed ? middleware.embed(request, next, context) : next(request);
    },
  };
}
