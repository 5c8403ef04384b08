import { HttpBackend, type HttpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

/**
 * Cohere chat v2 (`COHERE_API_KEY` or `CO_API_KEY`, `COHERE_BASE_URL`): `POST /v2/chat` with
 * tools, the tool plan, citations and reasoning; models from `GET /v1/models`.
 *
 * @example
 * const cohere = new CohereBackendAdapter({ defaultModel: 'command-a-03-2025' });
 */
export class CohereBackendAdapter extends HttpBackend {
  constructor(options: HttpBackendOptions = {}) {
    super(PROVIDER_PROFILES.cohere, options);
  }
}
