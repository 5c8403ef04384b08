import { checkOptions, InvalidRequestError, type OptionShape } from 'ai.matey.core';
import { type WireEndpoints, wireCodec } from 'ai.matey.wire';
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
  /** Azure's v1 API (any protocol but its deployments' own): the protocol's paths under `/openai/v1`. */
  readonly #v1: WireEndpoints | undefined;

  constructor(options: AzureOpenAIBackendOptions = {}) {
    checkOptions('new AzureOpenAIBackendAdapter', options, azureOptions);
    const { apiVersion: _apiVersion, deployment: _deployment, protocol, ...common } = options;
    const deployments = PROVIDER_PROFILES['azure-openai'];
    const profile = { ...deployments, protocol: protocol ?? deployments.protocol };
    const baseURL = options.baseURL ?? fromEnv(profile.baseURLEnv) ?? UNSET;
    super(profile, { ...common, baseURL });
    // The deployment paths serve only the profile's own protocol; another one speaks the v1 API.
    this.#v1 = profile.protocol === deployments.protocol ? undefined : wireCodec(profile.protocol).endpoints;
    this.#apiVersion =
      options.apiVersion ?? fromEnv(['AZURE_OPENAI_API_VERSION', 'OPENAI_API_VERSION']) ?? '2024-10-21';
    this.#deployment = options.deployment;
  }

  /** The deployment, for the Responses API (which names it in the body, as the model). */
  override resolveModel(requested: string | undefined, resolved = false): string {
    const model = super.resolveModel(requested, resolved);
    return this.#v1 ? (this.#deployment ?? model) : model;
  }

  protected override chatPath(model: string, stream: boolean): string {
    if (this.origin === UNSET) {
      throw new InvalidRequestError({
        message: 'No Azure OpenAI endpoint: pass baseURL or set AZURE_OPENAI_ENDPOINT',
        provider: this.metadata.provider,
        code: 'missing_base_url',
      });
    }
    const prefix = this.basePath.endsWith('/openai') ? this.basePath : `${this.basePath}/openai`;
    if (this.#v1) return this.#v1.chatPath(`${prefix}/v1`, model, stream);
    const deployment = encodeURIComponent(this.#deployment ?? model);
    return `${prefix}/deployments/${deployment}/chat/completions?api-version=${encodeURIComponent(this.#apiVersion)}`;
  }
}
