import {
  type EmbedInputType,
  type EmbedRequest,
  type EmbedResponse,
  InvalidRequestError,
  UnsupportedFeatureError,
  type Usage,
  type Warning,
} from 'ai.matey.core';
import { z } from 'zod';
import type {
  DecodedEmbedCall,
  EmbedPathInfo,
  EncodedRequest,
  EncodeEmbedOptions,
  WireEmbeddings,
} from '../codec.ts';
import { asRecord, malformedReply } from '../shared/malformed-reply.ts';

// Cohere's embed API: POST /v2/embed, at most 96 texts a call, `input_type` required by v3+ models.

const INPUT_TYPES: Partial<Record<EmbedInputType, string>> = {
  query: 'search_query',
  document: 'search_document',
  classification: 'classification',
  clustering: 'clustering',
};
const DEFAULT_INPUT_TYPE = 'search_query';

/** The path of a Cohere embed call under its versioned base path (`/v2`). */
export function cohereEmbedPath(versionedPath: string): string {
  return `${versionedPath}/embed`;
}

/** Reads a server-side path back into a Cohere embed call (any base path), or `undefined`. */
export function parseCohereEmbedPath(path: string): EmbedPathInfo | undefined {
  return path.endsWith('/embed') ? {} : undefined;
}

/**
 * An `EmbedRequest` as a Cohere v2 `/v2/embed` body: `texts`, `input_type` (`search_query` when
 * the request names none, since Cohere's v3+ models need one), `embedding_types: ['float']` and
 * `output_dimension`. Cohere embeds text only here; `similarity` has no Cohere input type.
 */
export function encodeCohereEmbedRequest(request: EmbedRequest, options: EncodeEmbedOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const texts = request.inputs.map((input, index) => {
    if (typeof input === 'string') return input;
    throw new UnsupportedFeatureError({
      message: `Cohere embeds text only; input ${index} is an array of token ids`,
      provider: options.provider,
      param: `input[${index}]`,
    });
  });
  let inputType = DEFAULT_INPUT_TYPE;
  if (request.inputType !== undefined) {
    const mapped = INPUT_TYPES[request.inputType];
    if (mapped) inputType = mapped;
    else {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'inputType',
        message: `Cohere has no input type '${request.inputType}'; ${DEFAULT_INPUT_TYPE} was sent.`,
      });
    }
  }
  const body: Record<string, unknown> = {
    model: options.model,
    texts,
    input_type: inputType,
    embedding_types: ['float'],
  };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  Object.assign(body, request.providerOptions?.[options.provider ?? 'cohere']);
  return { body, warnings };
}

/**
 * The vectors of a Cohere embed reply: `embeddings.float` of v2 (`embeddings_by_type`), or the
 * bare list of v1's `embeddings_floats`; usage is `meta.billed_units.input_tokens`.
 */
export function decodeCohereEmbedResponse(
  body: unknown,
  context: { provider: string; request: EmbedRequest },
): EmbedResponse {
  const record = asRecord(body);
  const byType = asRecord(record.embeddings).float;
  const list = Array.isArray(record.embeddings) ? record.embeddings : byType;
  if (!Array.isArray(list) || !list.every(isVector)) {
    throw malformedReply(context.provider, 'embeddings reply', 'the body has no float embeddings');
  }
  if (list.length !== context.request.inputs.length) {
    throw malformedReply(
      context.provider,
      'embeddings reply',
      `${context.request.inputs.length} texts were sent and ${list.length} vectors came back`,
    );
  }
  return {
    model: context.request.model ?? '',
    provider: context.provider,
    embeddings: list,
    usage: embedUsage(asRecord(record.meta)),
    warnings: [],
    ...(typeof record.id === 'string' ? { providerMetadata: { cohere: { id: record.id } } } : {}),
  };
}

/** `meta.tokens` when Cohere sends them, else what it billed; `billed` is what cost is priced on. */
function embedUsage(meta: Record<string, unknown>): Usage {
  const billed = asRecord(meta.billed_units).input_tokens;
  const read = asRecord(meta.tokens).input_tokens;
  const billedTokens = typeof billed === 'number' ? billed : undefined;
  const inputTokens = typeof read === 'number' ? read : (billedTokens ?? 0);
  return {
    inputTokens,
    outputTokens: 0,
    totalTokens: inputTokens,
    ...(billedTokens === undefined ? {} : { billed: { inputTokens: billedTokens, outputTokens: 0 } }),
  };
}

const cohereEmbedBody = z.looseObject({
  model: z.string().min(1).optional(),
  texts: z.array(z.string().min(1)).min(1).max(96),
  input_type: z.string().optional(),
  embedding_types: z.array(z.string()).optional(),
  output_dimension: z.number().int().positive().optional(),
});

/** Reads an inbound Cohere v2 embed body (for a server of the protocol, such as the mock upstream). */
export function decodeCohereEmbedCall(body: unknown): DecodedEmbedCall {
  const parsed = cohereEmbedBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.join('.') || undefined;
    throw new InvalidRequestError({
      message: `invalid request: ${param ?? 'body'}: ${issue?.message ?? 'malformed'}`,
      ...(param ? { param } : {}),
    });
  }
  const { model, texts, input_type, output_dimension } = parsed.data;
  const request: EmbedRequest = { inputs: texts, ...(model ? { model } : {}) };
  const inputType = Object.entries(INPUT_TYPES).find(([, value]) => value === input_type)?.[0];
  if (inputType) request.inputType = inputType as EmbedInputType;
  if (output_dimension !== undefined) request.dimensions = output_dimension;
  return { request, options: {} };
}

/** An `EmbedResponse` as Cohere's v2 reply (`embeddings_by_type`, float vectors). */
export function encodeCohereEmbedResponse(response: EmbedResponse): Record<string, unknown> {
  const id = response.providerMetadata?.cohere?.id;
  return {
    id: typeof id === 'string' ? id : crypto.randomUUID(),
    embeddings: { float: response.embeddings },
    meta: {
      api_version: { version: '2' },
      billed_units: { input_tokens: response.usage.billed?.inputTokens ?? response.usage.inputTokens },
    },
    response_type: 'embeddings_by_type',
  };
}

/** Cohere's embeddings as a codec member: `embeddings: cohereEmbeddings` in its `WireCodec`. */
export const cohereEmbeddings: WireEmbeddings = {
  maxBatch: 96,
  encodeRequest: encodeCohereEmbedRequest,
  decodeResponse: decodeCohereEmbedResponse,
  decodeCall: decodeCohereEmbedCall,
  encodeResponse: encodeCohereEmbedResponse,
};

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
