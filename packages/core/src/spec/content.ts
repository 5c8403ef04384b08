/**
 * Content parts: the pieces a message or a response is made of.
 *
 * Every wire format maps onto these and back. Provider-specific data that has no place in the
 * neutral shape (Gemini's `thoughtSignature` on a text part, say) rides in `providerMetadata`,
 * keyed by provider, so a conversation can be sent back to the same provider unchanged.
 */

/** Opaque per-provider data carried on a part, keyed by provider name (`anthropic`, `gemini`, …). */
export type ProviderMetadata = Record<string, Record<string, unknown>>;

/** Where binary content comes from: a URL, or inline base64 with its media type. */
export type DataSource =
  | { kind: 'url'; url: string; mediaType?: string }
  | { kind: 'base64'; data: string; mediaType: string };

export interface TextPart {
  type: 'text';
  text: string;
  /** Spans of `text` the provider grounds in sources (Cohere's citations), in order. */
  citations?: Citation[];
  providerMetadata?: ProviderMetadata;
}

/**
 * A span of a text part that rests on sources: `start` and `end` are offsets into the part's
 * `text` (end exclusive), `text` the span itself.
 */
export interface Citation {
  start: number;
  end: number;
  text: string;
  sources: CitationSource[];
}

/** What a citation points at: a document the caller sent, a tool result, or a web page. */
export interface CitationSource {
  type: 'document' | 'tool' | 'url';
  /** The provider's id of the source (Cohere's `doc:0`, a tool call's result id). */
  id?: string;
  title?: string;
  url?: string;
  /** The source's text or data, where the provider sends it back. */
  data?: Record<string, unknown>;
}

export interface ImagePart {
  type: 'image';
  source: DataSource;
  /** OpenAI's `detail` hint; other providers ignore it. */
  detail?: 'auto' | 'low' | 'high';
  providerMetadata?: ProviderMetadata;
}

export interface FilePart {
  type: 'file';
  source: DataSource;
  filename?: string;
  providerMetadata?: ProviderMetadata;
}

/**
 * A tool call made by the model. `arguments` is the JSON text of the call's input, exactly as
 * the model produced it once complete (codecs canonicalise valid JSON, so a streamed and a
 * non-streamed reply compare equal; invalid JSON is kept as it came).
 */
export interface ToolCallPart {
  type: 'tool-call';
  toolCallId: string;
  toolName: string;
  arguments: string;
  providerMetadata?: ProviderMetadata;
}

/** The result of a tool call, sent back by the caller. */
export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName?: string;
  content: string | Array<TextPart | ImagePart>;
  isError?: boolean;
  providerMetadata?: ProviderMetadata;
}

/**
 * Model reasoning ("thinking"). `signature` is the provider's integrity token (Anthropic's
 * thinking signature, Gemini's thought signature); `redactedData` is Anthropic's encrypted
 * redacted-thinking payload, whose `text` is empty.
 */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

export type UserContentPart = TextPart | ImagePart | FilePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;
export type ContentPart = TextPart | ImagePart | FilePart | ToolCallPart | ToolResultPart | ReasoningPart;
