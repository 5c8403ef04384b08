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
