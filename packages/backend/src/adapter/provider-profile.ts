import type { BackendCapabilities } from 'ai.matey.core';
import type { EmbedFieldNames, WireProtocol } from 'ai.matey.wire';

/** How a provider wants its API key sent. */
export type AuthStyle =
  /** `Authorization: Bearer KEY` (OpenAI and the compatible APIs). */
  | 'bearer'
  /** `x-api-key: KEY` (Anthropic). */
  | 'x-api-key'
  /** `x-goog-api-key: KEY` (Gemini). */
  | 'x-goog-api-key'
  /** `api-key: KEY` (Azure OpenAI). */
  | 'api-key';

/**
 * Everything that makes one provider different from another that speaks the same protocol: a
 * row of data, not a class. Adapters are the base `HttpBackend` plus one of these.
 */
export interface ProviderProfile {
  /** Provider name (`groq`): the adapter's default name, the `provider` on replies and errors. */
  name: string;
  protocol: WireProtocol;
  /**
   * Base URL. OpenAI-compatible ones include the version path (`https://api.groq.com/openai/v1`);
   * Anthropic and Gemini ones are the bare host, as their SDKs take them.
   */
  baseURL: string;
  /** Environment variables holding the API key, first set wins. */
  apiKeyEnv: readonly string[];
  /** Environment variables overriding the base URL, first set wins. */
  baseURLEnv: readonly string[];
  auth: AuthStyle;
  /** Local servers (Ollama, LM Studio, vLLM) run without a key. */
  apiKeyOptional?: boolean;
  defaultModel: string;
  /** Headers every call carries (`anthropic-version`). */
  headers?: Readonly<Record<string, string>>;
  /** Has a list-models endpoint (`GET /models`); without one, `listModels()` answers from the catalog. */
  listsModels: boolean;
  capabilities: BackendCapabilities;
  /**
   * Serves embeddings (`HttpBackend.embed`): the model when a request names none, the most
   * inputs one call may carry (default: the protocol's), and field names where they differ.
   */
  embed?: ProviderEmbedProfile;
}

/** What a provider's embeddings differ in from its protocol's defaults. */
export interface ProviderEmbedProfile {
  defaultModel: string;
  maxBatch?: number;
  fields?: EmbedFieldNames;
}

/** Options every adapter takes. */
export interface BackendAdapterOptions {
  /** The API key; default: the provider's usual environment variable (read when first needed). */
  apiKey?: string;
  /** The base URL; default: the provider's `*_BASE_URL` variable, else its public endpoint. */
  baseURL?: string;
  /** Extra headers on every call (they win over the defaults, auth included). */
  headers?: Record<string, string>;
  /** The model for requests that name none. */
  defaultModel?: string;
  /** First-byte and idle limit per call, in ms (default: the transport's). */
  timeoutMs?: number;
  /** This instance's name in `metadata.name` (default: the provider name). */
  name?: string;
}

/** The first of `names` set to a non-empty value in the environment. */
export function fromEnv(names: readonly string[]): string | undefined {
  if (typeof process === 'undefined') return undefined;
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/** The fixed headers of a provider's calls: JSON, the profile's own, and the key where it goes. */
export function profileHeaders(profile: ProviderProfile, key: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...profile.headers };
  if (key === undefined) return headers;
  if (profile.auth === 'bearer') headers.authorization = `Bearer ${key}`;
  else headers[profile.auth] = key;
  return headers;
}
