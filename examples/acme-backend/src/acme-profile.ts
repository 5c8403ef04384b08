import type { ProviderProfile } from 'ai.matey.backend';

/**
 * Acme's API speaks OpenAI Chat Completions, so a profile (a row of data) is the whole adapter:
 * where it lives, how the key is sent, which variables configure it, what it can do.
 */
export const ACME_PROFILE: ProviderProfile = {
  name: 'acme',
  protocol: 'openai-chat',
  baseURL: 'https://api.acme.example/v1',
  apiKeyEnv: ['ACME_API_KEY'],
  baseURLEnv: ['ACME_BASE_URL'],
  auth: 'bearer',
  defaultModel: 'acme-large',
  headers: { 'acme-version': '2025-06-01' },
  listsModels: true,
  capabilities: { streaming: true, tools: true, vision: false, reasoning: false, jsonSchema: true },
};

/** The models Acme serves, for the gateway's model-based routing. */
export const ACME_MODELS: readonly string[] = ['acme-large', 'acme-small'];
