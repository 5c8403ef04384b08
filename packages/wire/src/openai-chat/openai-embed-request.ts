import type { EmbedInput, EmbedInputType, EmbedRequest, Warning } from 'ai.matey.core';
import { InvalidRequestError } from 'ai.matey.core';
import { z } from 'zod';
import type { DecodedEmbedCall, EncodedRequest, EncodeEmbedOptions } from '../codec.ts';
import { requireJsonObject } from '../shared/json-object-body.ts';
import { invalidOpenAIChatRequest } from './openai-chat-invalid-request.ts';

/**
 * An `EmbedRequest` as an OpenAI `/v1/embeddings` body, or as the body of an API of the same
 * shape whose field names differ (`options.fields`: Voyage's `output_dimension`, `input_type`).
 * `encoding_format` is sent only for `base64` (Voyage takes no `float`); an `inputType` the API
 * has no field for is a warning.
 */
export function encodeOpenAIEmbedRequest(request: EmbedRequest, options: EncodeEmbedOptions): EncodedRequest {
  const { model, fields } = options;
  const provider = options.provider ?? 'openai';
  const warnings: Warning[] = [];
  const body: Record<string, unknown> = { model, input: request.inputs };
  if (request.dimensions !== undefined) body[fields?.dimensions ?? 'dimensions'] = request.dimensions;
  if (request.inputType !== undefined) {
    const value = fields?.inputType?.values[request.inputType];
    if (fields?.inputType && value !== undefined) body[fields.inputType.field] = value;
    else {
      warnings.push({
        type: 'unsupported-setting',
        setting: 'inputType',
        message: `${provider} takes no input type '${request.inputType}' for embeddings; it was not sent.`,
      });
    }
  }
  if (request.encoding === 'base64') body.encoding_format = 'base64';
  if (request.user !== undefined) body.user = request.user;
  Object.assign(body, request.providerOptions?.openai);
  if (provider !== 'openai') Object.assign(body, request.providerOptions?.[provider]);
  return { body, warnings };
}

const tokens = z.array(z.number().int().nonnegative());
const INPUT_TYPES = ['query', 'document', 'classification', 'clustering', 'similarity'] as const;

/**
 * The body OpenAI's `/v1/embeddings` takes, and Voyage's names on the same shape (`input_type`,
 * `output_dimension`), so one server reads both; any other field is refused, as OpenAI does.
 */
const openAIEmbedRequestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()), tokens, z.array(tokens)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
  user: z.string().optional(),
  input_type: z.enum(INPUT_TYPES).optional(),
  output_dimension: z.number().int().positive().optional(),
});

/** Reads an inbound OpenAI embeddings body; throws `InvalidRequestError` naming the field at fault. */
export function decodeOpenAIEmbedCall(body: unknown): DecodedEmbedCall {
  requireJsonObject(body);
  const parsed = openAIEmbedRequestSchema.safeParse(body);
  if (!parsed.success) throw invalidOpenAIChatRequest(parsed.error.issues);
  const { model, input, encoding_format, user, input_type } = parsed.data;
  const dimensions = parsed.data.dimensions ?? parsed.data.output_dimension;
  const inputs = inputsOf(input);
  if (inputs.length === 0 || inputs.some((one) => one.length === 0)) {
    throw new InvalidRequestError({
      message:
        "Invalid value for 'input': it must be a non-empty string, array of strings or array of token ids",
      param: 'input',
      code: 'invalid_value',
    });
  }
  const request: EmbedRequest = { model, inputs };
  if (dimensions !== undefined) request.dimensions = dimensions;
  if (input_type !== undefined) request.inputType = input_type satisfies EmbedInputType;
  if (user !== undefined) request.user = user;
  return { request, options: { encoding: encoding_format ?? 'float' } };
}

/** One string, strings, one token array, or token arrays: always a list of inputs. */
function inputsOf(input: string | string[] | number[] | number[][]): EmbedInput[] {
  if (typeof input === 'string') return [input];
  if (input.length === 0) return [];
  return typeof input[0] === 'number' ? [input as number[]] : (input as EmbedInput[]);
}
