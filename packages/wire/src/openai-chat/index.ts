import type { WireCodec } from '../codec.ts';
import { createCallDecoder } from '../shared/decode-call.ts';
import { decodeOpenAIChatRequest } from './openai-chat-decode-request.ts';
import { encodeOpenAIChatRequest } from './openai-chat-encode-request.ts';
import { openaiChatEndpoints, openaiChatInbound } from './openai-chat-endpoints.ts';
import { decodeOpenAIError, encodeOpenAIError } from './openai-chat-error.ts';
import { openaiChatExtraFields } from './openai-chat-extra-fields.ts';
import { encodeOpenAIModelList } from './openai-chat-model-list.ts';
import { decodeOpenAIChatResponse, encodeOpenAIChatResponse } from './openai-chat-response.ts';
import { OpenAIChatStreamDecoder } from './openai-chat-stream-decoder.ts';
import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.ts';
import { decodeOpenAIEmbedCall, encodeOpenAIEmbedRequest } from './openai-embed-request.ts';
import { decodeOpenAIEmbedResponse, encodeOpenAIEmbedResponse } from './openai-embed-response.ts';
import { openaiModerations } from './openai-moderation.ts';

/**
 * The OpenAI Chat Completions codec, for OpenAI and every compatible API (Groq, DeepSeek,
 * Mistral, xAI, Together, Ollama, vLLM, …), in both directions, with `/v1/embeddings`.
 *
 * @example
 * ```ts
 * const { body, warnings } = openaiChat.encodeRequest(request, { model: 'gpt-4o-mini', stream: false, provider: 'openai' });
 * const response = openaiChat.decodeResponse(await reply.json(), { provider: 'openai' });
 * ```
 */
export const openaiChat: WireCodec = {
  protocol: 'openai-chat',
  endpoints: openaiChatEndpoints,
  encodeRequest: encodeOpenAIChatRequest,
  decodeResponse: decodeOpenAIChatResponse,
  createStreamDecoder: (context) => new OpenAIChatStreamDecoder(context),
  decodeError: (status, body, headers, context) => decodeOpenAIError(status, body, headers, context),
  decodeRequest: decodeOpenAIChatRequest,
  decodeCall: createCallDecoder(decodeOpenAIChatRequest, (body) => ({
    stream: body.stream === true,
    options: {
      includeUsage: (body.stream_options as { include_usage?: unknown } | null)?.include_usage === true,
    },
  })),
  encodeResponse: encodeOpenAIChatResponse,
  encodeModelList: encodeOpenAIModelList,
  createStreamEncoder: (options) => new OpenAIChatStreamEncoder(options),
  encodeError: encodeOpenAIError,
  extraFields: openaiChatExtraFields,
  inbound: openaiChatInbound,
  embeddings: {
    maxBatch: 2048,
    encodeRequest: encodeOpenAIEmbedRequest,
    decodeResponse: decodeOpenAIEmbedResponse,
    decodeCall: decodeOpenAIEmbedCall,
    encodeResponse: encodeOpenAIEmbedResponse,
  },
  moderations: openaiModerations,
};
