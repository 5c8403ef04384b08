import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

/**
 * Google Gemini Developer API (`GEMINI_API_KEY` or `GOOGLE_API_KEY`, `GEMINI_BASE_URL`): the key
 * goes in `x-goog-api-key`, never in the URL, so it cannot leak through a logged path.
 *
 * @example
 * const gemini = new GeminiBackendAdapter({ defaultModel: 'gemini-2.5-flash' });
 */
export class GeminiBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.gemini, options);
  }
}
