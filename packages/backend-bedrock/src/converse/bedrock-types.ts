/**
 * The Bedrock Converse wire shapes this codec reads and writes (bedrock-runtime API reference:
 * `Converse`, `ConverseStream`, `ContentBlock`, `TokenUsage`). Only what the mapping touches.
 */

/** The key under which spec `providerMetadata` carries Bedrock-only fields. */
export const BEDROCK_METADATA_KEY = 'bedrock';

export interface BedrockImageBlock {
  format: string;
  source: { bytes?: string; s3Location?: { uri: string; bucketOwner?: string } };
}

export interface BedrockDocumentBlock {
  format: string;
  name: string;
  source: { bytes?: string; s3Location?: { uri: string }; text?: string };
}

export interface BedrockToolUse {
  toolUseId: string;
  name: string;
  input: unknown;
}

export type BedrockToolResultContent =
  | { text: string }
  | { json: unknown }
  | { image: BedrockImageBlock }
  | { document: BedrockDocumentBlock };

export interface BedrockToolResult {
  toolUseId: string;
  content: BedrockToolResultContent[];
  status?: 'success' | 'error';
}

export interface BedrockReasoningContent {
  reasoningText?: { text: string; signature?: string };
  redactedContent?: string;
}

/** One block of a message: exactly one of these keys is set. */
export interface BedrockContentBlock {
  text?: string;
  image?: BedrockImageBlock;
  document?: BedrockDocumentBlock;
  toolUse?: BedrockToolUse;
  toolResult?: BedrockToolResult;
  reasoningContent?: BedrockReasoningContent;
  cachePoint?: { type: string };
  [other: string]: unknown;
}

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockTool {
  toolSpec?: { name: string; description?: string; inputSchema: { json: unknown } };
  cachePoint?: { type: string };
}

export type BedrockToolChoice = { auto: object } | { any: object } | { tool: { name: string } };

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  [other: string]: unknown;
}

export interface BedrockConverseResponse {
  output?: { message?: { role?: string; content?: BedrockContentBlock[] } };
  stopReason?: string;
  usage?: BedrockUsage;
  metrics?: { latencyMs?: number };
  additionalModelResponseFields?: unknown;
  trace?: unknown;
  performanceConfig?: unknown;
}
