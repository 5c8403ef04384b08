import {
  type AiMateyError,
  type ChatResponse,
  type ProviderMetadata,
  UpstreamServerError,
  type Warning,
} from 'ai.matey.core';
import type { DecodeContext } from '../codec.ts';
import { mintId } from '../shared/ids.ts';
import { decodeGeminiError } from './gemini-error.ts';
import { assistantPartToGemini, modelPartsToSpec } from './gemini-parts.ts';
import {
  CANDIDATE_METADATA_FIELDS,
  GEMINI_METADATA_KEY,
  type GeminiCandidate,
  type GeminiPart,
  type GeminiPromptFeedback,
  type GeminiResponseBody,
} from './gemini-types.ts';
import {
  finishReasonFromGemini,
  finishReasonToGemini,
  usageFromGemini,
  usageToGemini,
} from './gemini-usage.ts';

/**
 * Reads a Gemini `generateContent` response into a spec response: the first candidate's parts in
 * order, usage, and the finish reason. A prompt Gemini blocked (no candidates, a
 * `promptFeedback.blockReason`) finishes with `content-filter`. Grounding, safety and citation
 * data ride in `providerMetadata.gemini`.
 */
export function decodeGeminiResponse(input: unknown, context: DecodeContext): ChatResponse {
  const body = readBody(input, context);
  const warnings: Warning[] = [];
  const candidate = firstCandidate(body);
  const content = modelPartsToSpec(candidate?.content?.parts, warnings);
  const madeToolCalls = content.some((part) => part.type === 'tool-call');
  const raw = candidate ? candidate.finishReason : body.promptFeedback?.blockReason;
  const response: ChatResponse = {
    id: body.responseId || mintId('resp_'),
    model: body.modelVersion ?? context.request?.model ?? '',
    provider: context.provider,
    content,
    finishReason:
      !candidate && raw !== undefined ? 'content-filter' : finishReasonFromGemini(raw, madeToolCalls),
    usage: usageFromGemini(body.usageMetadata),
    warnings,
  };
  if (raw !== undefined) response.rawFinishReason = raw;
  const providerMetadata = geminiResponseMetadata(candidate, body.promptFeedback);
  if (providerMetadata) response.providerMetadata = providerMetadata;
  return response;
}

/** Encodes a spec response as a whole Gemini `generateContent` response (server side). */
export function encodeGeminiResponse(response: ChatResponse): Record<string, unknown> {
  const extra = response.providerMetadata?.[GEMINI_METADATA_KEY];
  const promptFeedback = extra?.promptFeedback as GeminiPromptFeedback | undefined;
  const body: GeminiResponseBody = {};
  if (response.content.length === 0 && promptFeedback?.blockReason) body.promptFeedback = promptFeedback;
  else {
    const parts = response.content
      .map((part) => assistantPartToGemini(part, { trustSignature: true }))
      .filter((part): part is GeminiPart => part !== undefined);
    body.candidates = [
      {
        content: { role: 'model', parts },
        finishReason: finishReasonToGemini(response.finishReason, response.rawFinishReason),
        index: 0,
        ...candidateFieldsFrom(response.providerMetadata),
      },
    ];
    if (promptFeedback) body.promptFeedback = promptFeedback;
  }
  body.usageMetadata = usageToGemini(response.usage);
  body.modelVersion = response.model;
  body.responseId = response.id;
  return body;
}

/** The candidate Gemini's clients read: index 0 (a request may ask for several). */
export function firstCandidate(body: GeminiResponseBody): GeminiCandidate | undefined {
  return body.candidates?.find((candidate) => (candidate.index ?? 0) === 0) ?? body.candidates?.[0];
}

/** Gemini-only candidate data (grounding, safety ratings, citations) and prompt feedback, if any. */
export function geminiResponseMetadata(
  candidate: GeminiCandidate | undefined,
  promptFeedback: GeminiPromptFeedback | undefined,
): ProviderMetadata | undefined {
  const values: Record<string, unknown> = {};
  for (const field of CANDIDATE_METADATA_FIELDS)
    if (candidate?.[field] !== undefined) values[field] = candidate[field];
  if (promptFeedback !== undefined) values.promptFeedback = promptFeedback;
  return Object.keys(values).length > 0 ? { [GEMINI_METADATA_KEY]: values } : undefined;
}

/** The candidate fields kept in `providerMetadata.gemini`, put back on a candidate. */
export function candidateFieldsFrom(metadata: ProviderMetadata | undefined): Record<string, unknown> {
  const values = metadata?.[GEMINI_METADATA_KEY];
  const fields: Record<string, unknown> = {};
  if (!values) return fields;
  for (const field of CANDIDATE_METADATA_FIELDS)
    if (values[field] !== undefined) fields[field] = values[field];
  return fields;
}

function readBody(input: unknown, context: DecodeContext): GeminiResponseBody {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new UpstreamServerError({
      message: 'Gemini sent a response that is not a JSON object',
      provider: context.provider,
    });
  const body = input as GeminiResponseBody & { error?: { code?: unknown } };
  if (body.error !== undefined) {
    const status = typeof body.error.code === 'number' ? body.error.code : 500;
    const error: AiMateyError = decodeGeminiError(status, body, undefined, context);
    throw error;
  }
  return body;
}
