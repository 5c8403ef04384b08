/**
 * The subset of the Gemini `generateContent` wire format this codec reads and writes. Written by
 * hand (not imported from `@google/genai`) so the wire package has no runtime dependency on the
 * SDK; every field is optional because Gemini omits freely, most of all in stream chunks.
 */

export interface GeminiPartialArg {
  jsonPath?: string;
  stringValue?: string;
  numberValue?: number;
  boolValue?: boolean;
  nullValue?: string;
  willContinue?: boolean;
}

export interface GeminiFunctionCall {
  id?: string;
  name?: string;
  args?: Record<string, unknown>;
  /** Vertex's streamed arguments (`streamFunctionCallArguments`): pieces of the args by JSON path. */
  partialArgs?: GeminiPartialArg[];
  /** More pieces of this call follow in later chunks. */
  willContinue?: boolean;
}

export interface GeminiFunctionResponse {
  id?: string;
  name?: string;
  response?: Record<string, unknown>;
}

export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType?: string; data?: string; displayName?: string };
  fileData?: { mimeType?: string; fileUri?: string; displayName?: string };
  functionCall?: GeminiFunctionCall;
  functionResponse?: GeminiFunctionResponse;
  executableCode?: Record<string, unknown>;
  codeExecutionResult?: Record<string, unknown>;
}

export interface GeminiContent {
  role?: string;
  parts?: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  parametersJsonSchema?: unknown;
}

export interface GeminiTool {
  functionDeclarations?: GeminiFunctionDeclaration[];
  [other: string]: unknown;
}

export interface GeminiToolConfig {
  functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] };
  [other: string]: unknown;
}

export interface GeminiThinkingConfig {
  thinkingBudget?: number;
  thinkingLevel?: string;
  includeThoughts?: boolean;
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: Record<string, unknown>;
  responseJsonSchema?: unknown;
  thinkingConfig?: GeminiThinkingConfig;
  [other: string]: unknown;
}

/** The body of `POST /v1beta/models/{model}:generateContent` (the model rides in the path). */
export interface GeminiRequestBody {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
  [other: string]: unknown;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  cachedContentTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  [other: string]: unknown;
}

export interface GeminiCandidate {
  content?: GeminiContent;
  finishReason?: string;
  index?: number;
  finishMessage?: string;
  safetyRatings?: unknown;
  citationMetadata?: unknown;
  groundingMetadata?: unknown;
  urlContextMetadata?: unknown;
  [other: string]: unknown;
}

export interface GeminiPromptFeedback {
  blockReason?: string;
  blockReasonMessage?: string;
  safetyRatings?: unknown;
}

/** A whole response, and also the shape of every `alt=sse` stream chunk. */
export interface GeminiResponseBody {
  candidates?: GeminiCandidate[];
  promptFeedback?: GeminiPromptFeedback;
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  [other: string]: unknown;
}

/** Google's error envelope (`google.rpc.Status` in JSON). */
export interface GeminiErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    details?: Array<Record<string, unknown>>;
  };
}

/** The key thought signatures and other Gemini-only data ride under in `providerMetadata`. */
export const GEMINI_METADATA_KEY = 'gemini';

/** Candidate fields kept in `providerMetadata.gemini` of a response, so they survive a round trip. */
export const CANDIDATE_METADATA_FIELDS = [
  'finishMessage',
  'safetyRatings',
  'citationMetadata',
  'groundingMetadata',
  'urlContextMetadata',
] as const;
