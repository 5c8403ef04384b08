import {
  type EmbedInputType,
  type EmbedRequest,
  InvalidRequestError,
  UnsupportedFeatureError,
} from 'ai.matey.core';
import { z } from 'zod';
import type { DecodedEmbedCall, EmbedPathInfo, EncodedRequest, EncodeEmbedOptions } from '../codec.ts';

const TASK_TYPES: Record<EmbedInputType, string> = {
  query: 'RETRIEVAL_QUERY',
  document: 'RETRIEVAL_DOCUMENT',
  classification: 'CLASSIFICATION',
  clustering: 'CLUSTERING',
  similarity: 'SEMANTIC_SIMILARITY',
};

/**
 * An `EmbedRequest` as a Gemini body: `:embedContent` (`content`) for one input, else
 * `:batchEmbedContents` (`requests`, one per input, each naming the model). `inputType` is the
 * `taskType`, `dimensions` the `outputDimensionality`. Gemini embeds text only.
 */
export function encodeGeminiEmbedRequest(request: EmbedRequest, options: EncodeEmbedOptions): EncodedRequest {
  const model = options.model.startsWith('models/') ? options.model : `models/${options.model}`;
  const settings: Record<string, unknown> = {};
  if (request.inputType !== undefined) settings.taskType = TASK_TYPES[request.inputType];
  if (request.dimensions !== undefined) settings.outputDimensionality = request.dimensions;
  const contents = request.inputs.map((input, index) => {
    if (typeof input !== 'string') {
      throw new UnsupportedFeatureError({
        message: `Gemini embeds text only; input ${index} is an array of token ids`,
        provider: options.provider,
        param: `input[${index}]`,
      });
    }
    return { parts: [{ text: input }] };
  });
  const extra = request.providerOptions?.[options.provider ?? 'gemini'];
  if (contents.length === 1) return { body: { content: contents[0], ...settings, ...extra }, warnings: [] };
  return {
    body: { requests: contents.map((content) => ({ model, content, ...settings, ...extra })) },
    warnings: [],
  };
}

const content = z.looseObject({ parts: z.array(z.looseObject({ text: z.string() })).min(1) });
const settings = {
  taskType: z.string().optional(),
  outputDimensionality: z.number().int().positive().optional(),
};
const single = z.looseObject({ content, ...settings });
const batch = z.looseObject({
  requests: z.array(z.looseObject({ model: z.string().optional(), content, ...settings })).min(1),
});

type Entry = z.infer<typeof single> & { model?: string | undefined };

/** Reads an inbound Gemini embedding call (`:embedContent` or `:batchEmbedContents`, by its path). */
export function decodeGeminiEmbedCall(body: unknown, path?: EmbedPathInfo): DecodedEmbedCall {
  const entries = path?.single ? [check(single.safeParse(body))] : check(batch.safeParse(body)).requests;
  const first: Entry | undefined = entries[0];
  const model = path?.model ?? first?.model?.replace(/^models\//, '');
  const request: EmbedRequest = {
    inputs: entries.map((entry) => entry.content.parts.map((part) => part.text).join('')),
    ...(model ? { model } : {}),
  };
  const inputType = Object.entries(TASK_TYPES).find(([, task]) => task === first?.taskType)?.[0];
  if (inputType) request.inputType = inputType as EmbedInputType;
  if (first?.outputDimensionality !== undefined) request.dimensions = first.outputDimensionality;
  return { request, options: { single: path?.single === true } };
}

function check<T>(parsed: { success: true; data: T } | { success: false; error: z.ZodError }): T {
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.join('.') ?? '';
  throw new InvalidRequestError({
    message: `Invalid embedding request${param ? ` at '${param}'` : ''}: ${issue?.message ?? 'malformed body'}`,
    ...(param ? { param } : {}),
  });
}
