import type { ProviderMetadata } from 'ai.matey.core';

/**
 * The `providerMetadata` key under which this codec keeps what the spec cannot say about a
 * Responses item: keyed by the protocol, not a provider, since OpenAI and Azure speak it alike.
 */
export const RESPONSES_KEY = 'openai-responses';

/** A Responses item or event as it came over the wire. */
export type RawItem = Record<string, unknown>;

/**
 * What a spec part remembers of the Responses item it came from:
 * - `item`: the whole item, re-sent verbatim (reasoning, function calls, and items the spec has
 *   no part for: hosted tool calls and their outputs, which ride on an empty text part);
 * - `message` and `part`: a message item's fields without its content, and one content part's
 *   fields without its text (ids, `phase`, annotations, logprobs), for a text part;
 * - `event`: a stream event of such an item, re-sent as it came (renumbered) by the encoder.
 */
export interface ResponsesPartMetadata {
  item?: RawItem;
  message?: RawItem;
  part?: RawItem;
  event?: RawItem;
  /** On a response or a stream's finish: the upstream's own `response` object. */
  response?: RawItem;
}

/** This codec's metadata on a part, if any. */
export function responsesMetadata(metadata: ProviderMetadata | undefined): ResponsesPartMetadata {
  const entry = metadata?.[RESPONSES_KEY];
  if (!entry) return {};
  const pick = (name: string) => {
    const value = entry[name];
    return isRecord(value) ? value : undefined;
  };
  const out: ResponsesPartMetadata = {};
  const item = pick('item');
  const message = pick('message');
  const part = pick('part');
  const event = pick('event');
  const response = pick('response');
  if (item) out.item = item;
  if (message) out.message = message;
  if (part) out.part = part;
  if (event) out.event = event;
  if (response) out.response = response;
  return out;
}

/** `providerMetadata` holding this codec's entry. */
export function withResponsesMetadata(entry: ResponsesPartMetadata): { providerMetadata: ProviderMetadata } {
  return { providerMetadata: { [RESPONSES_KEY]: { ...entry } } };
}

/** An item that is not a message, reasoning or function call: carried whole on an empty text part. */
export function opaqueItemOf(part: {
  type: string;
  providerMetadata?: ProviderMetadata;
}): RawItem | undefined {
  if (part.type !== 'text') return undefined;
  const { item } = responsesMetadata(part.providerMetadata);
  return item;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** The object without the named keys (a message item without its content, a part without its text). */
export function omit(record: RawItem, ...keys: string[]): RawItem {
  const out: RawItem = {};
  for (const [key, value] of Object.entries(record)) if (!keys.includes(key)) out[key] = value;
  return out;
}
