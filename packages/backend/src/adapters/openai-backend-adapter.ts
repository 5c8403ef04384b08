import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

/**
 * OpenAI Chat Completions (`OPENAI_API_KEY`, `OPENAI_BASE_URL`).
 *
 * @example
 * const openai = new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY });
 */
export class OpenAIBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.openai, options);
  }
}
