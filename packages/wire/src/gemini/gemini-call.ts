import type { ChatPathInfo, DecodedCall } from '../codec.ts';
import { decodeGeminiRequest } from './gemini-request-decoder.ts';

/**
 * An inbound `generateContent` / `streamGenerateContent` call: the body, with the model and the
 * streaming from the path. A stream is SSE when the query says `alt=sse` (as Google's SDKs
 * always do) or when no query was passed; a server that passes a query without it gets the
 * JSON-array stream Google sends such callers.
 */
export function decodeGeminiCall(body: unknown, path?: ChatPathInfo): DecodedCall {
  const decoded = decodeGeminiRequest(body);
  const request = path?.model === undefined ? decoded : { ...decoded, model: path.model };
  const jsonArray = path?.query !== undefined && path.query.get('alt') !== 'sse';
  return { request, stream: path?.stream ?? false, options: jsonArray ? { framing: 'json-array' } : {} };
}
