import {
  AnthropicBackendAdapter,
  DeepSeekBackendAdapter,
  GroqBackendAdapter,
  OpenAIBackendAdapter,
} from 'ai.matey.backend';
import { Bridge, Router } from 'ai.matey.core';

// What the guide's fragments use without defining: its four adapters, written as pattern 1 writes
// them (the environment points them at the mock providers, see `useMockProviders`), and for the
// combination snippets a Bridge over a Router of the four. Import this module only after the
// environment is set: the adapters read their base URLs when constructed.

export const openaiBackend = new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY });
export const anthropicBackend = new AnthropicBackendAdapter({ apiKey: process.env.ANTHROPIC_API_KEY });
export const groqBackend = new GroqBackendAdapter({ apiKey: process.env.GROQ_API_KEY });
export const deepseekBackend = new DeepSeekBackendAdapter({ apiKey: process.env.DEEPSEEK_API_KEY });

export const router = new Router({ defaultBackend: 'openai' })
  .register('openai', openaiBackend)
  .register('anthropic', anthropicBackend)
  .register('groq', groqBackend)
  .register('deepseek', deepseekBackend);

export const bridge = new Bridge({ backend: router });
