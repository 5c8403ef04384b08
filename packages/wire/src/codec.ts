import type { AiMateyError, ChatRequest, ChatResponse, Message, StreamEvent, Warning } from 'ai.matey.core';
import type { EmbedPathInfo, WireEmbeddings } from './embed-codec.ts';
import type { WireModerations } from './moderation-codec.ts';
import type { SseEvent } from './sse/sse-parser.ts';
import type { TokenCountCodec } from './token-count-codec.ts';
import type { BuiltInWireProtocol } from './wire-protocols.ts';

export type {
  DecodedEmbedCall,
  EmbedFieldNames,
  EmbedPathInfo,
  EmbedReplyOptions,
  EncodeEmbedOptions,
  WireEmbeddings,
} from './embed-codec.ts';
export type { WireModerations } from './moderation-codec.ts';
export type { TokenCountCodec } from './token-count-codec.ts';
export type { BuiltInWireProtocol } from './wire-protocols.ts';

/**
 * A wire protocol's name: a built-in one (these autocomplete) or one added with
 * `registerWireProtocol`.
 */
export type WireProtocol = BuiltInWireProtocol | (string & {});

/** Something that reads response headers (a fetch `Headers`, undici's, or a plain record). */
export type HeaderLookup =
  | { get(name: string): string | null | undefined }
  | Record<string, string | string[] | undefined>;

export interface EncodeRequestOptions {
  /** The upstream model id (already stripped of any `provider/` prefix). */
  model: string;
  stream: boolean;
  /** The provider name, for provider-specific fields and `providerOptions[provider]`. */
  provider?: string;
}

/** An inbound call's request headers, as Node's `IncomingMessage.headers` holds them (lower-case names). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface EncodedRequest {
  /** The JSON body to send. */
  body: Record<string, unknown>;
  /** Headers this call needs besides the provider's own (`anthropic-beta`). */
  headers?: Record<string, string>;
  /** What the protocol could not express, said instead of dropped. */
  warnings: Warning[];
}

export interface DecodeContext {
  /** The provider that produced the payload (`openai`, `groq`, `anthropic`, `google`, …). */
  provider: string;
  /**
   * The spec request this reply answers, when known: lets a decoder undo request-dependent
   * mappings (a forced JSON tool back into text content, tool names for id-less tool calls).
   */
  request?: ChatRequest;
}

export interface StreamEncoderOptions {
  /** OpenAI: send the final `choices: []` chunk with usage (the caller set `stream_options.include_usage`). */
  includeUsage?: boolean;
  /**
   * How the stream is framed: `sse` (the default), or `json-array` for a protocol whose clients
   * may ask for one JSON array written as it comes (Gemini without `alt=sse`).
   */
  framing?: 'sse' | 'json-array';
  /**
   * The request fields the protocol's reply repeats as the call sent them (a Responses object's
   * `instructions`, `tools`, `temperature`, `metadata`), read by `decodeCall` from the body.
   */
  echo?: Readonly<Record<string, unknown>>;
}

/** Turns one protocol's SSE events into spec events, keeping state across the stream. */
export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** The stream ended (socket closed): flush anything pending (open tool calls, a missing finish). */
  end(): StreamEvent[];
}

/**
 * Reads a streamed body's bytes into the events a `StreamDecoder` takes. `SseParser` is the
 * default; a protocol with a binary framing (AWS's event stream) brings its own.
 */
export interface StreamFrameReader {
  /** Feeds bytes (or text); returns the events completed by them. Throws on a broken frame. */
  push(chunk: Uint8Array | string): SseEvent[];
  /** The body ended: what is left, or a throw when a frame was cut off. */
  end(): SseEvent[];
}

/**
 * A stream framing other than SSE: how a client reads the body into events, and how a server
 * sends its stream encoder's SSE text on the wire (Bedrock's `application/vnd.amazon.eventstream`
 * frames). Without one, a protocol streams plain SSE.
 */
export interface StreamFraming {
  /** The content type of a streamed reply. */
  readonly contentType: string;
  createReader(): StreamFrameReader;
  /** The stream encoder's SSE text (one or more events) as the bytes to send. */
  frame(sse: string): Uint8Array;
}

/** Turns spec events into one protocol's SSE text, keeping state across the stream. */
export interface StreamEncoder {
  /** SSE text for this event ('' when the protocol has nothing to send for it). */
  encode(event: StreamEvent): string;
  /** SSE text that closes a completed stream (OpenAI's `data: [DONE]`). */
  end(): string;
  /** SSE text reporting an error after the stream started (never a silent end). */
  error(error: AiMateyError): string;
  /** The reply's content type when it is not `text/event-stream` (a JSON-array stream). */
  readonly contentType?: string;
}

export interface EncodedError {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A model as a provider's list-models endpoint describes it. */
export interface ListedModel {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
  /** Who serves it (OpenAI's `owned_by`); encoders that have no such field leave it out. */
  ownedBy?: string;
  /** A name for people (Anthropic's `display_name`, Gemini's `displayName`; default: the id). */
  displayName?: string;
  /** When it was created, in Unix seconds (default 0). */
  created?: number;
}

/** What a call's path says about it, for protocols that put it there (Gemini, Azure deployments). */
export interface ChatPathInfo {
  /** The model the path names. */
  model?: string;
  /** Whether the path asks for a stream (Gemini's `:streamGenerateContent`). */
  stream?: boolean;
  /** The call's query, when the server passes it (Gemini's `alt=sse` says how to frame a stream). */
  query?: URLSearchParams;
}

/** An inbound chat call, read by the server half of a codec. */
export interface DecodedCall {
  request: ChatRequest;
  /** The caller asked for a stream (a body field or the path, as the protocol says it). */
  stream: boolean;
  /** How to encode the reply back (OpenAI's `stream_options.include_usage`, the fields a reply repeats). */
  options: StreamEncoderOptions;
}

/** How likely a list-models call is this protocol's: a header or path segment says so, or only the path fits. */
export type ModelsCallMatch = 'certain' | 'possible' | undefined;

/**
 * The routes a gateway serves for this protocol's clients (Hono route patterns), built into the
 * gateway's route table once at start-up. A protocol without them is not served inbound.
 */
export interface InboundRoutes {
  /** The endpoint's name in metrics and logs (`openai`, `anthropic`). */
  endpoint: string;
  /** The paths of a chat call (`/v1/chat/completions`), as Hono route patterns. */
  chat: readonly string[];
  /** The paths of an embedding call (`/v1/embeddings`), for a protocol with `embeddings`. */
  embeddings?: readonly string[];
  /**
   * The path names the model or the streaming (Gemini's `/models/{model}:streamGenerateContent`):
   * the gateway reads it with `endpoints.parseChatPath` and hands it to `decodeCall`. Off, the
   * path is not read per request.
   */
  pathCarriesCall?: boolean;
  /**
   * The list-models paths and, where several protocols share one, the request header this
   * protocol's clients always send (`anthropic-version`); the one without a header is the default.
   */
  models: InboundModels | readonly InboundModels[];
  /** The paths of a token-count call (`/v1/messages/count_tokens`), served with `tokenCount`. */
  countTokens?: readonly string[];
  /**
   * The paths (with an `:id` parameter) where a caller reads back (`GET`) or deletes (`DELETE`) a
   * reply it stored (`/v1/responses/:id`), served with `encodeResponse` and `encodeDeletedResponse`.
   */
  storedResponses?: readonly string[];
  /**
   * The paths (with an `:id` parameter) listing the conversation a stored reply answered
   * (`/v1/responses/:id/input_items`), served with `encodeInputItemList`.
   */
  storedResponseInputs?: readonly string[];
  /**
   * Where this protocol's clients put their API key besides `Authorization: Bearer` and
   * `x-api-key`: a header (`x-goog-api-key`) or a query parameter (`?key=`).
   */
  apiKey?: { header?: string; query?: string };
}

/** A list-models path of a protocol's clients (and its get-one-model path, where it has one). */
export interface InboundModels {
  path: string;
  /** The header this protocol's clients always send, when several protocols share the path. */
  header?: string;
  /** The get-one-model path (Gemini's `/v1beta/models/{model}`), answered with `encodeModel`. */
  item?: string;
}

/**
 * Where a client of the protocol sends its calls, relative to the base URL's path
 * (`/openai/v1` for Groq, '' for `https://api.anthropic.com`).
 */
export interface WireEndpoints {
  /** The base path with the protocol's version segment added when the user left it out. */
  versionedPath(basePath: string): string;
  /** The path of a chat call (`${versionedPath}/chat/completions`). */
  chatPath(versionedPath: string, model: string, stream: boolean): string;
  /** The path of the list-models call. */
  modelsPath(versionedPath: string): string;
  /** The models in a list-models reply, or `undefined` when the body is not one. */
  decodeModelList(body: unknown): ListedModel[] | undefined;
  /**
   * Reads a server-side path (any base path, query taken off) back into a chat call of this
   * protocol, or `undefined` when it is not one; the inverse of `chatPath`.
   */
  parseChatPath(path: string): ChatPathInfo | undefined;
  /** Whether a `GET` at this path (any base path) with these headers lists this protocol's models. */
  matchModelsCall(path: string, headers: Readonly<Record<string, unknown>>): ModelsCallMatch;
  /**
   * The path of an embedding call of `inputs` inputs (Gemini: `:embedContent` for one,
   * `:batchEmbedContents` for more); absent when the protocol has no embeddings.
   */
  embedPath?(versionedPath: string, model: string, inputs: number): string;
  /** Reads a server-side path back into an embedding call, or `undefined`; the inverse of `embedPath`. */
  parseEmbedPath?(path: string): EmbedPathInfo | undefined;
}

/**
 * The top-level request fields a codec reads into no spec field and carries on in
 * `providerOptions[providerOptionsKey]`, sorted by what they may do, so a gateway can decide per
 * field what a caller may send upstream. Fields in neither list are unknown to the codec.
 */
export interface ExtraFieldPolicy {
  /** The `providerOptions` entry `decodeRequest` puts them in (`openai`, `anthropic`, …). */
  providerOptionsKey: string;
  /** Known fields that change neither the price of a call nor where it goes. */
  carried: readonly string[];
  /**
   * Known fields that multiply the cost, pick a pricier tier, steer routing, or let the
   * provider reach other servers; each lists the values that do none of that (its defaults),
   * or says of a value whether it does none of that (`tools` holding only client-run tools).
   */
  restricted: Readonly<Record<string, readonly unknown[] | ((value: unknown) => boolean)>>;
}

/**
 * One wire protocol, both directions. A backend uses the client half (encodeRequest,
 * decodeResponse, createStreamDecoder, decodeError); the HTTP front-end and the mock upstream
 * use the server half (decodeRequest, encodeResponse, createStreamEncoder, encodeError).
 */
export interface WireCodec {
  readonly protocol: WireProtocol;
  /** Paths and the model list, for a client calling a server of this protocol. */
  readonly endpoints: WireEndpoints;

  encodeRequest(request: ChatRequest, options: EncodeRequestOptions): EncodedRequest;
  decodeResponse(body: unknown, context: DecodeContext): ChatResponse;
  createStreamDecoder(context: DecodeContext): StreamDecoder;
  /** A typed error from a non-2xx reply (status, parsed body or text, headers for retry hints). */
  decodeError(status: number, body: unknown, headers?: HeaderLookup, context?: DecodeContext): AiMateyError;

  /** Parses an inbound body; throws `InvalidRequestError` naming the field at fault. */
  decodeRequest(body: unknown): ChatRequest;
  /**
   * Parses an inbound chat call: the request (the path's model when the body names none),
   * whether to stream and the stream encoder's options; throws as `decodeRequest`. `headers`
   * are the call's request headers, for protocols that carry options there (`anthropic-beta`).
   */
  decodeCall(body: unknown, path?: ChatPathInfo, headers?: RequestHeaders): DecodedCall;
  /** A reply body; `options`: what `decodeCall` said of the call (the fields a reply repeats). */
  encodeResponse(response: ChatResponse, options?: StreamEncoderOptions): Record<string, unknown>;
  /** A list-models reply body for these models, in this protocol's own shape. */
  encodeModelList(models: readonly ListedModel[]): Record<string, unknown>;
  createStreamEncoder(options?: StreamEncoderOptions): StreamEncoder;
  encodeError(error: AiMateyError): EncodedError;
  /** What the extra fields `decodeRequest` carries may do (for a gateway's field policy). */
  readonly extraFields?: ExtraFieldPolicy;
  /** The routes a gateway serves for this protocol; absent when it is not served inbound yet. */
  readonly inbound?: InboundRoutes;
  /** The protocol's token-count endpoint; absent when the protocol has none. */
  readonly tokenCount?: TokenCountCodec;
  /** The reply to deleting a stored reply by id (`inbound.storedResponses`). */
  encodeDeletedResponse?(id: string): Record<string, unknown>;
  /** The conversation a stored reply answered, one page as the query asks (`inbound.storedResponseInputs`). */
  encodeInputItemList?(
    messages: readonly Message[],
    responseId: string,
    query: URLSearchParams,
  ): Record<string, unknown>;
  /** One model as the protocol's get-model endpoint describes it (`inbound.models.item`). */
  encodeModel?(model: ListedModel): Record<string, unknown>;
  /** Embedding calls, for a protocol that has them (paths in `endpoints.embedPath`). */
  readonly embeddings?: WireEmbeddings;
  /** The moderation endpoint, for a protocol that has one (OpenAI's `/v1/moderations`). */
  readonly moderations?: WireModerations;
  /** The stream's framing on the wire when it is not SSE (both halves use it). */
  readonly streamFraming?: StreamFraming;
  /**
   * What of a request only this protocol can carry (hosted tools, items kept whole in
   * `providerMetadata`), asked by a backend of another protocol before it encodes: the request
   * without it and warnings for what was dropped harmlessly; throws `UnsupportedFeatureError`
   * naming what cannot be dropped. Absent when the protocol keeps nothing of its own there.
   */
  forOtherProtocol?(request: ChatRequest): ForeignRequest;
  /** What in an inbound body refers to replies the gateway stored; absent when nothing can. */
  readonly storedReferences?: StoredReferences;
}

/**
 * References in an inbound call's body to replies the gateway stored (Responses' `item_reference`
 * to an earlier reply's item), resolved before the body is decoded.
 */
export interface StoredReferences {
  /** The ids of the stored replies the body refers to (none: nothing to look up). */
  responseIds(body: unknown): string[];
  /**
   * The body with each reference replaced by what it names in `replies` (those of `responseIds`
   * the caller may read); throws a 404 `InvalidRequestError` for one whose reply is not there.
   */
  resolve(body: unknown, replies: ReadonlyMap<string, ChatResponse>): unknown;
}

/** A request made fit for another protocol's backend (see `WireCodec.forOtherProtocol`). */
export interface ForeignRequest {
  request: ChatRequest;
  warnings: Warning[];
}
