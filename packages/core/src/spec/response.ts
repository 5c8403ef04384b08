import type { AssistantContentPart, ProviderMetadata } from './content.ts';

export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Token counts. `inputTokens` includes cached tokens; the cache figures say how many of them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
  reasoningTokens?: number;
  /**
   * What the provider bills, where it counts otherwise than the tokens above (Cohere's
   * `billed_units`: the caller's own tokens, not the prompt template the model read too). Cost
   * is priced on it when present.
   */
  billed?: { inputTokens: number; outputTokens: number };
}

/** Something the target could not express, said instead of silently dropped. */
export interface Warning {
  /** Machine-readable kind, e.g. `unsupported-setting`, `unsupported-content`. */
  type: string;
  /** The request field or feature concerned, e.g. `topK`, `responseFormat`. */
  setting?: string;
  message: string;
}

/** How a reply was routed: which backend served it, after how many attempts, and why. */
export interface RoutingInfo {
  backend: string;
  attempts: number;
  reason: string;
  /** Earlier attempts that failed, in order. */
  failures?: Array<{ backend: string; error: string; kind?: string }>;
}

/** Provider rate-limit headroom as reported by its response headers, for schedulers. */
export interface RateLimitInfo {
  remainingRequests?: number;
  remainingTokens?: number;
  limitRequests?: number;
  limitTokens?: number;
  resetRequestsMs?: number;
  resetTokensMs?: number;
}

export interface ChatResponse {
  /** The provider's own response id. */
  id: string;
  model: string;
  provider: string;
  content: AssistantContentPart[];
  finishReason: FinishReason;
  /** The provider's finish reason as it sent it (`end_turn`, `STOP`, …). */
  rawFinishReason?: string;
  usage: Usage;
  warnings: Warning[];
  routing?: RoutingInfo;
  rateLimit?: RateLimitInfo;
  providerMetadata?: ProviderMetadata;
  /** Free-form data added by middleware (cost, cache status, …). */
  metadata?: Record<string, unknown>;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}
