import type { IncomingHttpHeaders } from 'node:http';
import {
  type EmbedPathInfo,
  type TokenCountCodec,
  type WireCodec,
  type WireEmbeddings,
  type WireModerations,
  wireCodec,
  wireProtocols,
} from 'ai.matey.wire';

/** What one inbound request asks the mock upstream for. */
export type MockRoute =
  | {
      kind: 'chat';
      codec: WireCodec;
      /** Set where the path says it (Gemini); otherwise the body's `stream` decides. */
      stream?: boolean;
      /** The model named by the path (Gemini model, Azure deployment). */
      model?: string;
    }
  | { kind: 'models'; codec: WireCodec }
  | { kind: 'count'; codec: WireCodec & { tokenCount: TokenCountCodec }; model?: string }
  | { kind: 'embed'; codec: WireCodec; embeddings: WireEmbeddings; path: EmbedPathInfo }
  | { kind: 'moderate'; codec: WireCodec; moderations: WireModerations }
  | { kind: 'not-found' };

/** Maps a method and path (query taken off) to a protocol's codec and an operation. */
export type RouteRequest = (method: string, path: string, headers: IncomingHttpHeaders) => MockRoute;

/**
 * The mock upstream's router over every registered protocol, built once per server: each codec
 * reads its own paths (`WireEndpoints.parseChatPath`, `matchModelsCall`). Paths match by their
 * end, so any base path works: `/v1/chat/completions`, Groq's `/openai/v1/chat/completions`,
 * Azure's `/openai/deployments/{d}/chat/completions`, Gemini's `/v1beta/models/{m}:generateContent`.
 */
export function createRequestRouter(): RouteRequest {
  const codecs = wireProtocols().map((protocol) => wireCodec(protocol));
  return (method, path, headers) => {
    if (method === 'POST') {
      for (const codec of codecs) {
        const { tokenCount } = codec;
        const count = tokenCount?.parsePath(path);
        if (tokenCount && count) return { kind: 'count', codec: { ...codec, tokenCount }, ...count };
      }
      for (const codec of codecs) {
        const call = codec.endpoints.parseChatPath(path);
        if (call) return { kind: 'chat', codec, ...call };
        const embed = codec.embeddings && codec.endpoints.parseEmbedPath?.(path);
        if (embed && codec.embeddings)
          return { kind: 'embed', codec, embeddings: codec.embeddings, path: embed };
        const { moderations } = codec;
        if (moderations && path.endsWith('/moderations')) return { kind: 'moderate', codec, moderations };
      }
      return { kind: 'not-found' };
    }
    if (method === 'GET') {
      // A header or path segment that names a protocol beats a path that only fits.
      let possible: WireCodec | undefined;
      for (const codec of codecs) {
        const match = codec.endpoints.matchModelsCall(path, headers);
        if (match === 'certain') return { kind: 'models', codec };
        if (match === 'possible') possible ??= codec;
      }
      if (possible) return { kind: 'models', codec: possible };
    }
    return { kind: 'not-found' };
  };
}
