import type { WireEndpoints } from '../codec.ts';
import { decodeGeminiModelList } from './gemini-model-list.ts';

// Any base path and API version: the model and the call are in the last segment.
const GEMINI_CHAT = /\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
const GEMINI_EMBED = /\/models\/([^/:]+):(embedContent|batchEmbedContents)$/;

/** Gemini puts the model in the path; base URLs are the bare host, `/v1beta` when no version is given. */
export const geminiEndpoints: WireEndpoints = {
  versionedPath: (basePath) =>
    basePath.replace(/(?:\/v1(?:beta|alpha)?)?$/, (version) => version || '/v1beta'),
  chatPath(path, model, stream) {
    const id = encodeURIComponent(model.startsWith('models/') ? model.slice('models/'.length) : model);
    return stream
      ? `${path}/models/${id}:streamGenerateContent?alt=sse`
      : `${path}/models/${id}:generateContent`;
  },
  modelsPath: (path) => `${path}/models?pageSize=1000`,
  decodeModelList: decodeGeminiModelList,
  parseChatPath(path) {
    const match = GEMINI_CHAT.exec(path);
    if (!match?.[1]) return undefined;
    try {
      return { model: decodeURIComponent(match[1]), stream: match[2] === 'streamGenerateContent' };
    } catch {
      return undefined;
    }
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
