import { type ModelInfo, UpstreamServerError } from 'ai.matey.core';
import type { ListedModel } from 'ai.matey.wire';
import type { ModelCatalog } from '../catalog/model-catalog.ts';

/**
 * The models a provider's list endpoint returned, each completed from the catalog (prices,
 * capabilities, aliases) where the catalog knows it; limits the provider reports win.
 */
export function modelsFromListBody(
  models: ListedModel[] | undefined,
  provider: string,
  catalog: ModelCatalog,
): ModelInfo[] {
  if (!models) {
    throw new UpstreamServerError({
      message: 'The provider sent a model list this adapter could not read',
      provider,
      code: 'malformed_response',
    });
  }
  return models.map((model) => {
    const known = catalog.find(model.id, provider);
    const info: ModelInfo = known ? { ...known, id: model.id, provider } : { id: model.id, provider };
    if (model.contextWindow !== undefined) info.contextWindow = model.contextWindow;
    if (model.maxOutputTokens !== undefined) info.maxOutputTokens = model.maxOutputTokens;
    return info;
  });
}
