import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

// Each preset is its provider's profile row (base URL, env vars, default model) on the shared
// base class; a class per provider keeps the seed's `new GroqBackendAdapter(...)` spelling.

/** Groq (`GROQ_API_KEY`, `GROQ_BASE_URL`). */
export class GroqBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.groq, options);
  }
}

/** DeepSeek (`DEEPSEEK_API_KEY`, `DEEPSEEK_BASE_URL`). */
export class DeepSeekBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.deepseek, options);
  }
}

/** Mistral (`MISTRAL_API_KEY`, `MISTRAL_BASE_URL`). */
export class MistralBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.mistral, options);
  }
}

/** Ollama's OpenAI-compatible API at `/v1` (default `http://127.0.0.1:11434/v1`, `OLLAMA_BASE_URL`); no key needed. */
export class OllamaBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.ollama, options);
  }
}

/** xAI Grok (`XAI_API_KEY`, `XAI_BASE_URL`). */
export class XAIBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.xai, options);
  }
}

/** Together AI (`TOGETHER_API_KEY`, `TOGETHER_BASE_URL`). */
export class TogetherBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.together, options);
  }
}

/** Fireworks AI (`FIREWORKS_API_KEY`, `FIREWORKS_BASE_URL`). */
export class FireworksBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.fireworks, options);
  }
}

/** OpenRouter (`OPENROUTER_API_KEY`, `OPENROUTER_BASE_URL`); model ids are `vendor/model`. */
export class OpenRouterBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.openrouter, options);
  }
}

/** Cerebras (`CEREBRAS_API_KEY`, `CEREBRAS_BASE_URL`). */
export class CerebrasBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.cerebras, options);
  }
}

/** Perplexity Sonar (`PERPLEXITY_API_KEY`, `PERPLEXITY_BASE_URL`). */
export class PerplexityBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.perplexity, options);
  }
}

/** DeepInfra (`DEEPINFRA_API_KEY`, `DEEPINFRA_BASE_URL`). */
export class DeepInfraBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.deepinfra, options);
  }
}

/** LM Studio's local server (default `http://127.0.0.1:1234/v1`, `LMSTUDIO_BASE_URL`); no key needed. */
export class LMStudioBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.lmstudio, options);
  }
}

/** A vLLM server (default `http://127.0.0.1:8000/v1`, `VLLM_BASE_URL`, optional `VLLM_API_KEY`). */
export class VLLMBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.vllm, options);
  }
}
