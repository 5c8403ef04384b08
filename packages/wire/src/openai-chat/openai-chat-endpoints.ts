import type { WireEndpoints } from '../codec.ts';
import { decodeDataModelList } from '../shared/data-model-list.ts';

/** OpenAI-compatible base URLs carry their version (`https://api.groq.com/openai/v1`). */
export const openaiChatEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath,
  chatPath: (path) => `${path}/chat/completions`,
  modelsPath: (path) => `${path}/models`,
  decodeModelList: decodeDataModelList,
};
