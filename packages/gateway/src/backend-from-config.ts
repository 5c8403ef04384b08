import {
  createBackend,
  defaultCatalog,
  type HttpTransport,
  OpenAICompatibleBackendAdapter,
  PROVIDER_PROFILES,
  type ProviderName,
} from 'ai.matey.backend';
import type { Backend } from 'ai.matey.core';
import type { EnabledProvider } from './build-gateway.ts';
import type { ProviderConfig } from './config-schema.ts';
import { assertBackend, loadBackendPlugin } from './load-backend-plugin.ts';
import { isPackagePreset, packagePresetBackend } from './package-presets.ts';

/**
 * One provider of the config as a backend: a built-in preset, `openai-compatible`, or a plug-in
 * module or package named by `type` (resolved from `dir`, the config file's folder). Throws a
 * `TypeError` saying what is wrong with the entry. A built-in adapter uses `transport()` when it
 * gives one (a provider's own pool, sized to its bulkhead).
 */
export async function backendFromConfig(
  name: string,
  provider: ProviderConfig,
  dir: string,
  transport: () => HttpTransport | undefined = () => undefined,
): Promise<{ provider: EnabledProvider; backend: Backend; weight?: number }> {
  const type = provider.type ?? name;
  const adapterOptions = {
    name,
    ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    ...(provider.baseURL ? { baseURL: provider.baseURL } : {}),
    ...(provider.defaultModel ? { defaultModel: provider.defaultModel } : {}),
    ...(provider.headers ? { headers: provider.headers } : {}),
    ...(provider.timeoutMs ? { timeoutMs: provider.timeoutMs } : {}),
    ...(provider.protocol ? { protocol: provider.protocol } : {}),
  };
  let backend: Backend;
  let pluginModels: readonly string[] = [];
  const pooled = () => {
    const own = transport();
    return own ? { ...adapterOptions, transport: own } : adapterOptions;
  };
  if (type === 'openai-compatible') {
    if (!provider.baseURL) throw new TypeError(`an openai-compatible provider needs a baseURL`);
    backend = new OpenAICompatibleBackendAdapter({ ...pooled(), baseURL: provider.baseURL });
  } else if (Object.hasOwn(PROVIDER_PROFILES, type)) {
    backend = createBackend(type as ProviderName, pooled());
  } else if (isPackagePreset(type)) {
    backend = await packagePresetBackend(type, adapterOptions, provider, dir);
  } else {
    // Not built in: a plug-in module (`./acme-backend.js`) or package (`@acme/matey-backend`).
    const plugin = await loadBackendPlugin(type, dir);
    backend = assertBackend(await plugin.createBackend(adapterOptions), type);
    pluginModels = plugin.models ?? [];
  }
  // Bedrock's cross-region inference profiles (`us.…`) are catalog aliases: routable too.
  const catalogModels = defaultCatalog
    .list(type)
    .flatMap((entry) => (isPackagePreset(type) ? [entry.id, ...(entry.aliases ?? [])] : [entry.id]));
  const models = [
    ...(provider.models ?? []),
    ...(provider.defaultModel ? [provider.defaultModel] : []),
    ...pluginModels,
    ...catalogModels,
  ];
  const baseURL =
    provider.baseURL ??
    (Object.hasOwn(PROVIDER_PROFILES, type) ? PROVIDER_PROFILES[type as ProviderName].baseURL : undefined) ??
    (backend as { toJSON?: () => { baseURL?: unknown } }).toJSON?.().baseURL ??
    '';
  return {
    provider: { name, type, baseURL: String(baseURL), models: [...new Set(models)], simulated: false },
    backend,
    ...(provider.weight ? { weight: provider.weight } : {}),
  };
}
