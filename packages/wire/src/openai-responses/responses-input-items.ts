import type { Message, Warning } from 'ai.matey.core';
import { encodeInputItems } from './responses-encode-items.ts';
import { outputItemIds } from './responses-item-id.ts';
import type { RawItem } from './responses-metadata.ts';

/**
 * `GET /v1/responses/{id}/input_items` (`client.responses.inputItems.list`): the conversation a
 * stored reply answered, as Responses items with ids, one page of it as OpenAI pages it (`order`
 * `desc` by default, `limit` 20 of at most 100, `after` an item id).
 */
export function encodeInputItemList(
  messages: readonly Message[],
  responseId: string,
  query: URLSearchParams,
): Record<string, unknown> {
  const warnings: Warning[] = [];
  const idOf = outputItemIds(`${responseId}#input`);
  const items = encodeInputItems(messages, warnings).input.map((item, index) =>
    listed(item, idOf('msg_', index)),
  );
  if (query.get('order') !== 'asc') items.reverse();
  const after = query.get('after');
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  const limit = Math.min(100, Math.max(1, Number(query.get('limit')) || 20));
  const data = items.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < items.length,
  };
}

/** An input item as the list shows it: with an id, a message's text as content parts. */
function listed(item: RawItem, id: string): RawItem {
  const withId = { id, ...item };
  if (item.type !== 'message' || typeof item.content !== 'string') return withId;
  const type = item.role === 'assistant' ? 'output_text' : 'input_text';
  return { ...withId, content: [{ type, text: item.content }] };
}
