import { InvalidRequestError, type TokenCount } from 'ai.matey.core';
import type { TokenCountCodec } from '../codec.ts';
import { encodeAnthropicRequest } from './anthropic-request.ts';
import { decodeAnthropicRequest } from './anthropic-request-decoder.ts';

/** The fields `count_tokens` takes; it refuses the others (`max_tokens`, `stream`, sampling). */
const COUNT_FIELDS = [
  'model',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'mcp_servers',
  'context_management',
  'output_config',
] as const;

/**
 * Anthropic's `POST /v1/messages/count_tokens`: the Messages body without the output fields,
 * answered with `{input_tokens}`.
 *
 * @example
 * const { body } = anthropicTokenCount.encodeRequest(request, { model: 'claude-haiku-4-5', stream: false });
 * const tokens = anthropicTokenCount.decodeResponse(await res.json());
 */
export const anthropicTokenCount: TokenCountCodec = {
  path: (versionedPath) => `${versionedPath}/messages/count_tokens`,
  encodeRequest(request, options) {
    const { body, warnings } = encodeAnthropicRequest(request, options);
    const counted: Record<string, unknown> = {};
    for (const field of COUNT_FIELDS) if (body[field] !== undefined) counted[field] = body[field];
    return { body: counted, warnings };
  },
  decodeResponse(body) {
    const tokens = (body as { input_tokens?: unknown } | null)?.input_tokens;
    if (typeof tokens !== 'number') throw new TypeError('A count_tokens reply needs input_tokens');
    return tokens;
  },
  parsePath: (path) => (path.endsWith('/messages/count_tokens') ? {} : undefined),
  decodeRequest(body, path) {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new InvalidRequestError({ message: 'The request body must be a JSON object' });
    if ('max_tokens' in body)
      throw new InvalidRequestError({
        message: 'max_tokens: Extra inputs are not permitted',
        param: 'max_tokens',
        code: 'invalid_request_error',
      });
    // The Messages decoder reads everything a count takes; only `max_tokens` is not sent here.
    const { maxOutputTokens: _none, ...request } = decodeAnthropicRequest({ ...body, max_tokens: 1 });
    return path?.model !== undefined && request.model === undefined
      ? { ...request, model: path.model }
      : request;
  },
  encodeResponse: (count: TokenCount) => ({ input_tokens: count.inputTokens }),
};
