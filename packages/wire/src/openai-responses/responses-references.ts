import { type ChatResponse, InvalidRequestError } from 'ai.matey.core';
import type { StoredReferences } from '../codec.ts';
import { parseOutputItemId } from './responses-item-id.ts';
import { isRecord, type RawItem } from './responses-metadata.ts';
import { outputItemsFromParts } from './responses-output-items.ts';

/** The `item_reference` items of a body's `input` whose ids the gateway minted, with their places. */
function references(
  body: unknown,
): Array<{ index: number; id: string; responseId: string; outputIndex: number }> {
  const input = isRecord(body) && Array.isArray(body.input) ? body.input : [];
  return input.flatMap((item: unknown, index) => {
    if (!isRecord(item) || item.type !== 'item_reference' || typeof item.id !== 'string') return [];
    const named = parseOutputItemId(item.id);
    return named ? [{ index, id: item.id, ...named }] : [];
  });
}

/**
 * `item_reference` input items that name an output item of a reply the gateway stored (the AI
 * SDK sends them for earlier replies' messages and reasoning when `store` is on): each becomes the
 * item it names, as the reply was sent, so the conversation can go to any provider. A reference to
 * a reply that is not there (expired, another key's, `store: false`) is OpenAI's 404; one to an
 * upstream's own item is left for that upstream.
 */
export const responsesStoredReferences: StoredReferences = {
  responseIds: (body) => [...new Set(references(body).map(({ responseId }) => responseId))],
  resolve(body, replies: ReadonlyMap<string, ChatResponse>) {
    const found = references(body);
    if (found.length === 0 || !isRecord(body) || !Array.isArray(body.input)) return body;
    const input: unknown[] = [...body.input];
    const outputs = new Map<string, RawItem[]>();
    for (const { index, id, responseId, outputIndex } of found) {
      const reply = replies.get(responseId);
      let output = outputs.get(responseId);
      if (reply && !output) {
        output = outputItemsFromParts(reply.content, responseId);
        outputs.set(responseId, output);
      }
      const item = output?.[outputIndex];
      if (item?.id !== id) {
        throw new InvalidRequestError({
          message: `Item with id '${id}' not found.`,
          status: 404,
          param: `input[${index}]`,
          code: 'item_not_found',
        });
      }
      input[index] = item;
    }
    return { ...body, input };
  },
};
