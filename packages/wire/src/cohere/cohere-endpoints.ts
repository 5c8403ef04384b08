import type { InboundRoutes, WireEndpoints } from '../codec.ts';
import { cohereEmbedPath, parseCohereEmbedPath } from './cohere-embed.ts';
import { decodeCohereModelList } from './cohere-model-list.ts';

/**
 * Cohere versions each endpoint on its own (`/v2/chat`, `/v1/models`), so the base URL is the
 * bare host (`https://api.cohere.com`); a base path ending in `/v1` or `/v2` has it taken off.
 */
export const cohereEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath.replace(/\/v[12]$/, ''),
  chatPath: (path) => `${path}/v2/chat`,
  modelsPath: (path) => `${path}/v1/models?endpoint=chat&page_size=1000`,
  decodeModelList: decodeCohereModelList,
  parseChatPath: (path) => (path.endsWith('/v2/chat') ? {} : undefined),
  embedPath: (path) => cohereEmbedPath(`${path}/v2`),
  parseEmbedPath: parseCohereEmbedPath,
  // Cohere's SDKs send `x-fern-sdk-name`, ai.matey sends `x-client-name`: either names Cohere.
  matchModelsCall: (path, headers) =>
    path.endsWith('/v1/models') &&
    (headers['x-fern-sdk-name'] !== undefined || headers['x-client-name'] !== undefined)
      ? 'certain'
      : undefined,
};

/** The gateway serves Cohere SDK clients at `/v2/chat`; they list models at `/v1/models`. */
export const cohereInbound: InboundRoutes = {
  endpoint: 'cohere',
  chat: ['/v2/chat'],
  models: { path: '/v1/models', header: 'x-fern-sdk-name' },
};
