// First: fails with a clear message on a Node.js too old for undici, before undici loads.
import './require-node.ts';

export type { BackendPlugin, BackendPluginOptions } from './adapter/backend-plugin.ts';
export { HttpBackend, type HttpBackendOptions } from './adapter/http-backend.ts';
export type { AuthStyle, BackendAdapterOptions, ProviderProfile } from './adapter/provider-profile.ts';
export { PROVIDER_PROFILES, type ProviderName } from './adapter/provider-profiles.ts';
export { rateLimitFromHeaders } from './adapter/rate-limit-headers.ts';
export type { RequestSigner, UnsignedRequest } from './adapter/request-signer.ts';
export { AnthropicBackendAdapter } from './adapters/anthropic-backend-adapter.ts';
export {
  AzureOpenAIBackendAdapter,
  type AzureOpenAIBackendOptions,
} from './adapters/azure-openai-backend-adapter.ts';
export { CohereBackendAdapter } from './adapters/cohere-backend-adapter.ts';
export {
  createBackend,
  OpenAICompatibleBackendAdapter,
  type OpenAICompatibleBackendOptions,
} from './adapters/create-backend.ts';
export { GeminiBackendAdapter } from './adapters/gemini-backend-adapter.ts';
export {
  type OpenAIApi,
  OpenAIBackendAdapter,
  type OpenAIBackendOptions,
} from './adapters/openai-backend-adapter.ts';
export {
  CerebrasBackendAdapter,
  DeepInfraBackendAdapter,
  DeepSeekBackendAdapter,
  FireworksBackendAdapter,
  GroqBackendAdapter,
  LMStudioBackendAdapter,
  MistralBackendAdapter,
  OllamaBackendAdapter,
  OpenRouterBackendAdapter,
  PerplexityBackendAdapter,
  TogetherBackendAdapter,
  VLLMBackendAdapter,
  XAIBackendAdapter,
} from './adapters/openai-compatible-adapters.ts';
export {
  type CatalogEntry,
  type ModelSpec,
  model as catalogModel,
  type PricingSource,
  type ProviderCatalog,
} from './catalog/catalog-entry.ts';
export { defaultCatalog, ModelCatalog } from './catalog/model-catalog.ts';
export { MODELS } from './catalog/models.ts';
export {
  HttpTransport,
  type HttpTransportOptions,
  sharedTransport,
  type TransportRequest,
  type TransportResponse,
} from './transport/http-transport.ts';
export { toTransportError } from './transport/transport-error.ts';
