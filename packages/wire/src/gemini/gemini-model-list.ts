import type { ListedModel } from '../codec.ts';

/** A Gemini `GET /v1beta/models` reply body. */
export function encodeGeminiModelList(models: readonly ListedModel[]): Record<string, unknown> {
  return { models: models.map(encodeGeminiModel) };
}

/** One model as Gemini's `GET /v1beta/models/{model}` describes it. */
export function encodeGeminiModel(model: ListedModel): Record<string, unknown> {
  return {
    name: `models/${model.id}`,
    version: '001',
    displayName: model.displayName ?? model.id,
    ...(model.contextWindow !== undefined ? { inputTokenLimit: model.contextWindow } : {}),
    ...(model.maxOutputTokens !== undefined ? { outputTokenLimit: model.maxOutputTokens } : {}),
    supportedGenerationMethods: ['generateContent', 'countTokens'],
  };
}

/** The models in a Gemini list-models reply, or `undefined` when the body is not one. */
export function decodeGeminiModelList(body: unknown): ListedModel[] | undefined {
  const models = (body as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return undefined;
  return models.flatMap((raw: unknown) => {
    const model = raw as { name?: unknown; inputTokenLimit?: unknown; outputTokenLimit?: unknown } | null;
    if (typeof model?.name !== 'string') return [];
    const entry: ListedModel = { id: model.name.replace(/^models\//, '') };
    if (typeof model.inputTokenLimit === 'number') entry.contextWindow = model.inputTokenLimit;
    if (typeof model.outputTokenLimit === 'number') entry.maxOutputTokens = model.outputTokenLimit;
    return [entry];
  });
}
