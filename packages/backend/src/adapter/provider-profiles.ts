import type { BackendCapabilities } from 'ai.matey.core';
import type { ProviderProfile } from './provider-profile.ts';

const full: BackendCapabilities = {
  streaming: true,
  tools: true,
  vision: true,
  reasoning: true,
  jsonSchema: true,
};
const textTools: BackendCapabilities = { ...full, vision: false };
const local: BackendCapabilities = { ...full, reasoning: false };
const embeddingsOnly: BackendCapabilities = {
  streaming: false,
  tools: false,
  vision: false,
  reasoning: false,
  jsonSchema: false,
  chat: false,
};
const embeds = (defaultModel: string, maxBatch?: number): Partial<ProviderProfile> => ({
  embed: maxBatch === undefined ? { defaultModel } : { defaultModel, maxBatch },
});

function compatible(
  name: string,
  baseURL: string,
  envPrefix: string,
  defaultModel: string,
  capabilities: BackendCapabilities = full,
  extra: Partial<ProviderProfile> = {},
): ProviderProfile {
  return {
    name,
    protocol: 'openai-chat',
    baseURL,
    apiKeyEnv: [`${envPrefix}_API_KEY`],
    baseURLEnv: [`${envPrefix}_BASE_URL`],
    auth: 'bearer',
    defaultModel,
    listsModels: true,
    capabilities,
    ...extra,
  };
}

/**
 * The provider table. Adding an OpenAI-compatible provider is one line here plus a three-line
 * class in `adapters/`. Default models are each provider's cheap general-purpose model.
 */
export const PROVIDER_PROFILES = {
  openai: compatible(
    'openai',
    'https://api.openai.com/v1',
    'OPENAI',
    'gpt-4o-mini',
    full,
    embeds('text-embedding-3-small'),
  ),
  anthropic: {
    name: 'anthropic',
    protocol: 'anthropic-messages',
    baseURL: 'https://api.anthropic.com',
    apiKeyEnv: ['ANTHROPIC_API_KEY'],
    baseURLEnv: ['ANTHROPIC_BASE_URL'],
    auth: 'x-api-key',
    headers: { 'anthropic-version': '2023-06-01' },
    defaultModel: 'claude-haiku-4-5',
    listsModels: true,
    capabilities: full,
  },
  gemini: {
    name: 'gemini',
    protocol: 'gemini',
    baseURL: 'https://generativelanguage.googleapis.com',
    apiKeyEnv: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    baseURLEnv: ['GEMINI_BASE_URL', 'GOOGLE_GEMINI_BASE_URL'],
    auth: 'x-goog-api-key',
    defaultModel: 'gemini-2.5-flash',
    listsModels: true,
    capabilities: full,
    embed: { defaultModel: 'gemini-embedding-001', maxBatch: 100 },
  },
  'azure-openai': compatible('azure-openai', '', 'AZURE_OPENAI', 'gpt-4o-mini', full, {
    auth: 'api-key',
    baseURLEnv: ['AZURE_OPENAI_BASE_URL', 'AZURE_OPENAI_ENDPOINT'],
    // Azure lists deployments per resource through its management API, not the data plane.
    listsModels: false,
  }),
  groq: compatible('groq', 'https://api.groq.com/openai/v1', 'GROQ', 'llama-3.3-70b-versatile'),
  deepseek: compatible('deepseek', 'https://api.deepseek.com/v1', 'DEEPSEEK', 'deepseek-chat', textTools),
  mistral: compatible(
    'mistral',
    'https://api.mistral.ai/v1',
    'MISTRAL',
    'mistral-small-latest',
    full,
    // Mistral names the dimensions `output_dimension` (codestral-embed), as Voyage does.
    { embed: { defaultModel: 'mistral-embed', fields: { dimensions: 'output_dimension' } } },
  ),
  xai: compatible('xai', 'https://api.x.ai/v1', 'XAI', 'grok-4-1-fast-non-reasoning'),
  cohere: {
    name: 'cohere',
    protocol: 'cohere',
    baseURL: 'https://api.cohere.com',
    apiKeyEnv: ['COHERE_API_KEY', 'CO_API_KEY'],
    baseURLEnv: ['COHERE_BASE_URL', 'CO_API_URL'],
    auth: 'bearer',
    // Names the caller to Cohere (and tells its list-models call apart from OpenAI's).
    headers: { 'x-client-name': 'ai.matey' },
    defaultModel: 'command-a-03-2025',
    listsModels: true,
    capabilities: full,
    embed: { defaultModel: 'embed-v4.0', maxBatch: 96 },
  },
  together: compatible(
    'together',
    'https://api.together.xyz/v1',
    'TOGETHER',
    'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    full,
    embeds('BAAI/bge-large-en-v1.5'),
  ),
  fireworks: compatible(
    'fireworks',
    'https://api.fireworks.ai/inference/v1',
    'FIREWORKS',
    'accounts/fireworks/models/llama-v3p3-70b-instruct',
  ),
  openrouter: compatible('openrouter', 'https://openrouter.ai/api/v1', 'OPENROUTER', 'openrouter/auto'),
  cerebras: compatible('cerebras', 'https://api.cerebras.ai/v1', 'CEREBRAS', 'llama-3.3-70b', textTools),
  perplexity: compatible('perplexity', 'https://api.perplexity.ai', 'PERPLEXITY', 'sonar', full, {
    capabilities: { ...full, tools: false },
    listsModels: false,
  }),
  deepinfra: compatible(
    'deepinfra',
    'https://api.deepinfra.com/v1/openai',
    'DEEPINFRA',
    'meta-llama/Llama-3.3-70B-Instruct-Turbo',
  ),
  // Embeddings only, on OpenAI's shape with its own names for the dimensions and the input type.
  voyage: compatible('voyage', 'https://api.voyageai.com/v1', 'VOYAGE', 'voyage-3.5', embeddingsOnly, {
    listsModels: false,
    embed: {
      defaultModel: 'voyage-3.5',
      maxBatch: 1000,
      fields: {
        dimensions: 'output_dimension',
        inputType: { field: 'input_type', values: { query: 'query', document: 'document' } },
      },
    },
  }),
  ollama: compatible('ollama', 'http://127.0.0.1:11434/v1', 'OLLAMA', 'llama3.2', local, {
    apiKeyOptional: true,
    baseURLEnv: ['OLLAMA_BASE_URL'],
    ...embeds('nomic-embed-text'),
  }),
  lmstudio: compatible('lmstudio', 'http://127.0.0.1:1234/v1', 'LMSTUDIO', 'local-model', local, {
    apiKeyOptional: true,
    baseURLEnv: ['LMSTUDIO_BASE_URL', 'LM_STUDIO_BASE_URL'],
  }),
  vllm: compatible('vllm', 'http://127.0.0.1:8000/v1', 'VLLM', 'default', local, { apiKeyOptional: true }),
} as const satisfies Record<string, ProviderProfile>;

export type ProviderName = keyof typeof PROVIDER_PROFILES;
