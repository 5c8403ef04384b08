import type { ListedModel, WireEndpoints } from '../codec.ts';

/** Gemini puts the model in the path; base URLs are the bare host, `/v1beta` when no version is given. */
export const geminiEndpoints: WireEndpoints = {
  versionedPath: (basePath) =>
    basePath.replace(/(?:\/v1(?:beta|alpha)?)?$/, (version) => version || '/v1beta'),
  chatPath(path, model, stream) {
    const id = encodeURIComponent(model.startsWith('models/') ? model.slice('models/'.length) : model);
    return stream
      ? `${path}/models/${id}:streamGenerateContent?alt=sse`
      : `${path}/models/${id}:generateContent`;
  },
  modelsPath: (path) => `${path}/models?pageSize=1000`,
  decodeModelList(body) {
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
  },
};
