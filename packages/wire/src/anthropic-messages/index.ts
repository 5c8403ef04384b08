import type { WireCodec } from '../codec.ts';
import { bodyStreamFlag, createCallDecoder } from '../shared/decode-call.ts';
import { withAnthropicBetas } from './anthropic-betas.ts';
import { anthropicEndpoints, anthropicInbound } from './anthropic-endpoints.ts';
import { decodeAnthropicError, encodeAnthropicError } from './anthropic-error.ts';
import { anthropicExtraFields } from './anthropic-extra-fields.ts';
import { encodeAnthropicModelList } from './anthropic-model-list.ts';
import { encodeAnthropicRequest } from './anthropic-request.ts';
import { decodeAnthropicRequest } from './anthropic-request-decoder.ts';
import { decodeAnthropicResponse, encodeAnthropicResponse } from './anthropic-response.ts';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.ts';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.ts';
import { anthropicTokenCount } from './anthropic-token-count.ts';

/**
 * The Anthropic Messages codec (`POST /v1/messages`), both directions: the Anthropic backend
 * uses the client half, the gateway's Anthropic-compatible endpoint the server half.
 *
 * @example
 * const { body, warnings } = anthropicMessages.encodeRequest(request, { model: 'claude-sonnet-4-5', stream: false });
 * const reply = anthropicMessages.decodeResponse(await res.json(), { provider: 'anthropic', request });
 */
export const anthropicMessages: WireCodec = {
  protocol: 'anthropic-messages',
  endpoints: anthropicEndpoints,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  createStreamDecoder: (context) => new AnthropicStreamDecoder(context),
  decodeError: decodeAnthropicError,
  decodeRequest: decodeAnthropicRequest,
  decodeCall: withAnthropicBetas(createCallDecoder(decodeAnthropicRequest, bodyStreamFlag)),
  encodeResponse: encodeAnthropicResponse,
  encodeModelList: encodeAnthropicModelList,
  createStreamEncoder: () => new AnthropicStreamEncoder(),
  encodeError: encodeAnthropicError,
  extraFields: anthropicExtraFields,
  inbound: anthropicInbound,
  tokenCount: anthropicTokenCount,
};
