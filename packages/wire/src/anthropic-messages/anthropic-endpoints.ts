import type { WireEndpoints } from '../codec.ts';
import { decodeDataModelList } from '../shared/data-model-list.ts';

/** Anthropic base URLs are the bare host in its SDK; users often add `/v1`, so both work. */
export const anthropicEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath.replace(/(?:\/v1)?$/, '/v1'),
  chatPath: (path) => `${path}/messages`,
  modelsPath: (path) => `${path}/models?limit=1000`,
  decodeModelList: decodeDataModelList,
};
