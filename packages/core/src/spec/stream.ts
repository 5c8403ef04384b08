import type { AiMateyError } from '../errors/ai-matey-error.ts';
import type { Citation, ProviderMetadata } from './content.ts';
import type { FinishReason, RateLimitInfo, RoutingInfo, Usage, Warning } from './response.ts';

/**
 * Stream events, the streamed form of a `ChatResponse`.
 *
 * `index` is the position of the content part the event belongs to in the final response's
 * `content`, so interleaved and parallel parts (two tool calls, thinking then text) reassemble
 * exactly. Collecting a stream (`collectStream`) gives the same `ChatResponse` as the
 * non-streamed call for the same reply.
 */
export interface StartEvent {
  type: 'start';
  id: string;
  model: string;
  provider: string;
  warnings?: Warning[];
  routing?: RoutingInfo;
  rateLimit?: RateLimitInfo;
  /**
   * Added by middleware, as on a response (`metadata.cache` when the stream is replayed from a
   * cache); the gateway reports parts of it in headers. Never sent to a client as is.
   */
  metadata?: Record<string, unknown>;
}

export interface TextDeltaEvent {
  type: 'text-delta';
  index: number;
  delta: string;
  /** Citations of the part's text so far; they append to the part's `citations`. */
  citations?: Citation[];
  providerMetadata?: ProviderMetadata;
}

/** Reasoning text, or a piece of its signature (Anthropic sends them apart), or redacted data. */
export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  index: number;
  delta: string;
  signature?: string;
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

export interface ToolCallStartEvent {
  type: 'tool-call-start';
  index: number;
  toolCallId: string;
  toolName: string;
  providerMetadata?: ProviderMetadata;
}

export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  toolCallId: string;
  argumentsDelta: string;
}

/** The tool call is complete; `arguments` is its whole JSON text (canonical when valid). */
export interface ToolCallEndEvent {
  type: 'tool-call-end';
  index: number;
  toolCallId: string;
  toolName: string;
  arguments: string;
  providerMetadata?: ProviderMetadata;
}

/** Usage so far (cumulative: the latest one wins). */
export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

export interface FinishEvent {
  type: 'finish';
  finishReason: FinishReason;
  rawFinishReason?: string;
  usage: Usage;
  providerMetadata?: ProviderMetadata;
}

/** An error reported inside the stream (a provider's in-band error event). */
export interface ErrorEvent {
  type: 'error';
  error: AiMateyError;
}

export type StreamEvent =
  | StartEvent
  | TextDeltaEvent
  | ReasoningDeltaEvent
  | ToolCallStartEvent
  | ToolCallDeltaEvent
  | ToolCallEndEvent
  | UsageEvent
  | FinishEvent
  | ErrorEvent;

export type StreamEventType = StreamEvent['type'];
