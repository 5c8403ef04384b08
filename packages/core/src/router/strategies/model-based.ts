import type { Strategy, StrategyContext } from './strategy.ts';

/**
 * The backend the model maps to: `modelMapping` (exact, then glob), then each registration's
 * `models`, then its default model. No model at all means the default backend.
 */
export const modelBasedStrategy: Strategy = (request, context) => {
  const name = backendForModel(request.model, context);
  if (name) return { name, reason: `model '${request.model}' maps to it` };
  return {
    name: request.model ? undefined : context.defaultBackend,
    reason: 'default backend (no model given)',
  };
};

function backendForModel(model: string | undefined, context: StrategyContext): string | undefined {
  if (!model) return undefined;
  const mapping = context.modelMapping ?? {};
  if (mapping[model]) return mapping[model];
  for (const [pattern, name] of Object.entries(mapping)) if (matches(pattern, model)) return name;
  for (const registration of context.registrations.values()) {
    if (registration.models.some((pattern) => matches(pattern, model))) return registration.name;
    if (registration.backend.metadata.defaultModel === model) return registration.name;
  }
  return undefined;
}

/** An exact id, a glob with `*`, or a RegExp. */
export function matches(pattern: string | RegExp, model: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(model);
  if (!pattern.includes('*')) return pattern === model;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return regex.test(model);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
