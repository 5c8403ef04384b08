import type { MateyCitation, OpenAIUrlCitation } from './openai-chat-citations.ts';
/**
 * The slice of the OpenAI Chat Completions wire format this codec reads and writes. Written by
 * hand (the `openai` package is only a dev dependency) and loose on purpose: compatible providers
 * add fields (`reasoning_content`, `x_groq`, Mistral's content arrays) and leave others out.
 */

export interface OpenAITextContentPart {
  type: 'text';
  text: string;
}

export interface OpenAIImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface OpenAIAudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
}

export interface OpenAIFileContentPart {
  type: 'file';
  file: { file_data?: string; file_id?: string; filename?: string };
}

export type OpenAIUserContentPart =
  | OpenAITextContentPart
  | OpenAIImageContentPart
  | OpenAIAudioContentPart
  | OpenAIFileContentPart;

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAISystemMessage {
  role: 'system' | 'developer';
  content: string | OpenAITextContentPart[];
  name?: string;
}

export interface OpenAIUserMessage {
  role: 'user';
  content: string | OpenAIUserContentPart[];
  name?: string;
}

export interface OpenAIAssistantMessage {
  role: 'assistant';
  content?: string | Array<OpenAITextContentPart | { type: 'refusal'; refusal: string }> | null;
  name?: string;
  refusal?: string | null;
  tool_calls?: OpenAIToolCall[];
  /** DeepSeek-style reasoning sent back in history. */
  reasoning_content?: string;
  /** Web page citations of spans of `content` (OpenAI's search models). */
  annotations?: OpenAIUrlCitation[];
  /** Every citation of the reply, whole: ai.matey's extension (see `MateyCitation`). */
  matey_citations?: MateyCitation[];
}

export interface OpenAIToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string | OpenAITextContentPart[];
}

export type OpenAIMessage =
  | OpenAISystemMessage
  | OpenAIUserMessage
  | OpenAIAssistantMessage
  | OpenAIToolMessage;

export interface OpenAIFunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type OpenAIToolChoice =
  | 'auto'
  | 'none'
  | 'required'
  | { type: 'function'; function: { name: string } };

export type OpenAIResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      json_schema: { name: string; description?: string; schema?: Record<string, unknown>; strict?: boolean };
    };

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

export interface OpenAIUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  /** DeepSeek's own name for cached prompt tokens. */
  prompt_cache_hit_tokens?: number;
}

/** Mistral's content parts in a response or delta: text, and thinking made of text pieces. */
export type MistralContentPart =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: Array<{ type: string; text?: string }> }
  | { type: string; [key: string]: unknown };

/** A tool-call fragment in a streamed delta; Mistral leaves out `index` and `type`. */
export interface OpenAIToolCallDelta {
  index?: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** The error body OpenAI (and most compatible providers) send. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
