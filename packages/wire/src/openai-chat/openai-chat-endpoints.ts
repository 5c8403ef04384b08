import type { InboundRoutes, WireEndpoints } from '../codec.ts';
import { decodeDataModelList } from '../shared/data-model-list.ts';

const AZURE_DEPLOYMENT = /\/deployments\/([^/]+)\/chat\/completions$/;

/** OpenAI-compatible base URLs carry their version (`https://api.groq.com/openai/v1`). */
export const openaiChatEndpoints: WireEndpoints = {
  versionedPath: (basePath) => basePath,
  chatPath: (path) => `${path}/chat/completions`,
  modelsPath: (path) => `${path}/models`,
  decodeModelList: decodeDataModelList,
  // Any base path: `/v1/…`, Groq's `/openai/v1/…`, Azure's `/openai/deployments/{deployment}/…`.
  parseChatPath(path) {
    if (!path.endsWith('/chat/completions')) return undefined;
    const deployment = AZURE_DEPLOYMENT.exec(path)?.[1];
    return deployment ? { model: safeDecode(deployment) } : {};
  },
  // Every OpenAI-compatible client lists at `…/models` with no telling header: the fallback.
  matchModelsCall: (path) => (path.endsWith('/models') ? 'possible' : undefined),
  embedPath: (path) => `${path}/embeddings`,
  parseEmbedPath: (path) => (path.endsWith('/embeddings') ? {} : undefined),
};

/** The gateway serves OpenAI SDK clients with and without the `/v1` in their base URL. */
export const openaiChatInbound: InboundRoutes = {
  endpoint: 'openai',
  chat: ['/v1/chat/completions', '/chat/completions'],
  embeddings: ['/v1/embeddings', '/embeddings'],
  models: { path: '/v1/models' },
};

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
