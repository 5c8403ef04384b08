import type { InboundRoutes, WireEndpoints } from '../codec.ts';
import { decodeDataModelList } from '../shared/data-model-list.ts';

/** OpenAI base URLs carry their version (`https://api.openai.com/v1`, Azure's `…/openai/v1`). */
export const responsesEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath,
  chatPath: (path) => `${path}/responses`,
  modelsPath: (path) => `${path}/models`,
  decodeModelList: decodeDataModelList,
  parseChatPath: (path) => (path.endsWith('/responses') ? {} : undefined),
  // Responses clients list models at the same `/models` as Chat Completions clients, with the
  // same body: the Chat codec answers that call (the fallback), so this one never claims it.
  matchModelsCall: () => undefined,
};

/**
 * `POST /v1/responses` (and without `/v1`, as OpenAI SDK base URLs vary). The list-models path is
 * the one OpenAI's SDK uses for both APIs: it names no header, so the Chat codec, registered
 * first, answers it with the identical `{ object: 'list', data }` body.
 */
export const responsesInbound: InboundRoutes = {
  endpoint: 'openai-responses',
  chat: ['/v1/responses', '/responses'],
  models: { path: '/v1/models' },
  storedResponses: ['/v1/responses/:id', '/responses/:id'],
  storedResponseInputs: ['/v1/responses/:id/input_items', '/responses/:id/input_items'],
  countTokens: ['/v1/responses/input_tokens', '/responses/input_tokens'],
};
