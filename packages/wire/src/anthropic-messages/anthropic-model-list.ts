import type { ListedModel } from '../codec.ts';

/** An Anthropic `GET /v1/models` reply body (one page holding every model). */
export function encodeAnthropicModelList(models: readonly ListedModel[]): Record<string, unknown> {
  const data = models.map((model) => ({
    type: 'model',
    id: model.id,
    display_name: model.displayName ?? model.id,
    // RFC 3339 without milliseconds, as Anthropic writes it.
    created_at: new Date((model.created ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
