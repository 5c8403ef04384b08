import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

/**
 * Anthropic Messages (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`): `x-api-key` and
 * `anthropic-version: 2023-06-01` on every call.
 *
 * @example
 * const claude = new AnthropicBackendAdapter({ defaultModel: 'claude-sonnet-4-5' });
 */
export class AnthropicBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.anthropic, options);
  }
}
