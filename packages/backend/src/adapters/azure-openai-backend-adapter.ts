import { checkOptions, InvalidRequestError, type OptionShape } from 'ai.matey.core';
import { HttpBackend, type HttpBackendOptions, httpBackendOptions } from '../adapter/http-backend.ts';
import { fromEnv } from '../adapter/provider-profile.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';
import type { OpenAIApi } from './openai-backend-adapter.ts';

/** Azure OpenAI options: the resource endpoint is the `baseURL` (or `AZURE_OPENAI_ENDPOINT`). */
export interface AzureOpenAIBackendOptions extends HttpBackendOptions {
  /** `api-version` query value (default `AZURE_OPENAI_API_VERSION`, `OPENAI_API_VERSION`, else 2024-10-21). */
  apiVersion?: string;
  /** A fixed deployment; by default the request's model names the deployment. */
  deployment?: string;
  /**
   * `openai-chat` (default): the deployment's `chat/completions`. `openai-responses`: the v1
   * Responses API, `{baseURL}/openai/v1/responses`, with the deployment as the body's model.
   */
  protocol?: OpenAIApi;
}

const azureOptions: OptionShape<AzureOpenAIBackendOptions> = {
  ...httpBackendOptions,
  apiVersion: true,
  deployment: true,
  protocol: true,
};

// A syntactically valid stand-in, so a missing endpoint fails at call time, not construction.
const UNSET = 'https://azure-openai-endpoint-not-set.invalid';

/**
 * Azure OpenAI: `{baseURL}/openai/deployments/{deployment}/chat/completions?api-version=…` with
 * the key in an `api-key` header (`AZURE_OPENAI_API_KEY`).
 *
 * @example
 * const azure = new AzureOpenAIBackendAdapter({ baseURL: 'https://my-resource.openai.azure.com', defaultModel: 'gpt-4o-prod' });
 */
export class AzureOpenAIBackendAdapter extends HttpBackend {
  readonly #apiVersion: string;
  readonly #deployment: string | undefined;
  readonly #responses: boolean;

  constructor(options: AzureOpenAIBackendOptions = {}) {
    checkOptions('new AzureOpenAIBackendAdapter', options, azureOptions);
    const { apiVersion: _apiVersion, deployment: _deployment, protocol, ...common } = options;
    const profile = { ...PROVIDER_PROFILES['azure-openai'], protocol: protocol ?? 'openai-chat' };
    const baseURL = options.baseURL ?? fromEnv(profile.baseURLEnv) ?? UNSET;
    super(profile, { ...common, baseURL });
    this.#responses = protocol === 'openai-responses';
    this.#apiVersion =
      options.apiVersion ?? fromEnv(['AZURE_OPENAI_API_VERSION', 'OPENAI_API_VERSION']) ?? '2024-10-21';
    this.#deployment = options.deployment;
  }

  /** The deployment, for the Responses API (which names it in the body, as the model). */
  override resolveModel(requested: string | undefined, resolved = false): string {
    const model = super.resolveModel(requested, resolved);
    return this.#responses ? (this.#deployment ?? model) : model;
  }

  protected override chatPath(model: string): string {
    if (this.origin === UNSET) {
      throw new InvalidRequestError({
        message: 'No Azure OpenAI endpoint: pass baseURL or set AZURE_OPENAI_ENDPOINT',
        provider: this.metadata.provider,
        code: 'missing_base_url',
      });
    }
    const prefix = this.basePath.endsWith('/openai') ? this.basePath : `${this.basePath}/openai`;
    if (this.#responses) return `${prefix}/v1/responses`;
    const deployment = encodeURIComponent(this.#deployment ?? model);
    return `${prefix}/deployments/${deployment}/chat/completions?api-version=${encodeURIComponent(this.#apiVersion)}`;
  }
}
