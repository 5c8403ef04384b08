import type { InboundRoutes, WireEndpoints } from '../codec.ts';
import { decodeDataModelList } from '../shared/data-model-list.ts';

/** Anthropic base URLs are the bare host in its SDK; users often add `/v1`, so both work. */
export const anthropicEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath.replace(/(?:\/v1)?$/, '/v1'),
  chatPath: (path) => `${path}/messages`,
  modelsPath: (path) => `${path}/models?limit=1000`,
  decodeModelList: decodeDataModelList,
  parseChatPath: (path) => (path.endsWith('/messages') ? {} : undefined),
  // Anthropic's SDK sends `anthropic-version` on every call; that tells its list-models apart.
  matchModelsCall: (path, headers) =>
    path.endsWith('/models') && headers['anthropic-version'] !== undefined ? 'certain' : undefined,
};

/** Anthropic SDK clients share `/v1/models` with OpenAI's, told apart by `anthropic-version`. */
export const anthropicInbound: InboundRoutes = {
  endpoint: 'anthropic',
  chat: ['/v1/messages'],
  models: { path: '/v1/models', header: 'anthropic-version' },
  countTokens: ['/v1/messages/count_tokens'],
  apiKey: { header: 'x-api-key' },
};
