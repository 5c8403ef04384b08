import type { WireCodec } from '../codec.ts';
import { encodeOpenAIModelList } from '../openai-chat/openai-chat-model-list.ts';
import { decodeResponsesRequest } from './responses-decode-request.ts';
import { decodeResponsesCall } from './responses-echo.ts';
import { encodeResponsesRequest } from './responses-encode-request.ts';
import { responsesEndpoints, responsesInbound } from './responses-endpoints.ts';
import { decodeResponsesError, encodeResponsesError } from './responses-error.ts';
import { responsesExtraFields } from './responses-extra-fields.ts';
import { responsesForOtherProtocol } from './responses-for-other-protocol.ts';
import { encodeInputItemList } from './responses-input-items.ts';
import { responsesStoredReferences } from './responses-references.ts';
import { decodeResponsesResponse, encodeResponsesResponse } from './responses-response.ts';
import { ResponsesStreamDecoder } from './responses-stream-decoder.ts';
import { ResponsesStreamEncoder } from './responses-stream-encoder.ts';
import { responsesTokenCount } from './responses-token-count.ts';

export { RESPONSES_KEY } from './responses-metadata.ts';

/**
 * The OpenAI Responses codec (`POST /v1/responses`), both directions: a backend calling OpenAI's
 * or Azure's Responses API uses the client half, the gateway's Responses endpoint (the OpenAI
 * Agents SDK, Codex, `client.responses.create`) the server half.
 *
 * @example
 * const { body, warnings } = openaiResponses.encodeRequest(request, { model: 'gpt-5-mini', stream: false, provider: 'openai' });
 * const reply = openaiResponses.decodeResponse(await res.json(), { provider: 'openai', request });
 */
export const openaiResponses: WireCodec = {
  protocol: 'openai-responses',
  endpoints: responsesEndpoints,
  encodeRequest: encodeResponsesRequest,
  decodeResponse: decodeResponsesResponse,
  createStreamDecoder: (context) => new ResponsesStreamDecoder(context),
  decodeError: decodeResponsesError,
  decodeRequest: decodeResponsesRequest,
  decodeCall: decodeResponsesCall,
  encodeResponse: encodeResponsesResponse,
  encodeDeletedResponse: (id) => ({ id, object: 'response.deleted', deleted: true }),
  encodeInputItemList,
  encodeModelList: encodeOpenAIModelList,
  createStreamEncoder: (options) => new ResponsesStreamEncoder(options),
  encodeError: encodeResponsesError,
  extraFields: responsesExtraFields,
  inbound: responsesInbound,
  tokenCount: responsesTokenCount,
  forOtherProtocol: responsesForOtherProtocol,
  storedReferences: responsesStoredReferences,
};
