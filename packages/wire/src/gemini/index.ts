import type { WireCodec } from '../codec.ts';
import { decodeGeminiCall } from './gemini-call.ts';
import { decodeGeminiEmbedCall, encodeGeminiEmbedRequest } from './gemini-embed-request.ts';
import { decodeGeminiEmbedResponse, encodeGeminiEmbedResponse } from './gemini-embed-response.ts';
import { geminiEndpoints, geminiInbound } from './gemini-endpoints.ts';
import { decodeGeminiError, encodeGeminiError } from './gemini-error.ts';
import { geminiExtraFields } from './gemini-extra-fields.ts';
import { geminiForOtherProtocol } from './gemini-for-other-protocol.ts';
import { encodeGeminiModel, encodeGeminiModelList } from './gemini-model-list.ts';
import { encodeGeminiRequest } from './gemini-request.ts';
import { decodeGeminiRequest } from './gemini-request-decoder.ts';
import { decodeGeminiResponse, encodeGeminiResponse } from './gemini-response.ts';
import { GeminiStreamDecoder } from './gemini-stream-decoder.ts';
import { GeminiStreamEncoder } from './gemini-stream-encoder.ts';
import { geminiTokenCount } from './gemini-token-count.ts';

/**
 * The Gemini `generateContent` / `streamGenerateContent?alt=sse` codec, both directions. The
 * model is not in the body: send to `geminiPath(model, stream)`, and read an inbound path with
 * `parseGeminiPath`. Embeddings: `:embedContent` for one input, `:batchEmbedContents` for up to 100.
 *
 * @example
 * const { body } = gemini.encodeRequest(request, { model: 'gemini-2.5-flash', stream: false });
 * const res = await fetch(`${base}${geminiPath('gemini-2.5-flash', false)}`, { method: 'POST', body: JSON.stringify(body) });
 * const response = gemini.decodeResponse(await res.json(), { provider: 'google', request });
 */
export const gemini: WireCodec = {
  protocol: 'gemini',
  endpoints: geminiEndpoints,
  encodeRequest: encodeGeminiRequest,
  decodeResponse: decodeGeminiResponse,
  createStreamDecoder: (context) => new GeminiStreamDecoder(context),
  decodeError: decodeGeminiError,
  decodeRequest: decodeGeminiRequest,
  // Gemini says streaming in the path (`:streamGenerateContent`), never in the body.
  decodeCall: decodeGeminiCall,
  encodeResponse: encodeGeminiResponse,
  encodeModelList: encodeGeminiModelList,
  createStreamEncoder: (options) => new GeminiStreamEncoder(options),
  encodeError: encodeGeminiError,
  extraFields: geminiExtraFields,
  inbound: geminiInbound,
  tokenCount: geminiTokenCount,
  encodeModel: encodeGeminiModel,
  forOtherProtocol: geminiForOtherProtocol,
  embeddings: {
    maxBatch: 100,
    encodeRequest: encodeGeminiEmbedRequest,
    decodeResponse: decodeGeminiEmbedResponse,
    decodeCall: decodeGeminiEmbedCall,
    encodeResponse: encodeGeminiEmbedResponse,
  },
};

export { geminiPath, parseGeminiPath } from './gemini-path.ts';
export { SKIP_THOUGHT_SIGNATURE } from './gemini-request.ts';
