import type { BuiltInWireProtocol } from 'ai.matey.wire';
import type { HttpBackend, HttpBackendOptions } from '../adapter/http-backend.ts';
import { AnthropicBackendAdapter } from '../adapters/anthropic-backend-adapter.ts';
import { AzureOpenAIBackendAdapter } from '../adapters/azure-openai-backend-adapter.ts';
import { CohereBackendAdapter } from '../adapters/cohere-backend-adapter.ts';
import { GeminiBackendAdapter } from '../adapters/gemini-backend-adapter.ts';
import { GroqBackendAdapter } from '../adapters/openai-compatible-adapters.ts';

/** A key shaped like no real provider's, so only our own scrubbing can keep it out of messages. */
export const TEST_KEY = 'test-key-3f9c2a71d05e';

/** One adapter family as the shared network tests drive it against the mock upstream. */
export interface AdapterFamily {
  label: string;
  protocol: BuiltInWireProtocol;
  provider: string;
  model: string;
  /** The header that must carry the key (the mock log shows it redacted). */
  authHeader: string;
  make(baseURL: string, options?: HttpBackendOptions): HttpBackend;
  /** The path the chat call must hit. */
  chatPath(stream: boolean): string;
}

export const ADAPTER_FAMILIES: AdapterFamily[] = [
  {
    label: 'OpenAI-compatible (Groq)',
    protocol: 'openai-chat',
    provider: 'groq',
    model: 'llama-3.3-70b-versatile',
    authHeader: 'authorization',
    make: (url, options) =>
      new GroqBackendAdapter({ apiKey: TEST_KEY, ...options, baseURL: `${url}/openai/v1` }),
    chatPath: () => '/openai/v1/chat/completions',
  },
  {
    label: 'Anthropic',
    protocol: 'anthropic-messages',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    authHeader: 'x-api-key',
    make: (url, options) => new AnthropicBackendAdapter({ apiKey: TEST_KEY, ...options, baseURL: url }),
    chatPath: () => '/v1/messages',
  },
  {
    label: 'Gemini',
    protocol: 'gemini',
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    authHeader: 'x-goog-api-key',
    make: (url, options) => new GeminiBackendAdapter({ apiKey: TEST_KEY, ...options, baseURL: url }),
    chatPath: (stream) =>
      stream
        ? '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
        : '/v1beta/models/gemini-2.5-flash:generateContent',
  },
  {
    label: 'Azure OpenAI',
    protocol: 'openai-chat',
    provider: 'azure-openai',
    model: 'gpt-4o-mini',
    authHeader: 'api-key',
    make: (url, options) =>
      new AzureOpenAIBackendAdapter({ apiKey: TEST_KEY, apiVersion: '2024-10-21', ...options, baseURL: url }),
    chatPath: () => '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21',
  },
  {
    label: 'Cohere',
    protocol: 'cohere',
    provider: 'cohere',
    model: 'command-a-03-2025',
    authHeader: 'authorization',
    make: (url, options) => new CohereBackendAdapter({ apiKey: TEST_KEY, ...options, baseURL: url }),
    chatPath: () => '/v2/chat',
  },
];
