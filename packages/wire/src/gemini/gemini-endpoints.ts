import type { ChatPathInfo, InboundRoutes, WireEndpoints } from '../codec.ts';
import { decodeGeminiModelList } from './gemini-model-list.ts';

// Any base path and API version: the model and the call are in the last segment. A gateway's
// model may hold a slash (`anthropic/claude-haiku-4-5`), so the model runs to the last colon.
const GEMINI_CALL = /\/models\/(.+):(generateContent|streamGenerateContent|countTokens)$/;

/** The model and method a Gemini model-call path names, or `undefined`. */
export function parseGeminiCall(path: string): { model: string; method: string } | undefined {
  const match = GEMINI_CALL.exec(path);
  if (!match?.[1] || !match[2]) return undefined;
  try {
    return { model: decodeURIComponent(match[1]), method: match[2] };
  } catch {
    return undefined;
  }
}

/** The path segment of a model id (`models/` taken off, URL-escaped). */
export function geminiModelSegment(model: string): string {
  return encodeURIComponent(model.startsWith('models/') ? model.slice('models/'.length) : model);
}
const GEMINI_EMBED = /\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;

/** Gemini puts the model in the path; base URLs are the bare host, `/v1beta` when no version is given. */
export const geminiEndpoints: WireEndpoints = {
  versionedPath: (basePath) =>
    basePath.replace(/(?:\/v1(?:beta|alpha)?)?$/, (version) => version || '/v1beta'),
  chatPath(path, model, stream) {
    const id = geminiModelSegment(model);
    return stream
      ? `${path}/models/${id}:streamGenerateContent?alt=sse`
      : `${path}/models/${id}:generateContent`;
  },
  modelsPath: (path) => `${path}/models?pageSize=1000`,
  decodeModelList: decodeGeminiModelList,
  parseChatPath(path): ChatPathInfo | undefined {
    const call = parseGeminiCall(path);
    if (!call || call.method === 'countTokens') return undefined;
    return { model: call.model, stream: call.method === 'streamGenerateContent' };
  },
  embedPath: (path, model, inputs) =>
    `${path}/models/${encodeURIComponent(model.replace(/^models\//, ''))}:${inputs === 1 ? 'embedContent' : 'batchEmbedContents'}`,
  parseEmbedPath(path) {
    const match = GEMINI_EMBED.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]), single: match[2] === 'embedContent' };
    } catch {
      return undefined;
    }
  },
  matchModelsCall: (path, headers) =>
    path.endsWith('/models') && (path.includes('/v1beta/') || headers['x-goog-api-key'] !== undefined)
      ? 'certain'
      : undefined,
};

// Hono route patterns: the model (`{.+}`: it may hold a slash) then the method after a colon.
// `@google/genai` calls `/v1` unless told otherwise, the AI SDK and REST examples `/v1beta`.
const VERSIONS = ['/v1beta', '/v1'] as const;
const modelCall = (method: string) => VERSIONS.map((version) => `${version}/models/:call{.+:${method}}`);

/**
 * What `@google/genai` and the AI SDK's Google provider call: the model and the streaming in
 * the path, the key in `x-goog-api-key` or `?key=`. `/v1/models` is OpenAI's list too: Google's
 * clients are told apart there by their `x-goog-api-key`.
 */
export const geminiInbound: InboundRoutes = {
  endpoint: 'gemini',
  chat: [...modelCall('generateContent'), ...modelCall('streamGenerateContent')],
  pathCarriesCall: true,
  models: [
    { path: '/v1beta/models', item: '/v1beta/models/:model{.+}' },
    { path: '/v1/models', header: 'x-goog-api-key', item: '/v1/models/:model{.+}' },
  ],
  countTokens: modelCall('countTokens'),
  apiKey: { header: 'x-goog-api-key', query: 'key' },
};
