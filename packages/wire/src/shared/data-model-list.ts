import type { ListedModel } from '../codec.ts';

/** A `{ data: [{ id }] }` model list, as OpenAI-compatible APIs and Anthropic send it. */
export function decodeDataModelList(body: unknown): ListedModel[] | undefined {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.flatMap((raw: unknown) => {
    const id = (raw as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? [{ id }] : [];
  });
}
