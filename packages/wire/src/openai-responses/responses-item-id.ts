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
 * reply, and read back from the store): a hash of the response id, then the item's output index.
 *
 * @example
 * const idOf = outputItemIds('resp_123');
 * idOf('msg_', 0); // 'msg_…0', every time
 */
export function outputItemIds(responseId: string): (prefix: string, outputIndex: number) => string {
  const base = hashHex(responseId);
  return (prefix, outputIndex) => `${prefix}${base}${outputIndex.toString(36)}`;
}

/** 64 bits of FNV-1a (two 32-bit lanes with different offsets), as 16 hex digits: cheap, not secret. */
function hashHex(text: string): string {
  let high = 0x811c9dc5;
  let low = 0x050c5d1f;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    high = Math.imul(high ^ code, 0x01000193);
    low = Math.imul(low ^ code, 0x01000193);
  }
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}
