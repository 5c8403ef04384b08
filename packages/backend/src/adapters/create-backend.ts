import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES, type ProviderName } from '../adapter/provider-profiles.ts';
import { AzureOpenAIBackendAdapter, type AzureOpenAIBackendOptions } from './azure-openai-backend-adapter.ts';
import { OpenAIBackendAdapter } from './openai-backend-adapter.ts';

/** Options for a server that speaks OpenAI Chat Completions but has no preset. */
export interface OpenAICompatibleBackendOptions extends HttpBackendOptions {
  /** Provider name on replies and errors (`my-gateway`). */
  name: string;
  /** Base URL including the version path (`http://10.0.0.5:8080/v1`). */
  baseURL: string;
}

/**
 * Any OpenAI-compatible server (a self-hosted gateway, a new provider): the same base class with
 * a profile made from the options. The key is optional: sent as `Authorization: Bearer` when given.
 *
 * @example
 * const local = new OpenAICompatibleBackendAdapter({ name: 'tgi', baseURL: 'http://127.0.0.1:8080/v1', defaultModel: 'tgi' });
 */
export class OpenAICompatibleBackendAdapter extends HttpBackend {
  constructor(options: OpenAICompatibleBackendOptions) {
    super(
      {
        ...PROVIDER_PROFILES.vllm,
        name: options.name,
        baseURL: options.baseURL,
        apiKeyEnv: [],
        baseURLEnv: [],
        defaultModel: options.defaultModel ?? '',
        capabilities: { streaming: true, tools: true, vision: true, reasoning: true, jsonSchema: true },
      },
      options,
    );
  }
}

/**
 * An adapter by provider name, for configuration files and the CLI. An unknown name is a
 * `TypeError` that lists the known ones.
 *
 * @example
 * const backend = createBackend('groq', { defaultModel: 'llama-3.1-8b-instant' });
 */
export function createBackend(
  provider: ProviderName,
  options: HttpBackendOptions & AzureOpenAIBackendOptions = {},
): HttpBackend {
  if (provider === 'azure-openai') return new AzureOpenAIBackendAdapter(options);
  if (provider === 'openai') return new OpenAIBackendAdapter(options);
  // `provider` comes from config files and command lines, typed or not: check it at run time.
  if (!Object.hasOwn(PROVIDER_PROFILES, provider)) {
    throw new TypeError(
      `createBackend: unknown provider '${String(provider)}' (known: ${Object.keys(PROVIDER_PROFILES).join(', ')}; for any other OpenAI-compatible server use OpenAICompatibleBackendAdapter)`,
    );
  }
  return new HttpBackend(PROVIDER_PROFILES[provider], options);
}
