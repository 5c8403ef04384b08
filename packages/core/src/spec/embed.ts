import type { ProviderMetadata } from './content.ts';
import type { RateLimitInfo, RoutingInfo, Usage, Warning } from './response.ts';

/** One input to embed: a text, or a text already split into the model's token ids (OpenAI). */
export type EmbedInput = string | number[];

/**
 * What the vectors are for, where a provider tunes them by it: `query` and `document` for
 * retrieval (Cohere `search_query`/`search_document`, Voyage `query`/`document`, Gemini
 * `RETRIEVAL_QUERY`/`RETRIEVAL_DOCUMENT`), or `classification`, `clustering`, `similarity`.
 */
export type EmbedInputType = 'query' | 'document' | 'classification' | 'clustering' | 'similarity';

/**
 * The provider-neutral embedding request: a batch of inputs, one vector back for each, in order.
 *
 * `model` is named as in `ChatRequest` (bare, `provider/model`, or absent for the backend's
 * default). A backend splits a batch larger than its provider takes into several calls and puts
 * the vectors back in order. `metadata` and `providerOptions` work as on a chat request.
 */
export interface EmbedRequest {
  model?: string;
  /** The inputs, at least one. */
  inputs: EmbedInput[];
  /** Shorter vectors, where the model can give them (OpenAI `dimensions`, Gemini `outputDimensionality`). */
  dimensions?: number;
  inputType?: EmbedInputType;
  /**
   * How the upstream should send the vectors: `float` (JSON numbers) or `base64` (little-endian
   * float32, smaller on the wire). The response holds numbers either way.
   */
  encoding?: 'float' | 'base64';
  /** End-user id for abuse monitoring (OpenAI `user`). */
  user?: string;
  metadata?: Record<string, unknown>;
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** The vectors of an `EmbedRequest`, one per input and in the inputs' order. */
export interface EmbedResponse {
  model: string;
  provider: string;
  /** `embeddings[i]` is the vector of `inputs[i]`. */
  embeddings: number[][];
  /** `inputTokens` (and `totalTokens`) as the provider counted them; `outputTokens` is 0. */
  usage: Usage;
  warnings: Warning[];
  routing?: RoutingInfo;
  rateLimit?: RateLimitInfo;
  providerMetadata?: ProviderMetadata;
  /** Added by middleware (cost, cache, retry, …). */
  metadata?: Record<string, unknown>;
}
