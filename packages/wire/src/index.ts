export { anthropicMessages } from './anthropic-messages/index.ts';
export type {
  BuiltInWireProtocol,
  ChatPathInfo,
  DecodeContext,
  DecodedCall,
  DecodedEmbedCall,
  EmbedFieldNames,
  EmbedPathInfo,
  EmbedReplyOptions,
  EncodedError,
  EncodedRequest,
  EncodeEmbedOptions,
  EncodeRequestOptions,
  ExtraFieldPolicy,
  ForeignRequest,
  HeaderLookup,
  InboundModels,
  InboundRoutes,
  ListedModel,
  ModelsCallMatch,
  RequestHeaders,
  StoredReferences,
  StreamDecoder,
  StreamEncoder,
  StreamEncoderOptions,
  StreamFrameReader,
  StreamFraming,
  TokenCountCodec,
  WireCodec,
  WireEmbeddings,
  WireEndpoints,
  WireModerations,
  WireProtocol,
} from './codec.ts';
export { cohere } from './cohere/index.ts';
export { gemini, geminiPath, parseGeminiPath, SKIP_THOUGHT_SIGNATURE } from './gemini/index.ts';
export { parseDuration, readHeader, retryAfterFromHeaders } from './header-lookup.ts';
export { openaiChat } from './openai-chat/index.ts';
export type { MateyCitation, OpenAIUrlCitation } from './openai-chat/openai-chat-citations.ts';
export { openaiResponses, RESPONSES_KEY } from './openai-responses/index.ts';
export { decodeDataModelList } from './shared/data-model-list.ts';
export { sourceFromUrl, sourceToUrl } from './shared/data-url.ts';
export { bodyStreamFlag, createCallDecoder } from './shared/decode-call.ts';
export { retryAfterHeaders } from './shared/error-shapes.ts';
export { mintId } from './shared/ids.ts';
export { canonicalArguments, parseArguments } from './shared/tool-arguments.ts';
export { formatSse } from './sse/format-sse.ts';
export {
  DEFAULT_MAX_SSE_EVENT_BYTES,
  parseSse,
  type SseEvent,
  SseParser,
  type SseParserOptions,
} from './sse/sse-parser.ts';
export { registerWireProtocol, wireCodec, wireProtocols } from './wire-protocols.ts';
