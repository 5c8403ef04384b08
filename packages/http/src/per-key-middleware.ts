import type { Middleware } from 'ai.matey.core';

/**
 * Runs a middleware chosen by the caller's gateway key (`metadata.apiKeyId`): each key gets its
 * own instance (its own limits and budget); calls from keys without one pass straight through.
 * With `versionOf`, a key whose version changes (its limits were edited) gets a new instance.
 */
export function perKeyMiddleware(
  name: string,
  create: (keyId: string) => Middleware | undefined,
  versionOf?: (keyId: string) => string,
): Middleware {
  const instances = new Map<string, Middleware | undefined>();
  return {
    name,
    execute(request, next, context) {
      const keyId = request.metadata?.apiKeyId;
      if (typeof keyId !== 'string') return next(request);
      const slot = versionOf ? `${keyId}\n${versionOf(keyId)}` : keyId;
      if (!instances.has(slot)) instances.set(slot, create(keyId));
      const middleware = instances.get(slot);
      return middleware ? middleware.execute(request, next, context) : next(request);
    },
    embed(request, next, context) {
      const keyId = request.metadata?.apiKeyId;
      if (typeof keyId !== 'string') return next(request);
      // The same instance as the key's chat calls: an edited key's embeddings get its new figures.
      const slot = versionOf ? `${keyId}\n${versionOf(keyId)}` : keyId;
      if (!instances.has(slot)) instances.set(slot, create(keyId));
      const middleware = instances.get(slot);
      return middleware?.embed ? middleware.embed(request, next, context) : next(request);
    },
  };
}
