import type { AssistantContentPart, TextPart, ToolResultPart, UserContentPart } from './content.ts';

/** A JSON Schema document (draft 2020-12 or draft-07 as the provider accepts). */
export type JsonSchema = Record<string, unknown>;

export interface SystemMessage {
  role: 'system';
  content: string | TextPart[];
}

export interface UserMessage {
  role: 'user';
  content: string | UserContentPart[];
  name?: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | AssistantContentPart[];
  name?: string;
}

export interface ToolMessage {
  role: 'tool';
  content: ToolResultPart[];
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolMessage;
export type Role = Message['role'];

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the tool's input object. */
  inputSchema: JsonSchema;
  /** Ask the provider to enforce the schema exactly, where it can. */
  strict?: boolean;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; schema: JsonSchema; name?: string; description?: string; strict?: boolean };

/** Reasoning controls: an effort level (OpenAI-style) or a token budget (Anthropic, Gemini). */
export interface ReasoningOptions {
  effort?: 'minimal' | 'low' | 'medium' | 'high';
  budgetTokens?: number;
}

/**
 * The provider-neutral chat request.
 *
 * `model` may be a bare id (`gpt-4o-mini`), a `provider/model` pair, or absent (the backend's
 * default model is used). `metadata` is for the caller and the middleware chain; it is never
 * sent upstream, except `metadata.user` where a provider has a user field. `providerOptions`
 * passes provider-specific fields through untouched, keyed by provider name.
 */
export interface ChatRequest {
  model?: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  stopSequences?: string[];
  reasoning?: ReasoningOptions;
  /** End-user id for abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, unknown>;
  providerOptions?: Record<string, Record<string, unknown>>;
}
