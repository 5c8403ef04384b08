import type { ListedModel } from '../codec.ts';

/** An OpenAI `GET /v1/models` reply body. */
export function encodeOpenAIModelList(models: readonly ListedModel[]): Record<string, unknown> {
  return {
    object: 'list',
    data: models.map((model) => ({
      id: model.id,
      object: 'model',
      created: model.created ?? 0,
      owned_by: model.ownedBy ?? 'system',
    })),
  };
}
