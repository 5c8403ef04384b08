import type { TokenCount } from 'ai.matey.core';
import type { TokenCountCodec } from '../codec.ts';
import { decodeResponsesRequest } from './responses-decode-request.ts';
import { encodeResponsesRequest } from './responses-encode-request.ts';
import { isRecord } from './responses-metadata.ts';

/** What OpenAI's input-token count takes: the prompt and what shapes it, no output settings. */
const COUNTED_FIELDS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'reasoning',
  'text',
  'truncation',
  'conversation',
  'previous_response_id',
]);

/**
 * OpenAI's `POST /v1/responses/input_tokens` (`client.responses.inputTokens.count`): a Responses
 * body without its output settings, answered with `{object: 'response.input_tokens', input_tokens}`.
 * The count is of the body as sent: a `previous_response_id` conversation the gateway stores is
 * not added to it.
 *
 * @example
 * const path = responsesTokenCount.path('/v1', 'gpt-5'); // '/v1/responses/input_tokens'
 */
export const responsesTokenCount: TokenCountCodec = {
  path: (versionedPath) => `${versionedPath}/responses/input_tokens`,
  encodeRequest(request, options) {
    const { body, warnings } = encodeResponsesRequest(request, { ...options, stream: false });
    const counted = Object.fromEntries(Object.entries(body).filter(([field]) => COUNTED_FIELDS.has(field)));
    return { body: counted, warnings };
  },
  decodeResponse(body) {
    if (!isRecord(body)) throw new TypeError('An input_tokens reply must be a JSON object');
    const tokens = body.input_tokens ?? 0;
    if (typeof tokens !== 'number') throw new TypeError('An input_tokens reply needs input_tokens');
    return tokens;
  },
  parsePath: (path) => (path.endsWith('/responses/input_tokens') ? {} : undefined),
  decodeRequest(body, path) {
    const request = decodeResponsesRequest(body);
    return request.model === undefined && path?.model !== undefined
      ? { ...request, model: path.model }
      : request;
  },
  encodeResponse: (count: TokenCount) => ({
    object: 'response.input_tokens',
    input_tokens: count.inputTokens,
  }),
};
