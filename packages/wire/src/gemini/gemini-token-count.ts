import { InvalidRequestError, type TokenCount } from 'ai.matey.core';
import type { TokenCountCodec } from '../codec.ts';
import { geminiModelSegment, parseGeminiCall } from './gemini-endpoints.ts';
import { encodeGeminiRequest } from './gemini-request.ts';
import { decodeGeminiRequest } from './gemini-request-decoder.ts';

/**
 * Gemini's `POST /v1beta/models/{model}:countTokens`. A caller sends `{contents}` or a whole
 * `{generateContentRequest}` (with its system instruction and tools); a backend always sends
 * the latter, so the count covers all that a `generateContent` call would send. The reply is
 * `{totalTokens}`.
 *
 * @example
 * const path = geminiTokenCount.path('/v1beta', 'gemini-2.5-flash'); // '/v1beta/models/gemini-2.5-flash:countTokens'
 */
export const geminiTokenCount: TokenCountCodec = {
  path: (versionedPath, model) => `${versionedPath}/models/${geminiModelSegment(model)}:countTokens`,
  encodeRequest(request, options) {
    // Output settings count for nothing; the prompt, system instruction and tools do.
    const { body, warnings } = encodeGeminiRequest(request, options);
    const { generationConfig: _output, ...prompt } = body;
    const model = options.model.startsWith('models/') ? options.model : `models/${options.model}`;
    return { body: { generateContentRequest: { model, ...prompt } }, warnings };
  },
  decodeResponse(body) {
    const tokens = (body as { totalTokens?: unknown } | null)?.totalTokens;
    // Gemini leaves `totalTokens` out of a count of nothing.
    if (tokens === undefined && typeof body === 'object' && body !== null && !Array.isArray(body)) return 0;
    if (typeof tokens !== 'number') throw new TypeError('A countTokens reply needs totalTokens');
    return tokens;
  },
  parsePath(path) {
    const call = parseGeminiCall(path);
    return call?.method === 'countTokens' ? { model: call.model } : undefined;
  },
  decodeRequest(body, path) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('The request body must be a JSON object');
    const { contents, generateContentRequest, generate_content_request, ...rest } = body as Record<
      string,
      unknown
    >;
    const whole = generateContentRequest ?? generate_content_request;
    if (Object.keys(rest).length > 0)
      throw invalid(`Unknown name "${Object.keys(rest)[0]}": Cannot find field.`, Object.keys(rest)[0]);
    if (whole !== undefined && contents !== undefined)
      throw invalid('Give contents or generateContentRequest, not both', 'contents');
    if (whole === undefined) {
      const request = decodeGeminiRequest({ contents });
      return path?.model === undefined ? request : { ...request, model: path.model };
    }
    if (typeof whole !== 'object' || whole === null || Array.isArray(whole))
      throw invalid('generateContentRequest must be an object', 'generateContentRequest');
    const { model, ...generate } = whole as Record<string, unknown>;
    const request = decodeGeminiRequest(generate);
    const named = path?.model ?? (typeof model === 'string' ? model.replace(/^models\//, '') : undefined);
    return named === undefined ? request : { ...request, model: named };
  },
  encodeResponse: (count: TokenCount) => ({ totalTokens: count.inputTokens }),
};

function invalid(message: string, param?: string): InvalidRequestError {
  return new InvalidRequestError({ message, ...(param ? { param } : {}), provider: 'google' });
}
