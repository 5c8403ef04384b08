import type { ListedModel } from '../codec.ts';

/**
 * Cohere's `GET /v1/models` reply: `{ models: [{ name, endpoints, context_length, … }] }`. Only
 * the models that serve the chat endpoint are listed (the embed and rerank ones are not chat).
 */
export function decodeCohereModelList(body: unknown): ListedModel[] | undefined {
  const models = (body as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) return undefined;
  return models.flatMap((raw: unknown): ListedModel[] => {
    const model = (raw ?? {}) as { name?: unknown; endpoints?: unknown; context_length?: unknown };
    if (typeof model.name !== 'string') return [];
    if (Array.isArray(model.endpoints) && !model.endpoints.includes('chat')) return [];
    return [
      {
        id: model.name,
        ...(typeof model.context_length === 'number' ? { contextWindow: model.context_length } : {}),
      },
    ];
  });
}

/** A `GET /v1/models` reply in Cohere's shape, every model on the chat endpoint. */
export function encodeCohereModelList(models: readonly ListedModel[]): Record<string, unknown> {
  return {
    models: models.map((model) => ({
      name: model.id,
      endpoints: ['chat'],
      finetuned: false,
      context_length: model.contextWindow ?? 128_000,
      features: ['tools', 'strict_tools', 'json_mode', 'json_schema'],
      default_endpoints: ['chat'],
    })),
  };
}
