import { defaultCatalog, PROVIDER_PROFILES } from 'ai.matey.backend';
import type { ConfigIssue } from './config-error.ts';
import { isPackagePreset, PACKAGE_PRESETS } from './package-presets.ts';

/** The providers names may refer to, each with a test for the models it serves. */
export interface KnownProviders {
  /** What the names are checked against, for messages (`configured`, `enabled`). */
  label: string;
  serves: Map<string, (model: string) => boolean>;
  /** Listed in the config with `enabled: false`. */
  disabled?: ReadonlySet<string>;
}

type Loose = Record<string, unknown>;

/**
 * Cross-references the type can not check: `routing.defaultProvider`, `routing.fallbacks`,
 * `bulkheads.providers` and alias targets must name a provider (or a model one serves); key ids and keys are unique.
 * Reads the raw value defensively, so it can run beside the schema's own errors.
 */
export function referenceIssues(raw: unknown, known: KnownProviders): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const config = record(raw) ?? {};
  const routing = record(config.routing) ?? {};
  const names = [...known.serves.keys()];
  const listed = `${known.label}: ${names.join(', ') || 'none'}`;
  const unknownProvider = (name: string) =>
    known.disabled?.has(name)
      ? `'${name}' is disabled (enabled: false)`
      : `'${name}' is not a provider (${listed})`;

  if (typeof routing.defaultProvider === 'string' && !known.serves.has(routing.defaultProvider)) {
    issues.push({ field: 'routing.defaultProvider', message: unknownProvider(routing.defaultProvider) });
  }
  list(routing.fallbacks).forEach((entry, i) => {
    if (typeof entry !== 'string' || known.serves.has(entry)) return;
    const slash = entry.indexOf('/');
    const provider = slash > 0 ? entry.slice(0, slash) : entry;
    if (!known.serves.has(provider))
      issues.push({ field: `routing.fallbacks.${i}`, message: unknownProvider(provider) });
  });

  for (const name of Object.keys(record(record(config.bulkheads)?.providers) ?? {})) {
    if (!known.serves.has(name))
      issues.push({ field: `bulkheads.providers.${name}`, message: unknownProvider(name) });
  }

  const aliases = record(config.models) ?? {};
  for (const [alias, target] of Object.entries(aliases)) {
    if (typeof target !== 'string') continue;
    const slash = target.indexOf('/');
    if (slash > 0 && known.serves.has(target.slice(0, slash))) continue;
    if ([...known.serves.values()].some((serves) => serves(target))) continue;
    const message = Object.hasOwn(aliases, target)
      ? `'${target}' is another alias: aliases do not chain, name the model`
      : `'${target}' is neither \`provider/model\` nor a model a provider serves (${listed})`;
    issues.push({ field: `models.${alias}`, message });
  }

  const seenIds = new Map<string, number>();
  const seenSecrets = new Map<string, number>();
  list(config.keys).forEach((entry, i) => {
    const key = record(entry);
    if (!key) return;
    if (typeof key.id === 'string') {
      const first = seenIds.get(key.id);
      if (first === undefined) seenIds.set(key.id, i);
      else
        issues.push({ field: `keys.${i}.id`, message: `duplicate key id '${key.id}' (also keys.${first})` });
    }
    for (const field of ['key', 'sha256'] as const) {
      const secret = key[field];
      if (typeof secret !== 'string') continue;
      const first = seenSecrets.get(secret.toLowerCase());
      // The secret itself is never repeated in the message.
      if (first === undefined) seenSecrets.set(secret.toLowerCase(), i);
      else issues.push({ field: `keys.${i}.${field}`, message: `the same key as keys.${first}` });
    }
  });
  return [...issues, ...semanticCacheIssues(config, aliases, known, listed)];
}

/** The semantic cache's embedding model must be one the gateway can call; opting in needs the section. */
function semanticCacheIssues(
  config: Loose,
  aliases: Loose,
  known: KnownProviders,
  listed: string,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const section = record(record(config.middleware)?.semanticCache);
  const model = section?.embeddingModel;
  if (typeof model === 'string' && !Object.hasOwn(aliases, model)) {
    const slash = model.indexOf('/');
    const named = slash > 0 && known.serves.has(model.slice(0, slash));
    if (!named && ![...known.serves.values()].some((serves) => serves(model)))
      issues.push({
        field: 'middleware.semanticCache.embeddingModel',
        message: `'${model}' is neither an alias, \`provider/model\` nor a model a provider serves (${listed})`,
      });
  }
  if (!section) {
    list(config.keys).forEach((entry, i) => {
      if (record(entry)?.semanticCache === true)
        issues.push({ field: `keys.${i}.semanticCache`, message: 'middleware.semanticCache is off' });
    });
  }
  return issues;
}

/**
 * The providers a config file can name: the ones it lists (with the models each serves), or,
 * when it lists none, every built-in provider the environment could enable.
 */
export function configuredProviders(raw: unknown): KnownProviders {
  const providers = Object.entries(record(record(raw)?.providers) ?? {});
  if (providers.length === 0) {
    const serves = new Map<string, (model: string) => boolean>();
    for (const name of [...Object.keys(PROVIDER_PROFILES), ...Object.keys(PACKAGE_PRESETS)])
      serves.set(name, (model) => catalogServes(name, model));
    return { label: 'built-in providers', serves };
  }
  const serves = new Map<string, (model: string) => boolean>();
  const disabled = new Set<string>();
  for (const [name, value] of providers) {
    const provider = record(value) ?? {};
    if (provider.enabled === false) {
      disabled.add(name);
      continue;
    }
    const type = typeof provider.type === 'string' ? provider.type : name;
    const models = [...list(provider.models), provider.defaultModel].filter((m) => typeof m === 'string');
    serves.set(
      name,
      (model) => models.some((pattern) => matches(pattern, model)) || catalogServes(type, model),
    );
  }
  return { label: 'configured providers', serves, disabled };
}

/** Problems with the providers section itself: a name with no type that is not built in. */
export function providerIssues(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, value] of Object.entries(record(record(raw)?.providers) ?? {})) {
    const provider = record(value);
    if (!provider) continue;
    if (provider.type === undefined && !Object.hasOwn(PROVIDER_PROFILES, name) && !isPackagePreset(name)) {
      issues.push({
        field: `providers.${name}`,
        message: `'${name}' is not a built-in provider, so it needs a type: one of ${builtInTypes().join(', ')}, a module path (./my-backend.js) or a package name`,
      });
    }
    if (provider.type === 'openai-compatible' && typeof provider.baseURL !== 'string') {
      issues.push({
        field: `providers.${name}.baseURL`,
        message: 'an openai-compatible provider needs a baseURL',
      });
    }
  }
  return issues;
}

export function builtInTypes(): string[] {
  return [...Object.keys(PROVIDER_PROFILES), ...Object.keys(PACKAGE_PRESETS), 'openai-compatible'];
}

function catalogServes(provider: string, model: string): boolean {
  return (
    (Object.hasOwn(PROVIDER_PROFILES, provider) || isPackagePreset(provider)) &&
    defaultCatalog.find(model, provider) !== undefined
  );
}

function matches(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*');
  return new RegExp(`^${escaped}$`).test(model);
}

function record(value: unknown): Loose | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
