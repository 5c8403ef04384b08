import { checkOptions, type OptionShape } from 'ai.matey.core';
import { HttpBackend, type HttpBackendOptions, httpBackendOptions } from '../adapter/http-backend.ts';
import { PROVIDER_PROFILES } from '../adapter/provider-profiles.ts';

/** The two APIs OpenAI (and Azure OpenAI) serve chat on. */
export type OpenAIApi = 'openai-chat' | 'openai-responses';

/** OpenAI options: which of its APIs to call. */
export interface OpenAIBackendOptions extends HttpBackendOptions {
  /**
   * `openai-chat` (default): `POST /v1/chat/completions`. `openai-responses`: `POST
   * /v1/responses`, for the models served only there (`gpt-5-codex`, `o3-pro`, …) and for hosted
   * tools and encrypted reasoning passed through from Responses clients.
   */
  protocol?: OpenAIApi;
}

const openaiOptions: OptionShape<OpenAIBackendOptions> = { ...httpBackendOptions, protocol: true };

/**
 * OpenAI (`OPENAI_API_KEY`, `OPENAI_BASE_URL`), over Chat Completions or the Responses API.
 *
 * @example
 * const openai = new OpenAIBackendAdapter({ apiKey: process.env.OPENAI_API_KEY });
 * const codex = new OpenAIBackendAdapter({ protocol: 'openai-responses', defaultModel: 'gpt-5-codex' });
 */
export class OpenAIBackendAdapter extends HttpBackend {
  constructor(options: OpenAIBackendOptions = {}) {
    checkOptions('new OpenAIBackendAdapter', options, openaiOptions);
    const { protocol, ...common } = options;
    super({ ...PROVIDER_PROFILES.openai, protocol: protocol ?? 'openai-chat' }, common);
  }
}
