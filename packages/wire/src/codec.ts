import type { AiMateyError, ChatRequest, ChatResponse, StreamEvent, Warning } from 'ai.matey.core';
import type { SseEvent } from './sse/sse-parser.ts';

/** The wire protocols this package implements. */
export type BuiltInWireProtocol = 'openai-chat' | 'anthropic-messages' | 'gemini';

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

export interface EncodedRequest {
  /** The JSON body to send. */
  body: Record<string, unknown>;
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
}

/** Turns one protocol's SSE events into spec events, keeping state across the stream. */
export interface StreamDecoder {
  push(event: SseEvent): StreamEvent[];
  /** The stream ended (socket closed): flush anything pending (open tool calls, a missing finish). */
  end(): StreamEvent[];
}

/** Turns spec events into one protocol's SSE text, keeping state across the stream. */
export interface StreamEncoder {
  /** SSE text for this event ('' when the protocol has nothing to send for it). */
  encode(event: StreamEvent): string;
  /** SSE text that closes a completed stream (OpenAI's `data: [DONE]`). */
  end(): string;
  /** SSE text reporting an error after the stream started (never a silent end). */
  error(error: AiMateyError): string;
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
   * provider reach other servers; each lists the values that do none of that (its defaults).
   */
  restricted: Readonly<Record<string, readonly unknown[]>>;
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
  encodeResponse(response: ChatResponse): Record<string, unknown>;
  createStreamEncoder(options?: StreamEncoderOptions): StreamEncoder;
  encodeError(error: AiMateyError): EncodedError;
  /** What the extra fields `decodeRequest` carries may do (for a gateway's field policy). */
  readonly extraFields?: ExtraFieldPolicy;
}
