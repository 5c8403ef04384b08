import {
  type EmbedInputType,
  type EmbedRequest,
  type EmbedResponse,
  InvalidRequestError,
  UnsupportedFeatureError,
  UpstreamServerError,
  type Warning,
} from 'ai.matey.core';
import {
  type DecodedEmbedCall,
  type EmbedPathInfo,
  type EncodedRequest,
  type EncodeEmbedOptions,
  type HeaderLookup,
  readHeader,
  type WireEmbeddings,
} from 'ai.matey.wire';
import { z } from 'zod';

// Bedrock's InvokeModel (`POST /model/{id}/invoke`) takes each model family's own body: Titan
// Text Embeddings one text a call, Cohere Embed v3 up to 96.

const TITAN = /(^|[./])amazon\.titan-embed-/;
const COHERE = /(^|[./])cohere\.embed-/;
const COHERE_INPUT_TYPES: Partial<Record<EmbedInputType, string>> = {
  query: 'search_query',
  document: 'search_document',
  classification: 'classification',
  clustering: 'clustering',
};

function family(model: string, provider: string | undefined): 'titan' | 'cohere' {
  if (TITAN.test(model)) return 'titan';
  if (COHERE.test(model)) return 'cohere';
  throw new UnsupportedFeatureError({
    message: `Bedrock model ${model} is not an embedding model ai.matey can call (Titan Text Embeddings, Cohere Embed)`,
    provider,
    code: 'model_not_embedding',
    param: 'model',
  });
}

function texts(request: EmbedRequest, provider: string | undefined): string[] {
  return request.inputs.map((input, index) => {
    if (typeof input === 'string') return input;
    throw new UnsupportedFeatureError({
      message: `Bedrock embeds text only; input ${index} is an array of token ids`,
      provider,
      param: `input[${index}]`,
    });
  });
}

/**
 * An `EmbedRequest` as an InvokeModel body: Titan's `{inputText, dimensions, normalize}` (one
 * text), or Cohere's `{texts, input_type}` (`search_query` when the request names none).
 */
export function encodeBedrockEmbedRequest(
  request: EmbedRequest,
  options: EncodeEmbedOptions,
): EncodedRequest {
  const { provider } = options;
  const warnings: Warning[] = [];
  const inputs = texts(request, provider);
  const extra = request.providerOptions?.[provider ?? 'bedrock'];
  if (family(options.model, provider) === 'titan') {
    if (inputs.length !== 1)
      throw new InvalidRequestError({ message: 'Titan embeds one text a call', provider });
    const body: Record<string, unknown> = { inputText: inputs[0], normalize: true };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    if (request.inputType !== undefined)
      warnings.push(
        unsupported('inputType', `Titan takes no input type; '${request.inputType}' was not sent.`),
      );
    return { body: { ...body, ...extra }, warnings };
  }
  let inputType = 'search_query';
  if (request.inputType !== undefined) {
    const mapped = COHERE_INPUT_TYPES[request.inputType];
    if (mapped) inputType = mapped;
    else
      warnings.push(
        unsupported('inputType', `Cohere has no input type '${request.inputType}'; search_query was sent.`),
      );
  }
  if (request.dimensions !== undefined)
    warnings.push(
      unsupported(
        'dimensions',
        'Cohere Embed v3 on Bedrock has a fixed vector length; dimensions was not sent.',
      ),
    );
  return { body: { texts: inputs, input_type: inputType, ...extra }, warnings };
}

function unsupported(setting: string, message: string): Warning {
  return { type: 'unsupported-setting', setting, message };
}

const titanReply = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});
const cohereReply = z.looseObject({ embeddings: z.array(z.array(z.number())), id: z.string().optional() });

/**
 * The vectors of an InvokeModel reply, in input order (Titan's one, Cohere's list); the tokens
 * from Bedrock's `X-Amzn-Bedrock-Input-Token-Count` header, else Titan's `inputTextTokenCount`.
 */
export function decodeBedrockEmbedResponse(
  body: unknown,
  context: { provider: string; request: EmbedRequest; headers?: HeaderLookup },
): EmbedResponse {
  const { provider, request } = context;
  const titan = titanReply.safeParse(body);
  const cohere = titan.success ? undefined : cohereReply.safeParse(body);
  const embeddings = titan.success
    ? [titan.data.embedding]
    : cohere?.success
      ? cohere.data.embeddings
      : undefined;
  if (!embeddings || embeddings.length !== request.inputs.length) {
    throw new UpstreamServerError({
      message: `Malformed embeddings reply from ${provider}: ${
        embeddings
          ? `${request.inputs.length} texts were sent and ${embeddings.length} vectors came back`
          : 'no embedding'
      }.`,
      provider,
      code: 'malformed_response',
    });
  }
  // Bedrock states an InvokeModel call's tokens in a header (Cohere's body has none); without
  // either, the usage is estimated later, and said so.
  const counted = Number(readHeader(context.headers, 'x-amzn-bedrock-input-token-count'));
  const inputTokens =
    Number.isInteger(counted) && counted > 0
      ? counted
      : titan.success
        ? (titan.data.inputTextTokenCount ?? 0)
        : 0;
  return {
    model: request.model ?? '',
    provider,
    embeddings,
    usage: { inputTokens, outputTokens: 0, totalTokens: inputTokens },
    warnings: [],
  };
}

const titanCall = z.looseObject({
  inputText: z.string().min(1),
  dimensions: z.union([z.literal(256), z.literal(512), z.literal(1024)]).optional(),
  normalize: z.boolean().optional(),
});
const cohereCall = z.looseObject({
  texts: z.array(z.string().min(1)).min(1).max(96),
  input_type: z.string(),
});

/** Reads an inbound InvokeModel embedding body (the model from the path), for a server such as the mock. */
export function decodeBedrockEmbedCall(body: unknown, path?: EmbedPathInfo): DecodedEmbedCall {
  const model = path?.model ? { model: path.model } : {};
  const isTitan = typeof body === 'object' && body !== null && 'inputText' in body;
  if (isTitan) {
    const titan = titanCall.safeParse(body);
    if (!titan.success) throw malformedCall(titan.error.issues[0]?.message);
    const request: EmbedRequest = { ...model, inputs: [titan.data.inputText] };
    if (titan.data.dimensions !== undefined) request.dimensions = titan.data.dimensions;
    return { request, options: {} };
  }
  const cohere = cohereCall.safeParse(body);
  if (!cohere.success) throw malformedCall(cohere.error.issues[0]?.message);
  const request: EmbedRequest = { ...model, inputs: cohere.data.texts };
  const inputType = Object.entries(COHERE_INPUT_TYPES).find(
    ([, value]) => value === cohere.data.input_type,
  )?.[0];
  if (inputType) request.inputType = inputType as EmbedInputType;
  return { request, options: {} };
}

/** Bedrock's own words for a body the model does not take (a `ValidationException`, 400). */
function malformedCall(why: string | undefined): InvalidRequestError {
  return new InvalidRequestError({
    message: `Malformed input request: ${why ?? 'invalid body'}, please reformat your input and try again.`,
    code: 'ValidationException',
  });
}

/** An `EmbedResponse` as the model's InvokeModel reply (Titan's or Cohere's shape, by the model). */
export function encodeBedrockEmbedResponse(response: EmbedResponse): Record<string, unknown> {
  if (TITAN.test(response.model)) {
    return { embedding: response.embeddings[0] ?? [], inputTextTokenCount: response.usage.inputTokens };
  }
  return { id: crypto.randomUUID(), embeddings: response.embeddings, response_type: 'embeddings_floats' };
}

/** Bedrock's embedding models through InvokeModel: Titan one text a call, Cohere up to 96. */
export const bedrockEmbeddings: WireEmbeddings = {
  maxBatch: 96,
  batchLimit: (model) => (TITAN.test(model) ? 1 : 96),
  encodeRequest: encodeBedrockEmbedRequest,
  decodeResponse: decodeBedrockEmbedResponse,
  decodeCall: decodeBedrockEmbedCall,
  encodeResponse: encodeBedrockEmbedResponse,
};
