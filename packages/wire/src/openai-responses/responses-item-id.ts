import { mintId } from '../shared/ids.ts';

// One random base per process and a counter after it: unique ids for the items of every reply
// without a call to the random source per item (which cost more than the rest of the encoding).
const BASE = mintId('', 16);
let counter = 0;

/** A new output item id in OpenAI's style (`msg_…`, `rs_…`, `fc_…`). */
export function itemId(prefix: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${BASE}${counter.toString(36)}`;
}

/**
 * The ids of a reply's output items, the same each time it is encoded (as it streams, as a JSON
 * reply, and read back from the store): the response id in hex, `x`, then the item's output index,
 * so an `item_reference` to one names the reply that holds it (`parseOutputItemId`).
 *
 * @example
 * const idOf = outputItemIds('resp_1');
 * idOf('msg_', 0); // 'msg_726573705f31x0', every time
 */
export function outputItemIds(responseId: string): (prefix: string, outputIndex: number) => string {
  let hex = '';
  for (const byte of new TextEncoder().encode(responseId)) hex += byte.toString(16).padStart(2, '0');
  return (prefix, outputIndex) => `${prefix}${hex}x${outputIndex.toString(36)}`;
}

const OUTPUT_ITEM_ID = /^[a-z]+_((?:[0-9a-f]{2})+)x([0-9a-z]+)$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The reply and output index an id from `outputItemIds` names; undefined for any other id (an upstream's). */
export function parseOutputItemId(id: string): { responseId: string; outputIndex: number } | undefined {
  const match = OUTPUT_ITEM_ID.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  const bytes = new Uint8Array(match[1].length / 2);
  for (let index = 0; index < bytes.length; index++)
    bytes[index] = Number.parseInt(match[1].slice(index * 2, index * 2 + 2), 16);
  try {
    return { responseId: UTF8.decode(bytes), outputIndex: Number.parseInt(match[2], 36) };
  } catch {
    return undefined;
  }
}
