import { type ModelInfo, UpstreamServerError } from 'ai.matey.core';
import type { WireProtocol } from 'ai.matey.wire';
import type { ModelCatalog } from '../catalog/model-catalog.ts';

interface ListedModel {
  id: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

function listed(protocol: WireProtocol, body: unknown): ListedModel[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (protocol === 'gemini') {
    if (!Array.isArray(record.models)) return undefined;
    return record.models.flatMap((raw: unknown) => {
      const model = raw as { name?: unknown; inputTokenLimit?: unknown; outputTokenLimit?: unknown };
      if (typeof model.name !== 'string') return [];
      const entry: ListedModel = { id: model.name.replace(/^models\//, '') };
      if (typeof model.inputTokenLimit === 'number') entry.contextWindow = model.inputTokenLimit;
      if (typeof model.outputTokenLimit === 'number') entry.maxOutputTokens = model.outputTokenLimit;
      return [entry];
    });
  }
  // OpenAI-compatible and Anthropic lists are both `{ data: [{ id }] }`.
  if (!Array.isArray(record.data)) return undefined;
  return record.data.flatMap((raw: unknown) => {
    const id = (raw as { id?: unknown }).id;
    return typeof id === 'string' ? [{ id }] : [];
  });
}

/**
 * The models a provider's list endpoint returned, each completed from the catalog (prices,
 * capabilities, aliases) where the catalog knows it; limits the provider reports win.
 */
export function modelsFromListBody(
  protocol: WireProtocol,
  body: unknown,
  provider: string,
  catalog: ModelCatalog,
): ModelInfo[] {
  const models = listed(protocol, body);
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
