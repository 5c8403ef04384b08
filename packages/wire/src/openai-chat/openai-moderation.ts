import { InvalidRequestError, type ModerationResponse, type ModerationResult } from 'ai.matey.core';
import { z } from 'zod';
import type { WireModerations } from '../moderation-codec.ts';

/** One result as OpenAI sends it (the fields we read; `category_applied_input_types` is left). */
const openaiModerationResult = z.object({
  flagged: z.boolean(),
  categories: z.record(z.string(), z.boolean().nullable()),
  category_scores: z.record(z.string(), z.number()),
});

const openaiModerationReply = z.object({
  id: z.string(),
  model: z.string(),
  results: z.array(openaiModerationResult),
});

const openaiModerationCall = z.object({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(z.string())]),
});

function decodeResult(result: z.infer<typeof openaiModerationResult>): ModerationResult {
  const categories: Record<string, boolean> = {};
  for (const [name, found] of Object.entries(result.categories)) categories[name] = found === true;
  return { flagged: result.flagged, categories, categoryScores: result.category_scores };
}

/** OpenAI's moderation endpoint, `POST /v1/moderations` (text inputs). */
export const openaiModerations: WireModerations = {
  path: (versionedPath) => `${versionedPath}/moderations`,
  encodeRequest: (request, { model }) => ({ model, input: request.input }),
  decodeResponse(body, { provider }): ModerationResponse {
    const reply = openaiModerationReply.parse(body);
    return { id: reply.id, model: reply.model, provider, results: reply.results.map(decodeResult) };
  },
  decodeCall(body) {
    const parsed = openaiModerationCall.safeParse(body);
    if (!parsed.success) {
      throw new InvalidRequestError({
        message: 'input: a string or a list of strings is required',
        param: 'input',
      });
    }
    const { model, input } = parsed.data;
    return { input: typeof input === 'string' ? [input] : input, ...(model ? { model } : {}) };
  },
  encodeResponse: (response) => ({
    id: response.id,
    model: response.model,
    results: response.results.map((result) => ({
      flagged: result.flagged,
      categories: result.categories,
      category_scores: result.categoryScores,
      category_applied_input_types: Object.fromEntries(
        Object.keys(result.categories).map((name) => [name, ['text']]),
      ),
    })),
  }),
};
