import type { Strategy } from './strategy.ts';

/** The user's `customStrategy` function decides; when it names none, the default backend. */
export const customStrategy: Strategy = (request, context) => {
  const custom = context.customStrategy;
  if (!custom) throw new TypeError("routingStrategy 'custom' needs a customStrategy function");
  const name = custom(request, [...context.registrations.keys()]);
  return name
    ? { name, reason: 'custom strategy' }
    : { name: context.defaultBackend, reason: 'default backend' };
};
