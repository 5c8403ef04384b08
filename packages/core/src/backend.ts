import type { AttemptBudget } from './attempt-budget.ts';
import type { AiMateyError } from './errors/ai-matey-error.ts';
import type { EmbedRequest, EmbedResponse } from './spec/embed.ts';
import type { ModerationRequest, ModerationResponse } from './spec/moderation.ts';
import type { ChatRequest } from './spec/request.ts';
import type { ChatResponse } from './spec/response.ts';
import type { StreamEvent } from './spec/stream.ts';
import type { TokenCount } from './spec/token-count.ts';

/** What a backend can do; a request needing more fails with `UnsupportedFeatureError`. */
export interface BackendCapabilities {
  streaming: boolean;
  tools: boolean;
  vision: boolean;
  reasoning: boolean;
  jsonSchema: boolean;
  /** May a partial answer be continued by this backend (assistant prefill)? */
  continuation?: boolean;
  /** `false` for an embeddings-only backend (Voyage): a Router never sends it a chat call. */
  chat?: boolean;
}

/** A model a backend serves, with its limits and prices (USD per million tokens). */
export interface ModelInfo {
  id: string;
  provider: string;
  aliases?: string[];
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities?: Partial<BackendCapabilities>;
  pricing?: {
    inputPerMTok: number;
    outputPerMTok: number;
    cachedInputPerMTok?: number;
    cacheWritePerMTok?: number;
  };
  /** Set for an embedding model: the length of its vectors, and the shorter ones it can give. */
  embedding?: { dimensions: number; flexibleDimensions?: boolean };
}

export interface BackendMetadata {
  /** The instance's name (`openai`, `groq`, `router`, …). */
  name: string;
  /** The provider, or `router`/`mock` for composites and test doubles. */
  provider: string;
  capabilities: BackendCapabilities;
  defaultModel?: string;
}

/** Something a composite backend (a Router) reports while it serves a call. */
export type BackendObservation =
  | { type: 'backend:selected'; backend: string; reason: string; attempt: number }
  | { type: 'backend:failover'; from: string; to: string; error: Error; attempt: number };

/** One upstream attempt about to be made: which backend, and the request it would get. */
export interface BackendAttemptInfo {
  /** The backend's name (a Router's registration name). */
  backend: string;
  provider: string;
  /** The model this attempt asks for (the backend's default when the request names none). */
  model: string | undefined;
  request: ChatRequest | EmbedRequest;
}

/**
 * The caller's say on one attempt: undefined to let it go ahead, or the error that refuses it.
 * A Router asks before every attempt (the first, each fallback, and again on every retry).
 */
export type AttemptCheck = (attempt: BackendAttemptInfo) => AiMateyError | undefined;

export interface BackendCallOptions {
  signal?: AbortSignal;
  /** Receives routing observations; the Bridge turns them into its events. */
  observe?: (observation: BackendObservation) => void;
  /** Asked before each upstream attempt; a refused attempt is skipped (or ends the call). */
  checkAttempt?: AttemptCheck;
  /**
   * The upstream calls the client request may still make: a composite backend (a Router) takes
   * one per backend it calls and stops when it is spent.
   */
  attempts?: AttemptBudget;
  /**
   * The request's model is already the provider's own id (a Router took the `provider/` prefix
   * off, or a fallback entry set it): the backend sends it as is, stripping no prefix again.
   */
  modelResolved?: boolean;
  /**
   * The sub-batches this embedding call already got back, kept across its retries (the Bridge
   * gives each embedding call one): a backend that splits a batch reuses a sub-batch found here
   * instead of sending it again, and adds each one that succeeds, so a retry after one failed
   * sub-batch sends that one only.
   */
  embedProgress?: EmbedProgress;
}

/** Sub-batch replies of one embedding call, by a key the backend chooses (what it would send, say). */
export type EmbedProgress = Map<string, EmbedResponse>;

/** The contract every provider adapter, Router and test double implements. */
export interface Backend {
  readonly metadata: BackendMetadata;
  execute(request: ChatRequest, options?: BackendCallOptions): Promise<ChatResponse>;
  stream(request: ChatRequest, options?: BackendCallOptions): AsyncIterable<StreamEvent>;
  /**
   * Embeds a batch of inputs, one vector each, in order. Optional: a backend without it serves
   * no embedding calls, and a Router never picks it for one.
   */
  embed?(request: EmbedRequest, options?: BackendCallOptions): Promise<EmbedResponse>;
  listModels?(options?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
  healthCheck?(options?: {
    signal?: AbortSignal;
  }): Promise<{ healthy: boolean; latencyMs: number; message?: string }>;
  /**
   * Counts the request's input tokens the provider's own way (Anthropic's `count_tokens`,
   * Gemini's `:countTokens`); throws `UnsupportedFeatureError` with code
   * `token_count_unsupported` when the provider offers no count.
   */
  countTokens?(request: ChatRequest, options?: BackendCallOptions): Promise<TokenCount>;
  /**
   * Classifies texts with the provider's moderation endpoint (OpenAI's `/v1/moderations`).
   * Optional: only providers whose protocol has one (`HttpBackend` when its codec has `moderations`).
   */
  moderate?(request: ModerationRequest, options?: BackendCallOptions): Promise<ModerationResponse>;
}

/** Looks up models and prices, for cost-aware routing and cost tracking. */
export interface ModelCatalog {
  find(model: string, provider?: string): ModelInfo | undefined;
}
