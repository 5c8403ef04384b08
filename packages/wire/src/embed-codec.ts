import type { EmbedInputType, EmbedRequest, EmbedResponse } from 'ai.matey.core';
import type { EncodedRequest, HeaderLookup } from './codec.ts';

/** What an embedding call's path says (Gemini puts the model and the single/batch form there). */
export interface EmbedPathInfo {
  model?: string;
  /** The one-input form (Gemini `:embedContent`), answered with one `embedding`. */
  single?: boolean;
}

/** How a server answers an embedding call: the vectors' encoding and the reply's form. */
export interface EmbedReplyOptions {
  /** OpenAI `encoding_format`: `base64` sends each vector as little-endian float32 bytes. */
  encoding?: 'float' | 'base64';
  /** The one-input form (Gemini `:embedContent`). */
  single?: boolean;
}

/** An inbound embedding call, read by the server half of a codec. */
export interface DecodedEmbedCall {
  request: EmbedRequest;
  options: EmbedReplyOptions;
}

/**
 * How an OpenAI-shaped embeddings API names what OpenAI names otherwise or not at all (Voyage's
 * `output_dimension` and `input_type`). A provider profile carries it to the encoder.
 */
export interface EmbedFieldNames {
  /** The field for `dimensions` (default `dimensions`). */
  dimensions?: string;
  /** The field for `inputType` and the values it takes; without it, `inputType` becomes a warning. */
  inputType?: { field: string; values: Partial<Record<EmbedInputType, string>> };
}

export interface EncodeEmbedOptions {
  /** The upstream model id (already stripped of any `provider/` prefix). */
  model: string;
  /** The provider name, for `providerOptions[provider]`. */
  provider?: string;
  /** Field names of an OpenAI-shaped API that differs from OpenAI's. */
  fields?: EmbedFieldNames;
}

/**
 * A protocol's embeddings, both directions: a backend encodes requests and decodes replies; a
 * server (gateway, mock upstream) decodes calls and encodes replies. Paths are in `endpoints`.
 */
export interface WireEmbeddings {
  /** Most inputs one upstream call may carry (OpenAI 2048, Gemini 100); a profile may lower it. */
  readonly maxBatch: number;
  /** A model's own limit where it is below `maxBatch` (Titan and `gemini-embedding-001` on Vertex take 1). */
  batchLimit?(model: string): number;
  encodeRequest(request: EmbedRequest, options: EncodeEmbedOptions): EncodedRequest;
  /**
   * The vectors in input order; `request` is the batch this reply answers, `headers` the reply's
   * (Bedrock states the tokens of an InvokeModel call only there).
   */
  decodeResponse(
    body: unknown,
    context: { provider: string; request: EmbedRequest; headers?: HeaderLookup },
  ): EmbedResponse;
  /** Parses an inbound body (and path); throws `InvalidRequestError` naming the field at fault. */
  decodeCall(body: unknown, path?: EmbedPathInfo): DecodedEmbedCall;
  encodeResponse(response: EmbedResponse, options: EmbedReplyOptions): Record<string, unknown>;
}
