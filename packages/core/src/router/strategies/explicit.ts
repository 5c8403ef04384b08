import type { Strategy } from './strategy.ts';

/** Always the default backend: requests choose theirs by `metadata.provider` or a model prefix. */
export const explicitStrategy: Strategy = (_request, context) => ({
  name: context.defaultBackend,
  reason: 'default backend',
});
