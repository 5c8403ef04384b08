import type { ProviderProfile } from 'ai.matey.backend';
import { gemini, type WireCodec, type WireEndpoints } from 'ai.matey.wire';
import { vertexEmbeddings } from './vertex-embed.ts';

const PREDICT = /\/publishers\/google\/models\/([^/:]+):predict$/;

const endpoints: WireEndpoints = {
  ...gemini.endpoints,
  // The base path is the publisher's (`/v1/projects/{p}/locations/{l}/publishers/google`).
  versionedPath: (basePath) => basePath,
  // Chat on Vertex goes through the Gemini codec; this one only embeds.
  parseChatPath: () => undefined,
  matchModelsCall: () => undefined,
  embedPath: (path, model) => `${path}/models/${encodeURIComponent(model)}:predict`,
  parseEmbedPath(path) {
    const match = PREDICT.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]) };
    } catch {
      return undefined;
    }
  },
};

// Not served inbound, and no token counting: `:predict` is the only call of this protocol.
const { inbound: _inbound, tokenCount: _tokenCount, ...geminiClient } = gemini;

/**
 * Vertex AI's text embedding models (`…/publishers/google/models/{model}:predict`), with Google's
 * errors. Registered by `VertexBackendAdapter`; register it yourself to serve it from a mock
 * upstream.
 *
 * @example
 * registerWireProtocol(vertexEmbed);
 * await using upstream = await startMockUpstream({ embedReply: { fixture: 'google-vertex-embedding' } });
 */
export const vertexEmbed: WireCodec = {
  ...geminiClient,
  protocol: 'vertex-embed',
  endpoints,
  embeddings: vertexEmbeddings,
};

/** Vertex's embedding models as a provider profile: Google auth (no key), `text-embedding-005` by default. */
export const vertexEmbedProfile: ProviderProfile = {
  name: 'vertex',
  protocol: vertexEmbed.protocol,
  baseURL: '',
  apiKeyEnv: [],
  baseURLEnv: [],
  auth: 'bearer',
  apiKeyOptional: true,
  defaultModel: 'text-embedding-005',
  listsModels: false,
  capabilities: {
    streaming: false,
    tools: false,
    vision: false,
    reasoning: false,
    jsonSchema: false,
    chat: false,
  },
  embed: { defaultModel: 'text-embedding-005' },
};
