import {
  type EmbedInputType,
  type EmbedRequest,
  type EmbedResponse,
  InvalidRequestError,
  UnsupportedFeatureError,
  UpstreamServerError,
  type Warning,
} from 'ai.matey.core';
import type {
  DecodedEmbedCall,
  EmbedPathInfo,
  EncodedRequest,
  EncodeEmbedOptions,
  WireEmbeddings,
} from 'ai.matey.wire';
import { z } from 'zod';

// Vertex AI's text embedding models answer `:predict`: up to 250 instances a call, except
// `gemini-embedding-001`, which takes one.

const TASK_TYPES: Partial<Record<EmbedInputType, string>> = {
  query: 'RETRIEVAL_QUERY',
  document: 'RETRIEVAL_DOCUMENT',
  similarity: 'SEMANTIC_SIMILARITY',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
};

/** Models that embed one instance per `:predict` call. */
const ONE_PER_CALL = /^gemini-embedding-/;

/**
 * An `EmbedRequest` as a Vertex `:predict` body: one instance per text (`content`, and
 * `task_type` when the request names an input type), `parameters.outputDimensionality` for
 * `dimensions`. Vertex embeds text only.
 */
export function encodeVertexEmbedRequest(request: EmbedRequest, options: EncodeEmbedOptions): EncodedRequest {
  const warnings: Warning[] = [];
  const taskType = request.inputType === undefined ? undefined : TASK_TYPES[request.inputType];
  const instances = request.inputs.map((input, index) => {
    if (typeof input !== 'string') {
      throw new UnsupportedFeatureError({
        message: `Vertex AI embeds text only; input ${index} is an array of token ids`,
        provider: options.provider,
        param: `input[${index}]`,
      });
    }
    return taskType ? { content: input, task_type: taskType } : { content: input };
  });
  const body: Record<string, unknown> = { instances };
  if (request.dimensions !== undefined) body.parameters = { outputDimensionality: request.dimensions };
  Object.assign(body, request.providerOptions?.[options.provider ?? 'vertex']);
  return { body, warnings };
}

const prediction = z.looseObject({
  embeddings: z.looseObject({
    values: z.array(z.number()),
    statistics: z.looseObject({ token_count: z.number().optional() }).optional(),
  }),
});
const predictReply = z.looseObject({ predictions: z.array(prediction) });

/** The vectors of a `:predict` reply in instance order; usage is the sum of `statistics.token_count`. */
export function decodeVertexEmbedResponse(
  body: unknown,
  context: { provider: string; request: EmbedRequest },
): EmbedResponse {
  const parsed = predictReply.safeParse(body);
  const sent = context.request.inputs.length;
  if (!parsed.success || parsed.data.predictions.length !== sent) {
    throw new UpstreamServerError({
      message: `Malformed embeddings reply from ${context.provider}: ${
        parsed.success
          ? `${sent} instances were sent and ${parsed.data.predictions.length} came back`
          : 'no predictions'
      }.`,
      provider: context.provider,
      code: 'malformed_response',
    });
  }
  let inputTokens = 0;
  for (const item of parsed.data.predictions) inputTokens += item.embeddings.statistics?.token_count ?? 0;
  return {
    model: context.request.model ?? '',
    provider: context.provider,
    embeddings: parsed.data.predictions.map((item) => item.embeddings.values),
    usage: { inputTokens, outputTokens: 0, totalTokens: inputTokens },
    warnings: [],
  };
}

const predictCall = z.object({
  instances: z
    .array(z.looseObject({ content: z.string().min(1), task_type: z.string().optional() }))
    .min(1)
    .max(250),
  parameters: z.looseObject({ outputDimensionality: z.number().int().positive().optional() }).optional(),
});

/** Reads an inbound `:predict` body (the model from the path), for a server such as the mock upstream. */
export function decodeVertexEmbedCall(body: unknown, path?: EmbedPathInfo): DecodedEmbedCall {
  const parsed = predictCall.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue?.path.join('.') || undefined;
    throw new InvalidRequestError({
      message: `invalid request: ${param ?? 'body'}: ${issue?.message ?? 'malformed'}`,
      ...(param ? { param } : {}),
    });
  }
  const { instances, parameters } = parsed.data;
  if (path?.model && ONE_PER_CALL.test(path.model) && instances.length > 1) {
    throw new InvalidRequestError({
      message: `Unable to submit request because ${path.model} supports only one instance per request.`,
      param: 'instances',
    });
  }
  const request: EmbedRequest = { inputs: instances.map((instance) => instance.content) };
  if (path?.model) request.model = path.model;
  const taskType = instances[0]?.task_type;
  const inputType = Object.entries(TASK_TYPES).find(([, value]) => value === taskType)?.[0];
  if (inputType) request.inputType = inputType as EmbedInputType;
  if (parameters?.outputDimensionality !== undefined) request.dimensions = parameters.outputDimensionality;
  return { request, options: {} };
}

/** An `EmbedResponse` as Vertex's `:predict` reply. */
export function encodeVertexEmbedResponse(response: EmbedResponse): Record<string, unknown> {
  const count = response.embeddings.length;
  return {
    predictions: response.embeddings.map((values, index) => ({
      embeddings: {
        values,
        // The reply's tokens spread over its instances, the remainder on the first.
        statistics: {
          truncated: false,
          token_count:
            Math.floor(response.usage.inputTokens / count) +
            (index === 0 ? response.usage.inputTokens % count : 0),
        },
      },
    })),
    metadata: {},
  };
}

/** Vertex AI's text embeddings (`text-embedding-005`, `text-multilingual-embedding-002`, `gemini-embedding-001`). */
export const vertexEmbeddings: WireEmbeddings = {
  maxBatch: 250,
  batchLimit: (model) => (ONE_PER_CALL.test(model) ? 1 : 250),
  encodeRequest: encodeVertexEmbedRequest,
  decodeResponse: decodeVertexEmbedResponse,
  decodeCall: decodeVertexEmbedCall,
  encodeResponse: encodeVertexEmbedResponse,
};
